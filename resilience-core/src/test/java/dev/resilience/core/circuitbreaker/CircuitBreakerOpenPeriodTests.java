package dev.resilience.core.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.resilience.core.time.ManualTicker;

/**
 * The open period: {@code openDuration} first, multiplied after each failed round of
 * probes up to {@code maxOpenDuration}, remembered for a while after closing, forgotten
 * on an operator's transition.
 */
class CircuitBreakerOpenPeriodTests {

	private static final Duration FIRST = Duration.ofSeconds(1);

	private static final Duration MAX = Duration.ofSeconds(10);

	private final ManualTicker ticker = ManualTicker.startingAt(-5_000_000_000L);

	private final RecordingListener listener = new RecordingListener();

	private static CircuitBreakerConfig.Builder config() {
		return CircuitBreakerConfig.builder()
			.slidingWindowSize(10)
			.minimumCalls(4)
			.failureRateThreshold(50)
			.openDuration(FIRST)
			.openDurationMultiplier(2)
			.maxOpenDuration(MAX)
			.halfOpenCalls(2);
	}

	private CircuitBreaker breaker(CircuitBreakerConfig.Builder config) {
		return CircuitBreaker.of("payments", config.build(), ticker, listener);
	}

	private static void succeed(CircuitBreaker breaker, int calls) {
		for (int i = 0; i < calls; i++) {
			breaker.acquirePermission().onSuccess(0);
		}
	}

	private static void fail(CircuitBreaker breaker, int calls) {
		for (int i = 0; i < calls; i++) {
			breaker.acquirePermission().onError(0, new IOException("down"));
		}
	}

	/** Trips a closed breaker with as many failures as its window needs. */
	private static void trip(CircuitBreaker breaker) {
		fail(breaker, 4);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
	}

	/**
	 * Asserts the breaker stays open for exactly {@code period}, then lets its probes fail.
	 */
	private void waitOutAndFailProbes(CircuitBreaker breaker, Duration period) {
		assertOpenFor(breaker, period);
		fail(breaker, 2);
	}

	private void assertOpenFor(CircuitBreaker breaker, Duration period) {
		assertThat(breaker.timeUntilHalfOpen()).isEqualTo(period);
		assertThat(breaker.currentOpenDuration()).isEqualTo(period);
		ticker.advance(period.minusNanos(1));
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		ticker.advance(1);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
	}

	@Test
	void firstOpenPeriodIsOpenDuration() {
		CircuitBreaker breaker = breaker(config());
		trip(breaker);
		assertOpenFor(breaker, FIRST);
	}

	@Test
	void eachFailedRoundOfProbesMultipliesTheOpenPeriodUpToTheMaximum() {
		CircuitBreaker breaker = breaker(config());
		trip(breaker);
		for (long seconds : new long[] { 1, 2, 4, 8, 10, 10, 10 }) {
			waitOutAndFailProbes(breaker, Duration.ofSeconds(seconds));
		}
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		assertThat(breaker.timeUntilHalfOpen()).isEqualTo(MAX);
	}

	@Test
	void fractionalMultiplierGrowsTheOpenPeriodByThatFactor() {
		CircuitBreaker breaker = breaker(config().openDurationMultiplier(1.5).maxOpenDuration(Duration.ofSeconds(3)));
		trip(breaker);
		for (long millis : new long[] { 1000, 1500, 2250, 3000, 3000 }) {
			waitOutAndFailProbes(breaker, Duration.ofMillis(millis));
		}
	}

	@Test
	void multiplierOfOneKeepsEveryOpenPeriodAtOpenDuration() {
		CircuitBreaker breaker = breaker(config().openDurationMultiplier(1));
		trip(breaker);
		for (int round = 0; round < 5; round++) {
			waitOutAndFailProbes(breaker, FIRST);
		}
	}

	@Test
	void maximumEqualToOpenDurationKeepsEveryOpenPeriodAtOpenDuration() {
		CircuitBreaker breaker = breaker(config().openDurationMultiplier(3).maxOpenDuration(FIRST));
		trip(breaker);
		for (int round = 0; round < 3; round++) {
			waitOutAndFailProbes(breaker, FIRST);
		}
	}

	@Test
	void slowProbesGrowTheOpenPeriodLikeFailedOnes() {
		CircuitBreaker breaker = breaker(config().slowCallDuration(Duration.ofSeconds(1)));
		trip(breaker);
		ticker.advance(FIRST);
		breaker.acquirePermission().onSuccess(Duration.ofSeconds(1).toNanos());
		breaker.acquirePermission().onSuccess(Duration.ofSeconds(1).toNanos());
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		assertThat(breaker.timeUntilHalfOpen()).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void refusedCallsCarryTheTimeLeftOfTheCurrentPeriod() {
		CircuitBreaker breaker = breaker(config());
		trip(breaker);
		waitOutAndFailProbes(breaker, Duration.ofSeconds(1));
		waitOutAndFailProbes(breaker, Duration.ofSeconds(2));
		// Open for 4 s now.
		ticker.advance(Duration.ofMillis(1500));
		assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(breaker::acquirePermission)
			.satisfies((ex) -> {
				assertThat(ex.state()).isEqualTo(CircuitBreakerState.OPEN);
				assertThat(ex.retryAfter()).isEqualTo(Duration.ofMillis(2500));
			});
		assertThat(breaker.timeUntilHalfOpen()).isEqualTo(Duration.ofMillis(2500));
		assertThat(breaker.currentOpenDuration()).isEqualTo(Duration.ofSeconds(4));
	}

	@Test
	void closingKeepsTheGrowthForAReopeningWithinMaxOpenDuration() {
		CircuitBreaker breaker = breaker(config());
		trip(breaker);
		waitOutAndFailProbes(breaker, Duration.ofSeconds(1));
		assertOpenFor(breaker, Duration.ofSeconds(2));
		succeed(breaker, 2);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		// Were it to open now, it would open for the last period times the multiplier.
		assertThat(breaker.currentOpenDuration()).isEqualTo(Duration.ofSeconds(4));

		ticker.advance(MAX.minusNanos(1));
		assertThat(breaker.currentOpenDuration()).isEqualTo(Duration.ofSeconds(4));
		trip(breaker);
		assertOpenFor(breaker, Duration.ofSeconds(4));
	}

	@Test
	void stayingClosedForMaxOpenDurationForgetsTheGrowth() {
		CircuitBreaker breaker = breaker(config());
		trip(breaker);
		waitOutAndFailProbes(breaker, Duration.ofSeconds(1));
		waitOutAndFailProbes(breaker, Duration.ofSeconds(2));
		assertOpenFor(breaker, Duration.ofSeconds(4));
		succeed(breaker, 2);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);

		ticker.advance(MAX);
		assertThat(breaker.currentOpenDuration()).isEqualTo(FIRST);
		trip(breaker);
		assertOpenFor(breaker, FIRST);
	}

	@Test
	void flappingDependencyGetsLongerRestsAsIfItsProbesHadFailed() {
		// Probes pass, full traffic fails at once: every close is followed by a reopening.
		CircuitBreaker breaker = breaker(config());
		trip(breaker);
		for (long seconds : new long[] { 1, 2, 4, 8, 10, 10 }) {
			assertOpenFor(breaker, Duration.ofSeconds(seconds));
			succeed(breaker, 2);
			assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
			ticker.advance(Duration.ofMillis(500));
			trip(breaker);
		}
		assertThat(listener.transitions).containsSequence("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED",
				"CLOSED->OPEN");
	}

	@Test
	void firstOpeningAfterADependencyRecoveredForGoodIsShortAgain() {
		CircuitBreaker breaker = breaker(config());
		trip(breaker);
		waitOutAndFailProbes(breaker, Duration.ofSeconds(1));
		waitOutAndFailProbes(breaker, Duration.ofSeconds(2));
		waitOutAndFailProbes(breaker, Duration.ofSeconds(4));
		assertOpenFor(breaker, Duration.ofSeconds(8));
		succeed(breaker, 2);
		ticker.advance(Duration.ofMinutes(5));
		trip(breaker);
		waitOutAndFailProbes(breaker, FIRST);
		assertOpenFor(breaker, Duration.ofSeconds(2));
	}

	@Test
	void operatorsOpenLastsOpenDurationWhateverTheGrowth() {
		CircuitBreaker breaker = grownToFourSeconds();
		breaker.transitionTo(CircuitBreakerState.OPEN);
		assertOpenFor(breaker, FIRST);
		fail(breaker, 2);
		assertOpenFor(breaker, Duration.ofSeconds(2));
	}

	@Test
	void failedProbesOfAnOperatorsHalfOpenOpenForOpenDuration() {
		CircuitBreaker breaker = grownToFourSeconds();
		breaker.transitionTo(CircuitBreakerState.HALF_OPEN);
		assertThat(breaker.currentOpenDuration()).isEqualTo(FIRST);
		fail(breaker, 2);
		assertOpenFor(breaker, FIRST);
	}

	@Test
	void passingProbesOfAnOperatorsHalfOpenCloseWithoutMemory() {
		CircuitBreaker breaker = grownToFourSeconds();
		breaker.transitionTo(CircuitBreakerState.HALF_OPEN);
		succeed(breaker, 2);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		trip(breaker);
		assertOpenFor(breaker, FIRST);
	}

	@Test
	void operatorsCloseAndResetForgetTheGrowth() {
		CircuitBreaker closed = grownToFourSeconds();
		closed.transitionTo(CircuitBreakerState.CLOSED);
		assertThat(closed.currentOpenDuration()).isEqualTo(FIRST);
		trip(closed);
		assertOpenFor(closed, FIRST);

		CircuitBreaker reset = grownToFourSeconds();
		reset.reset();
		trip(reset);
		assertOpenFor(reset, FIRST);
	}

	@Test
	void leavingForcedOpenOrDisabledForClosedStartsAgainFromOpenDuration() {
		for (CircuitBreakerState operatorState : new CircuitBreakerState[] { CircuitBreakerState.FORCED_OPEN,
				CircuitBreakerState.DISABLED }) {
			CircuitBreaker breaker = grownToFourSeconds();
			breaker.transitionTo(operatorState);
			assertThat(breaker.timeUntilHalfOpen()).isZero();
			assertThat(breaker.currentOpenDuration()).isEqualTo(FIRST);
			ticker.advance(Duration.ofSeconds(1));
			breaker.transitionTo(CircuitBreakerState.CLOSED);
			trip(breaker);
			assertOpenFor(breaker, FIRST);
		}
	}

	@Test
	void forcedOpenRefusesWithoutATimeWhateverTheGrowth() {
		CircuitBreaker breaker = grownToFourSeconds();
		breaker.transitionTo(CircuitBreakerState.FORCED_OPEN);
		ticker.advance(Duration.ofMinutes(1));
		assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(breaker::acquirePermission)
			.satisfies((ex) -> {
				assertThat(ex.state()).isEqualTo(CircuitBreakerState.FORCED_OPEN);
				assertThat(ex.retryAfter()).isZero();
			});
	}

	@Test
	void currentOpenDurationOfAHalfOpenBreakerIsThePeriodItsFailingProbesWouldStart() {
		CircuitBreaker breaker = breaker(config());
		assertThat(breaker.currentOpenDuration()).isEqualTo(FIRST);
		trip(breaker);
		ticker.advance(FIRST);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
		assertThat(breaker.currentOpenDuration()).isEqualTo(Duration.ofSeconds(2));
		assertThat(breaker.timeUntilHalfOpen()).isZero();
	}

	@Test
	void hugeMaximumSaturatesInsteadOfOverflowing() {
		CircuitBreaker breaker = breaker(config().openDurationMultiplier(1e9)
			.maxOpenDuration(Duration.ofSeconds(Long.MAX_VALUE)));
		trip(breaker);
		waitOutAndFailProbes(breaker, FIRST);
		waitOutAndFailProbes(breaker, Duration.ofSeconds(1_000_000_000L));
		// 1e18 s does not fit in nanoseconds: the period saturates at the longest the ticker can tell.
		assertThat(breaker.currentOpenDuration()).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
		ticker.advance(Duration.ofDays(365));
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
	}

	/** A breaker open for 4 s after two failed rounds of probes. */
	private CircuitBreaker grownToFourSeconds() {
		CircuitBreaker breaker = breaker(config());
		trip(breaker);
		waitOutAndFailProbes(breaker, Duration.ofSeconds(1));
		waitOutAndFailProbes(breaker, Duration.ofSeconds(2));
		assertThat(breaker.timeUntilHalfOpen()).isEqualTo(Duration.ofSeconds(4));
		return breaker;
	}

	@Test
	void tripOpensAClosedBreakerForTheOpenPeriodItsWindowWouldGive() {
		CircuitBreaker breaker = breaker(config());
		fail(breaker, 1);
		assertThat(breaker.trip()).isTrue();
		assertThat(listener.transitions).containsExactly("CLOSED->OPEN");
		assertThat(breaker.metrics().failedCalls()).isEqualTo(1);
		waitOutAndFailProbes(breaker, FIRST);
		// Probes that pass close it; tripped again soon after, the growth goes on.
		assertOpenFor(breaker, FIRST.multipliedBy(2));
		succeed(breaker, 2);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		assertThat(breaker.trip()).isTrue();
		assertOpenFor(breaker, FIRST.multipliedBy(4));
	}

	@Test
	void tripOpensAHalfOpenBreakerAsIfItsProbesHadFailed() {
		CircuitBreaker breaker = breaker(config());
		trip(breaker);
		ticker.advance(FIRST);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
		CircuitBreaker.Permit probe = breaker.acquirePermission();
		assertThat(breaker.trip()).isTrue();
		assertThat(listener.transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN");
		// The probe that was running ends after the state it was admitted by: not recorded.
		probe.onSuccess(0);
		assertOpenFor(breaker, FIRST.multipliedBy(2));
	}

	@Test
	void tripLeavesOpenAndOperatorStatesAlone() {
		CircuitBreaker breaker = breaker(config());
		trip(breaker);
		ticker.advance(FIRST.dividedBy(2));
		assertThat(breaker.trip()).isFalse();
		assertThat(breaker.timeUntilHalfOpen()).isEqualTo(FIRST.dividedBy(2));
		breaker.transitionTo(CircuitBreakerState.FORCED_OPEN);
		assertThat(breaker.trip()).isFalse();
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.FORCED_OPEN);
		breaker.transitionTo(CircuitBreakerState.DISABLED);
		assertThat(breaker.trip()).isFalse();
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.DISABLED);
	}

	@Test
	void holdOpenKeepsAnOpenBreakerOpenWithoutGrowingItsPeriod() {
		CircuitBreaker breaker = breaker(config());
		trip(breaker);
		ticker.advance(FIRST.dividedBy(2));
		// Never shortens: half a second is left, a hold of a quarter changes nothing.
		assertThat(breaker.holdOpen(FIRST.dividedBy(4))).isTrue();
		assertThat(breaker.timeUntilHalfOpen()).isEqualTo(FIRST.dividedBy(2));
		assertThat(breaker.holdOpen(Duration.ofSeconds(3))).isTrue();
		assertThat(breaker.timeUntilHalfOpen()).isEqualTo(Duration.ofSeconds(3));
		assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(breaker::acquirePermission)
			.satisfies((ex) -> assertThat(ex.retryAfter()).isEqualTo(Duration.ofSeconds(3)));
		// The period it grows from is still the first one, not the hold.
		assertThat(breaker.currentOpenDuration()).isEqualTo(FIRST);
		ticker.advance(Duration.ofSeconds(3));
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
		fail(breaker, 2);
		assertOpenFor(breaker, FIRST.multipliedBy(2));
		assertThat(listener.transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN",
				"OPEN->HALF_OPEN");
	}

	@Test
	void holdOpenReopensAHalfOpenBreakerOnlyBeforeItsFirstProbe() {
		CircuitBreaker breaker = breaker(config());
		trip(breaker);
		ticker.advance(FIRST);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
		assertThat(breaker.holdOpen(Duration.ofMillis(500))).isTrue();
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		assertThat(breaker.timeUntilHalfOpen()).isEqualTo(Duration.ofMillis(500));
		ticker.advance(Duration.ofMillis(500));
		// A probe admitted: the hold leaves it to its probes, which close it.
		CircuitBreaker.Permit probe = breaker.acquirePermission();
		assertThat(breaker.holdOpen(Duration.ofMillis(500))).isFalse();
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
		probe.onSuccess(0);
		succeed(breaker, 1);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		assertThat(breaker.holdOpen(Duration.ofMillis(500))).isFalse();
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		assertThat(listener.transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN",
				"OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> breaker.holdOpen(Duration.ofMillis(-1)))
			.withMessageContaining("atLeast");
	}

	@Test
	void holdOpenOfAHalfOpenBreakerKeepsThePeriodItsProbesGrowFrom() {
		CircuitBreaker breaker = breaker(config());
		trip(breaker);
		waitOutAndFailProbes(breaker, FIRST);
		ticker.advance(FIRST.multipliedBy(2));
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
		breaker.holdOpen(FIRST);
		ticker.advance(FIRST);
		fail(breaker, 2);
		// Failed probes after the hold: 2 s grows to 4 s, as if there had been no hold.
		assertOpenFor(breaker, FIRST.multipliedBy(4));
	}

	@Test
	void passClosesAnOpenOrHalfOpenBreakerAsIfItsProbesHadPassed() {
		CircuitBreaker breaker = breaker(config());
		trip(breaker);
		assertThat(breaker.pass()).isTrue();
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		assertThat(breaker.metrics().bufferedCalls()).isZero();
		assertThat(breaker.pass()).isFalse();
		// Opening again soon after: the growth is remembered, as after passed probes.
		trip(breaker);
		assertOpenFor(breaker, FIRST.multipliedBy(2));
		CircuitBreaker.Permit probe = breaker.acquirePermission();
		assertThat(breaker.pass()).isTrue();
		// The probe still running ends after the state that admitted it: not recorded.
		probe.onError(0, new IOException("late"));
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		assertThat(breaker.metrics().bufferedCalls()).isZero();
		assertThat(listener.transitions).containsExactly("CLOSED->OPEN", "OPEN->CLOSED", "CLOSED->OPEN",
				"OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
		breaker.transitionTo(CircuitBreakerState.FORCED_OPEN);
		assertThat(breaker.pass()).isFalse();
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.FORCED_OPEN);
	}

	@Test
	void theListenerHearsOfProbesAndOfNoOtherCalls() {
		List<String> probes = new ArrayList<>();
		CircuitBreaker breaker = CircuitBreaker.of("payments", config().slowCallDuration(Duration.ofMillis(10)).build(),
				ticker, new CircuitBreakerListener() {

					@Override
					public void onProbe(String name, CallOutcome outcome, long durationNanos) {
						probes.add(name + " " + outcome + " " + durationNanos);
					}

				});
		trip(breaker);
		assertThat(probes).isEmpty();
		ticker.advance(FIRST);
		breaker.acquirePermission().onSuccess(5);
		breaker.acquirePermission().onError(20_000_000, new IOException("slow and down"));
		assertThat(probes).containsExactly("payments SUCCESS 5", "payments SLOW_FAILURE 20000000");
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
	}

}

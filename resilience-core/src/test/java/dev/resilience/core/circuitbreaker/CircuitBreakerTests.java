package dev.resilience.core.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.resilience.core.time.ManualTicker;

class CircuitBreakerTests {

	private static final Duration OPEN = Duration.ofSeconds(30);

	private static final Duration SLOW = Duration.ofSeconds(1);

	private final ManualTicker ticker = ManualTicker.startingAt(-5_000_000_000L);

	private final RecordingListener listener = new RecordingListener();

	private static CircuitBreakerConfig.Builder config() {
		return CircuitBreakerConfig.builder()
			.slidingWindowSize(10)
			.minimumCalls(4)
			.failureRateThreshold(50)
			.slowCallDuration(SLOW)
			.slowCallRateThreshold(100)
			.openDuration(OPEN)
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

	private CircuitBreaker openBreaker(CircuitBreakerConfig.Builder config) {
		CircuitBreaker breaker = breaker(config);
		fail(breaker, 4);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		return breaker;
	}

	private CircuitBreaker halfOpenBreaker(CircuitBreakerConfig.Builder config) {
		CircuitBreaker breaker = openBreaker(config);
		ticker.advance(OPEN);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
		return breaker;
	}

	@Test
	void opensWhenFailureRateReachesThreshold() {
		CircuitBreaker breaker = breaker(config());
		succeed(breaker, 2);
		fail(breaker, 1);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		fail(breaker, 1);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		assertThat(listener.transitions).containsExactly("CLOSED->OPEN");
	}

	@Test
	void staysClosedUntilMinimumCallsAreRecorded() {
		CircuitBreaker breaker = breaker(config().minimumCalls(5));
		fail(breaker, 4);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		fail(breaker, 1);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
	}

	@Test
	void opensWhenSlowCallRateReachesThreshold() {
		CircuitBreaker breaker = breaker(config().slowCallRateThreshold(75));
		long slow = SLOW.toNanos();
		breaker.acquirePermission().onSuccess(slow);
		breaker.acquirePermission().onSuccess(slow + 1);
		breaker.acquirePermission().onSuccess(slow - 1);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		breaker.acquirePermission().onSuccess(slow);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		assertThat(listener.outcomes).containsExactly(CallOutcome.SLOW_SUCCESS, CallOutcome.SLOW_SUCCESS,
				CallOutcome.SUCCESS, CallOutcome.SLOW_SUCCESS);
	}

	@Test
	void slowFailuresCountAsFailedAndSlow() {
		CircuitBreaker breaker = breaker(config().failureRateThreshold(100));
		breaker.acquirePermission().onError(SLOW.toNanos(), new IOException());
		breaker.acquirePermission().onSuccess(0);
		CircuitBreakerMetrics metrics = breaker.metrics();
		assertThat(metrics.failedCalls()).isEqualTo(1);
		assertThat(metrics.slowCalls()).isEqualTo(1);
		assertThat(listener.outcomes).containsExactly(CallOutcome.SLOW_FAILURE, CallOutcome.SUCCESS);
	}

	@Test
	void refusesWhileOpenWithTheTimeLeftUntilHalfOpen() {
		CircuitBreaker breaker = openBreaker(config());
		ticker.advance(Duration.ofSeconds(10));
		assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(breaker::acquirePermission)
			.satisfies((ex) -> {
				assertThat(ex.retryAfter()).isEqualTo(Duration.ofSeconds(20));
				assertThat(ex.state()).isEqualTo(CircuitBreakerState.OPEN);
				assertThat(ex.circuitBreakerName()).isEqualTo("payments");
			});
		assertThat(breaker.timeUntilHalfOpen()).isEqualTo(Duration.ofSeconds(20));
	}

	@Test
	void becomesHalfOpenExactlyWhenOpenDurationHasPassed() {
		CircuitBreaker breaker = openBreaker(config());
		ticker.advance(OPEN.minusNanos(1));
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		assertThat(breaker.timeUntilHalfOpen()).isEqualTo(Duration.ofNanos(1));
		assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(breaker::acquirePermission);
		ticker.advance(1);
		assertThat(breaker.timeUntilHalfOpen()).isZero();
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
		assertThat(listener.transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN");
	}

	@Test
	void becomesHalfOpenLazilyWhenACallArrives() {
		CircuitBreaker breaker = openBreaker(config());
		ticker.advance(OPEN);
		assertThat(listener.transitions).containsExactly("CLOSED->OPEN");
		breaker.acquirePermission();
		assertThat(listener.transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN");
	}

	@Test
	void halfOpenAdmitsOnlyHalfOpenCallsProbes() {
		CircuitBreaker breaker = halfOpenBreaker(config().halfOpenCalls(3));
		breaker.acquirePermission();
		breaker.acquirePermission();
		breaker.acquirePermission();
		assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(breaker::acquirePermission)
			.satisfies((ex) -> {
				assertThat(ex.retryAfter()).isZero();
				assertThat(ex.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
			});
	}

	@Test
	void theDefaultBreakerLetsOneProbeThroughAndItsOutcomeDecides() {
		CircuitBreakerConfig defaults = CircuitBreakerConfig.defaults();
		CircuitBreaker breaker = CircuitBreaker.of("payments", defaults, ticker, listener);
		fail(breaker, defaults.consecutiveFailureThreshold());
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		ticker.advance(defaults.openDuration());

		CircuitBreaker.Permit probe = breaker.acquirePermission();
		assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(breaker::acquirePermission)
			.satisfies((ex) -> assertThat(ex.state()).isEqualTo(CircuitBreakerState.HALF_OPEN));
		probe.onError(0, new IOException("still down"));
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		Duration grown = Duration.ofNanos(
				(long) (defaults.openDuration().toNanos() * defaults.openDurationMultiplier()));
		assertThat(breaker.timeUntilHalfOpen()).isEqualTo(grown);

		ticker.advance(grown);
		breaker.acquirePermission().onSuccess(0);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		assertThat(listener.transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN",
				"OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
	}

	@Test
	void closesWithAnEmptyWindowWhenProbesSucceed() {
		CircuitBreaker breaker = halfOpenBreaker(config());
		CircuitBreaker.Permit first = breaker.acquirePermission();
		CircuitBreaker.Permit second = breaker.acquirePermission();
		first.onSuccess(0);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
		second.onError(0, new IOException());
		// One failure of two probes is 50%, at the threshold of 50%: opens again.
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);

		ticker.advance(OPEN);
		succeed(breaker, 2);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		assertThat(breaker.metrics().bufferedCalls()).isZero();
		assertThat(listener.transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN",
				"OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
	}

	@Test
	void opensAgainForAFullOpenDurationWhenProbesFail() {
		CircuitBreaker breaker = halfOpenBreaker(config());
		ticker.advance(Duration.ofSeconds(7));
		fail(breaker, 2);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		assertThat(breaker.timeUntilHalfOpen()).isEqualTo(OPEN);
		CircuitBreakerMetrics metrics = breaker.metrics();
		assertThat(metrics.bufferedCalls()).isEqualTo(2);
		assertThat(metrics.failedCalls()).isEqualTo(2);
		assertThat(metrics.failureRate()).isEqualTo(100.0);
	}

	@Test
	void opensAgainWhenProbesAreSlow() {
		CircuitBreaker breaker = halfOpenBreaker(config());
		breaker.acquirePermission().onSuccess(SLOW.toNanos());
		breaker.acquirePermission().onSuccess(SLOW.toNanos());
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
	}

	@Test
	void staysHalfOpenUntilEveryProbeHasCompleted() {
		CircuitBreaker breaker = halfOpenBreaker(config().halfOpenCalls(3));
		succeed(breaker, 2);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
		assertThat(breaker.metrics().bufferedCalls()).isEqualTo(2);
		assertThat(breaker.metrics().failureRate()).isNull();
		succeed(breaker, 1);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
	}

	@Test
	void cancelledProbeFreesItsSlotAndRecordsNothing() {
		CircuitBreaker breaker = halfOpenBreaker(config());
		CircuitBreaker.Permit first = breaker.acquirePermission();
		breaker.acquirePermission().onCancel();
		CircuitBreaker.Permit replacement = breaker.acquirePermission();
		assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(breaker::acquirePermission);
		first.onSuccess(0);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
		replacement.onSuccess(0);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
	}

	@Test
	void ignoredProbeFreesItsSlot() {
		CircuitBreaker breaker = halfOpenBreaker(config().ignore(List.of(IllegalStateException.class)));
		breaker.acquirePermission().onError(0, new IllegalStateException());
		breaker.acquirePermission().onError(0, new IllegalStateException());
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
		succeed(breaker, 2);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
	}

	@Test
	void forcedOpenRefusesEveryCallUntilAnOperatorChangesIt() {
		CircuitBreaker breaker = breaker(config());
		breaker.transitionTo(CircuitBreakerState.FORCED_OPEN);
		ticker.advance(OPEN.multipliedBy(10));
		assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(breaker::acquirePermission)
			.satisfies((ex) -> {
				assertThat(ex.retryAfter()).isZero();
				assertThat(ex.state()).isEqualTo(CircuitBreakerState.FORCED_OPEN);
			});
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.FORCED_OPEN);
		assertThat(breaker.timeUntilHalfOpen()).isZero();
		breaker.transitionTo(CircuitBreakerState.CLOSED);
		succeed(breaker, 1);
		assertThat(listener.transitions).containsExactly("CLOSED->FORCED_OPEN", "FORCED_OPEN->CLOSED");
	}

	@Test
	void disabledPermitsEveryCallAndRecordsNothing() {
		CircuitBreaker breaker = breaker(config());
		breaker.transitionTo(CircuitBreakerState.DISABLED);
		fail(breaker, 50);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.DISABLED);
		CircuitBreakerMetrics metrics = breaker.metrics();
		assertThat(metrics.bufferedCalls()).isZero();
		assertThat(metrics.failedCalls()).isZero();
		assertThat(metrics.failureRate()).isNull();
		assertThat(listener.outcomes).hasSize(50).containsOnly(CallOutcome.FAILURE);
	}

	@Test
	void resetClosesWithAnEmptyWindowAndZeroRefusals() {
		CircuitBreaker breaker = openBreaker(config());
		assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(breaker::acquirePermission);
		breaker.reset();
		CircuitBreakerMetrics metrics = breaker.metrics();
		assertThat(metrics.state()).isEqualTo(CircuitBreakerState.CLOSED);
		assertThat(metrics.bufferedCalls()).isZero();
		assertThat(metrics.notPermittedCalls()).isZero();
		fail(breaker, 3);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		assertThat(listener.transitions).containsExactly("CLOSED->OPEN", "OPEN->CLOSED");
	}

	@Test
	void transitionToClosedWhileClosedEmptiesTheWindowSilently() {
		CircuitBreaker breaker = breaker(config());
		fail(breaker, 3);
		breaker.transitionTo(CircuitBreakerState.CLOSED);
		fail(breaker, 3);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		assertThat(breaker.metrics().bufferedCalls()).isEqualTo(3);
		assertThat(listener.transitions).isEmpty();
	}

	@Test
	void transitionToOpenStartsAFullOpenDuration() {
		CircuitBreaker breaker = breaker(config());
		breaker.transitionTo(CircuitBreakerState.OPEN);
		assertThat(breaker.timeUntilHalfOpen()).isEqualTo(OPEN);
		assertThat(breaker.metrics().bufferedCalls()).isZero();
		ticker.advance(OPEN);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
	}

	@Test
	void transitionToHalfOpenAdmitsFreshProbes() {
		CircuitBreaker breaker = breaker(config());
		breaker.transitionTo(CircuitBreakerState.HALF_OPEN);
		succeed(breaker, 2);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		assertThat(listener.transitions).containsExactly("CLOSED->HALF_OPEN", "HALF_OPEN->CLOSED");
	}

	@Test
	void ignoredExceptionsAreNotRecorded() {
		CircuitBreaker breaker = breaker(config().ignore(List.of(IllegalArgumentException.class)));
		for (int i = 0; i < 10; i++) {
			breaker.acquirePermission().onError(0, new NumberFormatException());
		}
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		assertThat(breaker.metrics().bufferedCalls()).isZero();
		assertThat(listener.outcomes).hasSize(10).containsOnly(CallOutcome.IGNORED);
	}

	@Test
	void exceptionsOutsideRecordOnCountAsSuccesses() {
		CircuitBreaker breaker = breaker(config().recordOn(List.of(IOException.class)));
		breaker.acquirePermission().onError(0, new IllegalStateException());
		breaker.acquirePermission().onError(0, new java.net.SocketTimeoutException());
		CircuitBreakerMetrics metrics = breaker.metrics();
		assertThat(metrics.bufferedCalls()).isEqualTo(2);
		assertThat(metrics.failedCalls()).isEqualTo(1);
		assertThat(listener.outcomes).containsExactly(CallOutcome.SUCCESS, CallOutcome.FAILURE);
	}

	@Test
	void ignoreWinsOverRecordOn() {
		CircuitBreaker breaker = breaker(
				config().recordOn(List.of(RuntimeException.class)).ignore(List.of(UncheckedIOException.class)));
		breaker.acquirePermission().onError(0, new UncheckedIOException(new IOException()));
		breaker.acquirePermission().onError(0, new IllegalStateException());
		assertThat(listener.outcomes).containsExactly(CallOutcome.IGNORED, CallOutcome.FAILURE);
		assertThat(breaker.metrics().bufferedCalls()).isEqualTo(1);
	}

	@Test
	void cancelledCallInClosedStateRecordsNothing() {
		CircuitBreaker breaker = breaker(config());
		breaker.acquirePermission().onCancel();
		assertThat(breaker.metrics().bufferedCalls()).isZero();
		assertThat(listener.outcomes).isEmpty();
	}

	@Test
	void listenerHearsTransitionsAfterTheOutcomeThatCausedThem() {
		List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
		CircuitBreakerListener ordered = new CircuitBreakerListener() {
			@Override
			public void onStateTransition(String name, CircuitBreakerState from, CircuitBreakerState to) {
				events.add(name + ":" + from + "->" + to);
			}

			@Override
			public void onCall(String name, CallOutcome outcome, long durationNanos) {
				events.add(name + ":" + outcome);
			}
		};
		CircuitBreaker breaker = CircuitBreaker.of("orders", config().minimumCalls(1).build(), ticker, ordered);
		breaker.acquirePermission().onError(0, new IOException());
		assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(breaker::acquirePermission);
		assertThat(events).containsExactly("orders:FAILURE", "orders:CLOSED->OPEN", "orders:NOT_PERMITTED");
	}

	@Test
	void throwingListenerDoesNotBreakCalls() {
		CircuitBreakerListener throwing = new CircuitBreakerListener() {
			@Override
			public void onStateTransition(String name, CircuitBreakerState from, CircuitBreakerState to) {
				throw new IllegalStateException("listener bug");
			}

			@Override
			public void onCall(String name, CallOutcome outcome, long durationNanos) {
				throw new IllegalStateException("listener bug");
			}
		};
		CircuitBreaker breaker = CircuitBreaker.of("orders", config().build(), ticker, throwing);
		fail(breaker, 4);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(breaker::acquirePermission);
		ticker.advance(OPEN);
		succeed(breaker, 2);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
	}

	@Test
	void countsRefusedCalls() {
		CircuitBreaker breaker = openBreaker(config());
		for (int i = 0; i < 3; i++) {
			assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(breaker::acquirePermission);
		}
		ticker.advance(OPEN);
		breaker.acquirePermission();
		breaker.acquirePermission();
		assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(breaker::acquirePermission);
		assertThat(breaker.metrics().notPermittedCalls()).isEqualTo(4);
		assertThat(listener.outcomes).filteredOn((outcome) -> outcome == CallOutcome.NOT_PERMITTED).hasSize(4);
	}

	@Test
	void metricsReportRatesOnlyOnceMinimumCallsAreRecorded() {
		CircuitBreaker breaker = breaker(config().failureRateThreshold(100));
		succeed(breaker, 2);
		breaker.acquirePermission().onSuccess(SLOW.toNanos());
		CircuitBreakerMetrics below = breaker.metrics();
		assertThat(below).isEqualTo(new CircuitBreakerMetrics(CircuitBreakerState.CLOSED, null, null, 3, 0, 1, 0));
		fail(breaker, 1);
		CircuitBreakerMetrics reached = breaker.metrics();
		assertThat(reached).isEqualTo(new CircuitBreakerMetrics(CircuitBreakerState.CLOSED, 25.0, 25.0, 4, 1, 1, 0));
	}

	@Test
	void metricsOfAnOpenBreakerShowTheCallsThatOpenedIt() {
		CircuitBreaker breaker = breaker(config());
		succeed(breaker, 3);
		fail(breaker, 3);
		CircuitBreakerMetrics metrics = breaker.metrics();
		assertThat(metrics).isEqualTo(new CircuitBreakerMetrics(CircuitBreakerState.OPEN, 50.0, 0.0, 6, 3, 0, 0));
	}

	@Test
	void countWindowForgetsTheOldestCalls() {
		CircuitBreaker breaker = breaker(config().slidingWindowSize(4).failureRateThreshold(75));
		fail(breaker, 2);
		succeed(breaker, 4);
		assertThat(breaker.metrics().failedCalls()).isZero();
		fail(breaker, 2);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		assertThat(breaker.metrics().failureRate()).isEqualTo(50.0);
		fail(breaker, 1);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
	}

	@Test
	void timeWindowForgetsCallsOlderThanItsSeconds() {
		CircuitBreaker breaker = breaker(config().slidingWindowType(SlidingWindowType.TIME).slidingWindowSize(3));
		fail(breaker, 1);
		ticker.advance(Duration.ofSeconds(1));
		fail(breaker, 1);
		ticker.advance(Duration.ofSeconds(2));
		// The first second has left the window; the second one has not.
		succeed(breaker, 2);
		assertThat(breaker.metrics().bufferedCalls()).isEqualTo(3);
		assertThat(breaker.metrics().failedCalls()).isEqualTo(1);
		ticker.advance(Duration.ofSeconds(100));
		assertThat(breaker.metrics().bufferedCalls()).isZero();
		fail(breaker, 4);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
	}

	@Test
	void lateOutcomeOfAClosedStateCallIsNotTakenForAProbe() {
		CircuitBreaker breaker = breaker(config());
		CircuitBreaker.Permit slowCall = breaker.acquirePermission();
		fail(breaker, 4);
		ticker.advance(OPEN);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
		slowCall.onSuccess(0);
		slowCall = breaker.acquirePermission();
		assertThat(breaker.metrics().bufferedCalls()).isZero();
		succeed(breaker, 1);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
		slowCall.onSuccess(0);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
	}

	@Test
	void lateOutcomeOfAnEarlierClosedStateIsNotRecordedInTheNewWindow() {
		CircuitBreaker breaker = breaker(config());
		CircuitBreaker.Permit admittedBeforeReset = breaker.acquirePermission();
		breaker.reset();
		admittedBeforeReset.onError(0, new IOException());
		assertThat(breaker.metrics().bufferedCalls()).isZero();
		assertThat(listener.outcomes).containsExactly(CallOutcome.FAILURE);
	}

	@Test
	void lateProbeOutcomeAfterAnOperatorTransitionIsIgnored() {
		CircuitBreaker breaker = halfOpenBreaker(config());
		CircuitBreaker.Permit probe = breaker.acquirePermission();
		breaker.transitionTo(CircuitBreakerState.HALF_OPEN);
		probe.onSuccess(0);
		probe.onCancel();
		succeed(breaker, 1);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
		assertThat(breaker.metrics().bufferedCalls()).isEqualTo(1);
	}

	@Test
	void executeRecordsTheDurationFromTheTicker() throws Throwable {
		CircuitBreaker breaker = breaker(config());
		String result = breaker.execute(() -> {
			ticker.advance(SLOW);
			return "done";
		});
		assertThat(result).isEqualTo("done");
		assertThat(listener.outcomes).containsExactly(CallOutcome.SLOW_SUCCESS);
		assertThat(listener.durations).containsExactly(SLOW.toNanos());
	}

	@Test
	void executeRethrowsTheCallsExceptionUnchanged() {
		CircuitBreaker breaker = breaker(config());
		IOException failure = new IOException("down");
		assertThatThrownBy(() -> breaker.execute(() -> {
			throw failure;
		})).isSameAs(failure);
		assertThat(breaker.metrics().failedCalls()).isEqualTo(1);
	}

	@Test
	void executeRefusesWithoutRunningTheCallWhenOpen() {
		CircuitBreaker breaker = openBreaker(config());
		boolean[] ran = new boolean[1];
		assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(() -> breaker.execute(() -> {
			ran[0] = true;
			return null;
		}));
		assertThat(ran[0]).isFalse();
	}

	@Test
	void nullErrorCountsAsFailure() {
		CircuitBreaker breaker = breaker(config().ignore(List.of(IllegalStateException.class)));
		breaker.acquirePermission().onError(0, null);
		assertThat(breaker.metrics().failedCalls()).isEqualTo(1);
	}

	@Test
	void reportsItsNameAndConfig() {
		CircuitBreakerConfig config = config().build();
		CircuitBreaker breaker = CircuitBreaker.of("inventory", config);
		assertThat(breaker.name()).isEqualTo("inventory");
		assertThat(breaker.config()).isSameAs(config);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
	}

}

package dev.resilience.core.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.resilience.core.time.ManualTicker;

/**
 * Hammers real breakers with real threads and asserts invariants that hold however the
 * threads interleave.
 */
class CircuitBreakerConcurrencyTests {

	private static final int THREADS = 64;

	private static final Duration OPEN = Duration.ofSeconds(30);

	/** Shared: building a stack trace per failed call would dominate the race's run time. */
	private static final IOException DOWN = new IOException("down");

	private final ManualTicker ticker = ManualTicker.create();

	private static CircuitBreakerConfig config(int halfOpenCalls) {
		return CircuitBreakerConfig.builder()
			.slidingWindowSize(100)
			.minimumCalls(100)
			.failureRateThreshold(100)
			.openDuration(OPEN)
			.halfOpenCalls(halfOpenCalls)
			.build();
	}

	@Test
	void racingCallersIntoHalfOpenAreAdmittedExactlyHalfOpenCallsTimes() throws Exception {
		int[] probeCounts = { 1, 2, 3, 5, 8, 16, 32 };
		try (Race race = Race.of(THREADS)) {
			for (int round = 0; round < 200; round++) {
				int halfOpenCalls = probeCounts[round % probeCounts.length];
				RecordingListener listener = new RecordingListener();
				CircuitBreaker breaker = CircuitBreaker.of("race", config(halfOpenCalls), ticker, listener);
				breaker.transitionTo(CircuitBreakerState.OPEN);
				ticker.advance(OPEN);
				AtomicInteger admitted = new AtomicInteger();
				AtomicInteger refused = new AtomicInteger();
				// Every racer finds the open state expired: they race both to install the
				// half-open state and for its probe slots, asking again until refused.
				race.run((index) -> {
					while (true) {
						try {
							breaker.acquirePermission();
							admitted.incrementAndGet();
						}
						catch (CallNotPermittedException expected) {
							refused.incrementAndGet();
							return;
						}
					}
				});
				assertThat(admitted.get()).as("admitted in round %d", round).isEqualTo(halfOpenCalls);
				assertThat(refused.get()).isEqualTo(THREADS);
				assertThat(breaker.metrics().notPermittedCalls()).isEqualTo(THREADS);
				assertThat(listener.transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN");
			}
		}
	}

	@Test
	void probeSlotsStayExactUnderHammeringByAcquireAndCancel() throws Exception {
		int halfOpenCalls = 4;
		CircuitBreaker breaker = CircuitBreaker.of("race", config(halfOpenCalls), ticker,
				CircuitBreakerListener.NOOP);
		breaker.transitionTo(CircuitBreakerState.HALF_OPEN);
		AtomicInteger holders = new AtomicInteger();
		AtomicInteger mostHolders = new AtomicInteger();
		try (Race race = Race.of(16)) {
			race.run((index) -> {
				for (int i = 0; i < 50_000; i++) {
					CircuitBreaker.Permit permit;
					try {
						permit = breaker.acquirePermission();
					}
					catch (CallNotPermittedException refused) {
						continue;
					}
					// Counted after acquiring and uncounted before releasing, so the count
					// never exceeds the slots actually held.
					mostHolders.accumulateAndGet(holders.incrementAndGet(), Math::max);
					holders.decrementAndGet();
					permit.onCancel();
				}
			});
		}
		assertThat(mostHolders.get()).isBetween(1, halfOpenCalls);
		// Every slot taken was given back once: exactly halfOpenCalls are free again.
		for (int i = 0; i < halfOpenCalls; i++) {
			breaker.acquirePermission();
		}
		assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(breaker::acquirePermission);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
	}

	@Test
	void racingProbesThatCancelAndFailDecideExactlyOnce() throws Exception {
		try (Race race = Race.of(THREADS)) {
			for (int round = 0; round < 100; round++) {
				int halfOpenCalls = 1 + round % 7;
				RecordingListener listener = new RecordingListener();
				CircuitBreaker breaker = CircuitBreaker.of("race", config(halfOpenCalls), ticker, listener);
				breaker.transitionTo(CircuitBreakerState.HALF_OPEN);
				AtomicInteger failedProbes = new AtomicInteger();
				race.run((index) -> {
					boolean cancelled = false;
					while (true) {
						CircuitBreaker.Permit permit;
						try {
							permit = breaker.acquirePermission();
						}
						catch (CallNotPermittedException refused) {
							return;
						}
						if (!cancelled && index % 2 == 0) {
							// Gives the slot back; this thread or another takes it again.
							cancelled = true;
							permit.onCancel();
							continue;
						}
						failedProbes.incrementAndGet();
						permit.onError(0, DOWN);
						return;
					}
				});
				assertThat(failedProbes.get()).as("probes recorded in round %d", round).isEqualTo(halfOpenCalls);
				assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
				assertThat(listener.transitions).containsExactly("CLOSED->HALF_OPEN", "HALF_OPEN->OPEN");
			}
		}
	}

	@Test
	void racingFailedProbesGrowTheOpenPeriodOncePerRound() throws Exception {
		int halfOpenCalls = 8;
		CircuitBreakerConfig growing = config(halfOpenCalls).toBuilder()
			.openDuration(Duration.ofSeconds(1))
			.openDurationMultiplier(2)
			.maxOpenDuration(Duration.ofSeconds(64))
			.build();
		RecordingListener listener = new RecordingListener();
		CircuitBreaker breaker = CircuitBreaker.of("race", growing, ticker, listener);
		breaker.transitionTo(CircuitBreakerState.OPEN);
		long expectedSeconds = 1;
		try (Race race = Race.of(THREADS)) {
			for (int round = 0; round < 10; round++) {
				assertThat(breaker.timeUntilHalfOpen()).as("period of round %d", round)
					.isEqualTo(Duration.ofSeconds(expectedSeconds));
				ticker.advance(Duration.ofSeconds(expectedSeconds));
				// Every racer finds the open state expired; the admitted ones fail together.
				race.run((index) -> {
					try {
						breaker.acquirePermission().onError(0, DOWN);
					}
					catch (CallNotPermittedException refused) {
						// Slots taken, or already open again.
					}
				});
				assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
				expectedSeconds = Math.min(64, expectedSeconds * 2);
			}
		}
		assertThat(breaker.timeUntilHalfOpen()).isEqualTo(Duration.ofSeconds(64));
		assertThat(listener.transitions).hasSize(1 + 2 * 10);
	}

	@Test
	void racingFailuresOpenACountWindowBreakerExactlyOnce() throws Exception {
		assertRacingFailuresOpenOnce(config(3).toBuilder().consecutiveFailureThreshold(0).build(), 100);
	}

	@Test
	void racingFailuresOpenATimeWindowBreakerExactlyOnce() throws Exception {
		assertRacingFailuresOpenOnce(config(3).toBuilder()
			.slidingWindowType(SlidingWindowType.TIME)
			.consecutiveFailureThreshold(0)
			.build(), 100);
	}

	@Test
	void racingFailuresInARowOpenTheBreakerExactlyOnce() throws Exception {
		// The window alone would never trip: only the row of failures opens it.
		assertRacingFailuresOpenOnce(config(3).toBuilder()
			.slidingWindowSize(1_000)
			.minimumCalls(1_000)
			.consecutiveFailureThreshold(10)
			.build(), 10);
	}

	private void assertRacingFailuresOpenOnce(CircuitBreakerConfig config, int failuresToOpen) throws Exception {
		try (Race race = Race.of(THREADS)) {
			for (int round = 0; round < 50; round++) {
				RecordingListener listener = new RecordingListener();
				CircuitBreaker breaker = CircuitBreaker.of("race", config, ticker, listener);
				AtomicInteger recorded = new AtomicInteger();
				race.run((index) -> {
					for (int call = 0; call < 10; call++) {
						try {
							breaker.acquirePermission().onError(0, DOWN);
							recorded.incrementAndGet();
						}
						catch (CallNotPermittedException refused) {
							// Opened by now.
						}
					}
				});
				assertThat(listener.transitions).containsExactly("CLOSED->OPEN");
				assertThat(recorded.get()).isGreaterThanOrEqualTo(failuresToOpen);
				CircuitBreakerMetrics metrics = breaker.metrics();
				assertThat(metrics.bufferedCalls()).isEqualTo(metrics.failedCalls())
					.isGreaterThanOrEqualTo(failuresToOpen);
				assertThat(metrics.notPermittedCalls()).isEqualTo(THREADS * 10 - recorded.get());
			}
		}
	}

}

package dev.resilience.core.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.resilience.core.time.ManualTicker;
import dev.resilience.core.time.Sleeper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Eight threads call a retry that always fails, under a load that rises, falls and pauses.
 * Time is a {@link ManualTicker} that a driver moves between rounds, by steps that do not
 * line up with the budget's slices; inside a round all threads hit the budget at once at the
 * same reading, so every attempt's time is known exactly. The budget's invariant is then
 * checked for every round in which a retry was granted:
 * {@code retries in (t - window, t] <= max(ratio x first attempts in it, floor)}.
 */
class RetryBudgetStressTests {

	private static final int THREADS = 8;

	private static final int ROUNDS = 600;

	private static final long WINDOW_NANOS = Duration.ofSeconds(1).toNanos();

	private static final double RATIO = 0.2;

	private static final int MIN_RETRIES_PER_SECOND = 5;

	@Test
	@Timeout(value = 20, unit = TimeUnit.SECONDS)
	void threadsRacingForRetriesInOneSliceGetExactlyItsPacedShare() throws Exception {
		// A steady 100 first attempts a second for 10 s: 100 tokens in a 10 s window, paced at
		// 2 x 100 / 10 = 20 a slice. Every round, 8 threads ask for 50 retries each at once.
		ManualTicker ticker = ManualTicker.create();
		RetryBudget budget = RetryBudget.of(new RetryBudgetConfig(true, 0.1, 0, Duration.ofSeconds(10)), ticker);
		for (int second = 0; second < 10; second++) {
			for (int i = 0; i < 100; i++) {
				budget.recordFirstAttempt(ticker.read());
			}
			ticker.advance(Duration.ofSeconds(1));
		}
		for (int round = 0; round < 50; round++) {
			for (int i = 0; i < 100; i++) {
				budget.recordFirstAttempt(ticker.read());
			}
			// While the window holds more than 20 tokens the pace binds; once the window's
			// withdrawals have caught up, what is left.
			double available = budget.available();
			long expected = Math.min(20, (long) Math.floor(available));
			CyclicBarrier start = new CyclicBarrier(THREADS);
			AtomicLong granted = new AtomicLong();
			List<Thread> racers = new ArrayList<>();
			for (int t = 0; t < THREADS; t++) {
				Thread thread = new Thread(() -> {
					try {
						start.await();
						for (int i = 0; i < 50; i++) {
							if (budget.tryAcquireRetry()) {
								granted.incrementAndGet();
							}
						}
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
				});
				thread.start();
				racers.add(thread);
			}
			for (Thread racer : racers) {
				racer.join();
			}
			assertThat(granted.get()).as("round %d (%.1f tokens in the window)", round, available).isEqualTo(expected);
			ticker.advance(Duration.ofSeconds(1));
		}
	}

	@Test
	@Timeout(value = 20, unit = TimeUnit.SECONDS)
	void retriesInEveryWindowEndingAtARetryStayWithinBudgetUnderFullFailure() throws Exception {
		ManualTicker ticker = ManualTicker.create();
		Sleeper noWait = (nanos) -> {
		};
		RetryConfig config = RetryConfig.builder()
			.maxAttempts(5)
			.jitter(Jitter.NONE)
			.budget(new RetryBudgetConfig(true, RATIO, MIN_RETRIES_PER_SECOND, Duration.ofNanos(WINDOW_NANOS)))
			.build();
		Retry retry = Retry.of("stressed", config, ticker, noWait, EdgeRandom.NEVER, RetryListener.NOOP);
		int[][] callsPerThread = loadProfile(new SplittableRandom(2024));
		long[] steps = steps(new SplittableRandom(4048));

		AtomicLong attempts = new AtomicLong();
		Retry.Attempt<AtomicLong, Object> alwaysFails = (counter) -> {
			counter.incrementAndGet();
			throw new FailedAttempt();
		};
		CyclicBarrier start = new CyclicBarrier(THREADS + 1);
		CyclicBarrier end = new CyclicBarrier(THREADS + 1);
		AtomicReference<Throwable> unexpected = new AtomicReference<>();
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			int worker = t;
			Thread thread = new Thread(() -> {
				try {
					for (int round = 0; round < ROUNDS; round++) {
						start.await();
						for (int call = 0; call < callsPerThread[round][worker]; call++) {
							try {
								retry.execute(alwaysFails, attempts);
							}
							catch (FailedAttempt expected) {
								// Every call fails; only the number of attempts matters.
							}
						}
						end.await();
					}
				}
				catch (Throwable ex) {
					unexpected.compareAndSet(null, ex);
				}
			}, "retry-stress-" + t);
			thread.start();
			workers.add(thread);
		}

		long[] times = new long[ROUNDS];
		long[] firsts = new long[ROUNDS];
		long[] retries = new long[ROUNDS];
		long attemptsBefore = 0;
		for (int round = 0; round < ROUNDS; round++) {
			times[round] = ticker.read();
			start.await(10, TimeUnit.SECONDS);
			end.await(10, TimeUnit.SECONDS);
			long attemptsNow = attempts.get();
			for (int t = 0; t < THREADS; t++) {
				firsts[round] += callsPerThread[round][t];
			}
			retries[round] = (attemptsNow - attemptsBefore) - firsts[round];
			attemptsBefore = attemptsNow;
			ticker.advance(steps[round]);
		}
		for (Thread worker : workers) {
			worker.join(TimeUnit.SECONDS.toMillis(10));
		}
		assertThat(unexpected.get()).isNull();

		double floor = MIN_RETRIES_PER_SECOND * (WINDOW_NANOS / 1e9);
		long totalFirsts = 0;
		long totalRetries = 0;
		int windowStart = 0;
		long retriesInWindow = 0;
		long firstsInWindow = 0;
		for (int round = 0; round < ROUNDS; round++) {
			retriesInWindow += retries[round];
			firstsInWindow += firsts[round];
			// Keep exactly the rounds with times in (times[round] - window, times[round]].
			while (times[windowStart] <= times[round] - WINDOW_NANOS) {
				retriesInWindow -= retries[windowStart];
				firstsInWindow -= firsts[windowStart];
				windowStart++;
			}
			if (retries[round] > 0) {
				assertThat((double) retriesInWindow)
					.as("retries in the window ending at round %d (t=%d ns)", round, times[round])
					.isLessThanOrEqualTo(Math.max(RATIO * firstsInWindow, floor) + 1e-9);
			}
			totalFirsts += firsts[round];
			totalRetries += retries[round];
		}
		// The budget was binding, and it did not starve the retries either: well over half of
		// what the window arithmetic allows was granted, window after window.
		assertThat(retry.budget().deniedRetries()).isPositive();
		assertThat((double) totalRetries).isGreaterThan(0.6 * allowedOverConsecutiveWindows(times, firsts, floor));
		assertThat(retry.metrics().calls()).isEqualTo(totalFirsts);
		assertThat(retry.metrics().attempts()).isEqualTo(totalFirsts + totalRetries);
	}

	/**
	 * The sum, over consecutive windows from time zero, of what each allows by itself:
	 * {@code max(ratio x first attempts in it, floor)}.
	 */
	private static double allowedOverConsecutiveWindows(long[] times, long[] firsts, double floor) {
		double allowed = 0;
		long window = 0;
		long firstsInWindow = 0;
		for (int round = 0; round < ROUNDS; round++) {
			while (times[round] >= (window + 1) * WINDOW_NANOS) {
				allowed += Math.max(RATIO * firstsInWindow, floor);
				firstsInWindow = 0;
				window++;
			}
			firstsInWindow += firsts[round];
		}
		return allowed + Math.max(RATIO * firstsInWindow, floor);
	}

	/** Calls per thread per round: phases of heavy, light and no traffic. */
	private static int[][] loadProfile(SplittableRandom random) {
		int[] levels = { 0, 1, 4, 12, 30 };
		int[][] calls = new int[ROUNDS][THREADS];
		int level = 3;
		for (int round = 0; round < ROUNDS; round++) {
			if (round % 40 == 0) {
				level = random.nextInt(levels.length);
			}
			for (int t = 0; t < THREADS; t++) {
				calls[round][t] = (levels[level] == 0) ? 0 : random.nextInt(levels[level] + 1);
			}
		}
		return calls;
	}

	/** Steps of 1 to 45 ms, so rounds fall anywhere within the 100 ms slices. */
	private static long[] steps(SplittableRandom random) {
		long[] steps = new long[ROUNDS];
		for (int round = 0; round < ROUNDS; round++) {
			steps[round] = random.nextLong(1_000_000L, 45_000_000L);
		}
		return steps;
	}

	/** A cheap failure: no stack trace, suppression left on as the retry needs it. */
	private static final class FailedAttempt extends RuntimeException {

		private static final long serialVersionUID = 1L;

		FailedAttempt() {
			super("failed", null, true, false);
		}

	}

}

package dev.resilience.benchmarks.sim;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.random.RandomGenerator;

import dev.resilience.core.time.Ticker;

/**
 * The retry policies the simulator compares that need nothing from the library: no retry,
 * hand-written retries, and the defaults of other frameworks as their documentation states
 * them.
 */
public final class Policies {

	private static final Duration HUNDRED_MS = Duration.ofMillis(100);

	private Policies() {
	}

	/**
	 * @return one attempt, no retry
	 */
	public static Policy noRetry() {
		return stateless("no retry", "one attempt, never retried", ScheduledRetry.none());
	}

	/**
	 * @param retries retries after the first attempt
	 * @return a policy that retries at once, without waiting
	 */
	public static Policy immediate(int retries) {
		return stateless("immediate x" + retries, retries + " retries at once, no wait",
				ScheduledRetry.fixed(retries + 1, Duration.ZERO));
	}

	/**
	 * @return three retries after 100, 200 and 400 ms
	 */
	public static Policy exponentialNoJitter() {
		return stateless("exp 100/200/400", "3 retries after 100, 200, 400 ms, no jitter",
				ScheduledRetry.exponential(4, HUNDRED_MS, 2));
	}

	/**
	 * @return three retries after uniform waits below 100, 200 and 400 ms
	 */
	public static Policy exponentialFullJitter() {
		return perClient("exp + full jitter", "3 retries, waits uniform in [0, 100/200/400 ms)",
				random -> ScheduledRetry.exponentialFullJitter(4, HUNDRED_MS, 2, random));
	}

	/**
	 * Resilience4j's {@code RetryConfig.ofDefaults()}: {@code maxAttempts} 3 (the first
	 * included) and a fixed {@code waitDuration} of 500 ms.
	 * @return that policy
	 */
	public static Policy resilience4jDefaults() {
		return stateless("Resilience4j defaults", "3 attempts, fixed 500 ms wait",
				ScheduledRetry.fixed(3, Duration.ofMillis(500)));
	}

	/**
	 * Spring Framework 7's {@code @Retryable} defaults: {@code maxRetries} 3 (so 4
	 * attempts), {@code delay} 1000 ms, {@code multiplier} 1.0, no jitter.
	 * @return that policy
	 */
	public static Policy springRetryableDefaults() {
		return stateless("Spring @Retryable defaults", "3 retries (4 attempts), fixed 1 s delay",
				ScheduledRetry.fixed(4, Duration.ofSeconds(1)));
	}

	/**
	 * Three services calling one another, each retrying 3 times after 100, 200 and 400 ms:
	 * up to 4 x 4 x 4 = 64 attempts at the origin per logical request.
	 * @return that policy
	 */
	public static Policy nestedNaive() {
		return new NamedPolicy("3 layers x exp (naive)", "3 nested layers, each 3 retries after 100/200/400 ms") {

			private final ScheduledRetry strategy = ScheduledRetry.exponential(4, HUNDRED_MS, 2);

			@Override
			public int layers() {
				return 3;
			}

			@Override
			public RetryStrategy newStrategy(int layer, Ticker ticker, RandomGenerator random) {
				return strategy;
			}

		};
	}

	/**
	 * @return every policy of this class, in report order
	 */
	public static List<Policy> all() {
		return List.of(noRetry(), immediate(3), exponentialNoJitter(), exponentialFullJitter(),
				resilience4jDefaults(), springRetryableDefaults(), nestedNaive());
	}

	/**
	 * A bound, not a policy any client could run: one attempt, never retried, and every
	 * client refuses its calls from the first time-out any client sees while the origin
	 * has a queue until that queue is empty, and again at the next such time-out. It knows
	 * at once what every client learns and sees the origin's queue, so it sheds the whole
	 * load for exactly as long as a backlog lasts: how soon a policy that learns of a
	 * slowdown from its time-outs could recover at best. A time-out with no queue (one
	 * long service time) does not start it.
	 * @return that bound
	 */
	public static Policy idealShedding() {
		return shedding("ideal shedding", "every client refuses its calls from the first time-out any client sees",
				false);
	}

	/**
	 * The per-process counterpart of {@link #idealShedding()}, a reference rather than a
	 * policy: each process refuses its calls from the first time-out <em>it</em> sees while
	 * the origin has a queue until that queue is empty. It reacts to a process's first
	 * time-out and still sees the origin's queue, which no client can; it is not a proven
	 * bound (a breaker that stays open a while longer may recover sooner), but it shows how
	 * late a process of few calls learns of a slowdown from its own time-outs.
	 * @return that reference
	 */
	public static Policy idealSheddingPerProcess() {
		return shedding("ideal shedding per process", "each process refuses its calls from the first time-out it sees",
				true);
	}

	private static Policy shedding(String name, String refuses, boolean perProcess) {
		String deployWithOrigin = name + " watches the origin's queue: deploy it with the origin";
		return new NamedPolicy(name, "not a policy a client could run: one attempt; " + refuses
				+ " while the origin has a queue until the queue is empty") {

			@Override
			public RetryStrategy newStrategy(int layer, Ticker ticker, RandomGenerator random) {
				throw new UnsupportedOperationException(deployWithOrigin);
			}

			@Override
			public Deployment deploy(EventLoop loop) {
				throw new UnsupportedOperationException(deployWithOrigin);
			}

			@Override
			public Deployment deploy(EventLoop loop, Origin origin) {
				if (perProcess) {
					return (random) -> new RetryStrategy[] { new IdealShedding(origin) };
				}
				IdealShedding shared = new IdealShedding(origin);
				return (random) -> new RetryStrategy[] { shared };
			}

		};
	}

	/**
	 * One run's {@link #idealShedding()}, which every process shares, or one process's
	 * {@link #idealSheddingPerProcess()}.
	 */
	static final class IdealShedding implements RetryStrategy {

		private final Origin origin;

		private boolean shedding;

		IdealShedding(Origin origin) {
			this.origin = origin;
		}

		@Override
		public Permit beforeAttempt(int attempt) {
			if (shedding) {
				if (origin.queueLength() > 0) {
					return null;
				}
				shedding = false;
			}
			return timeouts;
		}

		private final Permit timeouts = new Permit() {

			@Override
			public void failed(long durationNanos, AttemptFailure failure) {
				if (failure == AttemptFailure.TIMEOUT && origin.queueLength() > 0) {
					shedding = true;
				}
			}

		};

		@Override
		public long onFailure(int attempt, long previousDelayNanos, AttemptFailure failure) {
			return NO_RETRY;
		}

	}

	/**
	 * A single-layer policy whose clients all use the same stateless strategy.
	 */
	static Policy stateless(String name, String description, RetryStrategy strategy) {
		return perClient(name, description, random -> strategy);
	}

	/**
	 * A single-layer policy whose strategy is made per client from its random stream.
	 */
	static Policy perClient(String name, String description, Function<RandomGenerator, RetryStrategy> factory) {
		return new NamedPolicy(name, description) {

			@Override
			public RetryStrategy newStrategy(int layer, Ticker ticker, RandomGenerator random) {
				return factory.apply(random);
			}

		};
	}

}

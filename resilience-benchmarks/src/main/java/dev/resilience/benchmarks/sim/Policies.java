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

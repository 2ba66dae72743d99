package dev.resilience.benchmarks.sim;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * A stateless retry: up to {@code maxAttempts} attempts, waits growing geometrically
 * from {@code initialDelay}, optionally with full jitter. It retries every failure and
 * has no budget and no breaker, which is how most hand-written and framework-default
 * retries behave.
 */
public final class ScheduledRetry implements RetryStrategy {

	private final int maxAttempts;

	private final long initialDelayNanos;

	private final double multiplier;

	private final boolean fullJitter;

	private final RandomGenerator random;

	private ScheduledRetry(int maxAttempts, long initialDelayNanos, double multiplier, boolean fullJitter,
			RandomGenerator random) {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be >= 1 but was " + maxAttempts);
		}
		if (initialDelayNanos < 0) {
			throw new IllegalArgumentException("initialDelay must be >= 0 but was " + initialDelayNanos + "ns");
		}
		if (!(multiplier >= 1)) {
			throw new IllegalArgumentException("multiplier must be >= 1 but was " + multiplier);
		}
		this.maxAttempts = maxAttempts;
		this.initialDelayNanos = initialDelayNanos;
		this.multiplier = multiplier;
		this.fullJitter = fullJitter;
		this.random = random;
	}

	/**
	 * @return a strategy that never retries
	 */
	public static ScheduledRetry none() {
		return new ScheduledRetry(1, 0, 1, false, null);
	}

	/**
	 * @param maxAttempts attempts in all, the first included
	 * @param delay the wait between attempts
	 * @return a strategy with a constant wait
	 */
	public static ScheduledRetry fixed(int maxAttempts, Duration delay) {
		return new ScheduledRetry(maxAttempts, delay.toNanos(), 1, false, null);
	}

	/**
	 * @param maxAttempts attempts in all, the first included
	 * @param initialDelay the wait after the first attempt
	 * @param multiplier growth of the wait per attempt
	 * @return a strategy whose waits are {@code initialDelay x multiplier^(n-1)}
	 */
	public static ScheduledRetry exponential(int maxAttempts, Duration initialDelay, double multiplier) {
		return new ScheduledRetry(maxAttempts, initialDelay.toNanos(), multiplier, false, null);
	}

	/**
	 * @param maxAttempts attempts in all, the first included
	 * @param initialDelay the base wait after the first attempt
	 * @param multiplier growth of the base wait per attempt
	 * @param random where the jitter comes from
	 * @return a strategy whose waits are uniform in {@code [0, initialDelay x multiplier^(n-1))}
	 */
	public static ScheduledRetry exponentialFullJitter(int maxAttempts, Duration initialDelay, double multiplier,
			RandomGenerator random) {
		return new ScheduledRetry(maxAttempts, initialDelay.toNanos(), multiplier, true, random);
	}

	@Override
	public long onFailure(int attempt, long previousDelayNanos, AttemptFailure failure) {
		if (attempt >= maxAttempts) {
			return NO_RETRY;
		}
		long base = (long) (initialDelayNanos * Math.pow(multiplier, attempt - 1));
		return (fullJitter && base > 0) ? random.nextLong(base) : base;
	}

}

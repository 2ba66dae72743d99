package dev.resilience.core.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The wait between two attempts: exponential growth, a cap, and jitter after the AWS study
 * "Exponential Backoff And Jitter". A pure function of the configuration and the random
 * source it is given, so it holds no state and is safe to share between threads.
 * <p>
 * With {@code initial = initialBackoff}, {@code max = maxBackoff} and {@code n} the number
 * of the attempt that just failed (1 after the first attempt), the base wait is
 * <pre>
 * base(n) = min(max, initial x multiplier^(n-1))
 * </pre>
 * computed in floating point and saturated at {@code max}, so any {@code n} and any finite
 * multiplier are safe (an infinite product is simply capped). The wait is then, with
 * {@code uniform[a, b]} a draw in which both ends are possible:
 * <ul>
 * <li>{@link Jitter#NONE}: {@code base(n)}; draws nothing;</li>
 * <li>{@link Jitter#FULL}: {@code uniform[0, base(n)]};</li>
 * <li>{@link Jitter#EQUAL}: {@code floor(base/2) + uniform[0, base - floor(base/2)]}, so
 * within {@code [base/2, base]} and never above {@code base} for an odd {@code base};</li>
 * <li>{@link Jitter#DECORRELATED}:
 * {@code min(max, uniform[initial, max(initial, 3 x previous)])} where {@code previous} is
 * the previous wait, or {@code initial} before the first retry. The attempt number plays no
 * part. With {@code initialBackoff = 0} every wait is 0.</li>
 * </ul>
 * Every result is in {@code [0, maxBackoff]}. Durations longer than {@link Long#MAX_VALUE}
 * nanoseconds (about 292 years) are treated as {@link Long#MAX_VALUE}.
 */
public final class Backoff {

	private final Jitter jitter;

	private final long initialNanos;

	private final long maxNanos;

	private final double multiplier;

	private Backoff(Jitter jitter, long initialNanos, long maxNanos, double multiplier) {
		this.jitter = jitter;
		this.initialNanos = initialNanos;
		this.maxNanos = maxNanos;
		this.multiplier = multiplier;
	}

	/**
	 * @param config the retry configuration whose backoff settings are used
	 * @return the backoff of that configuration
	 */
	public static Backoff of(RetryConfig config) {
		Objects.requireNonNull(config, "config must not be null");
		return new Backoff(config.jitter(), saturatedNanos(config.initialBackoff()),
				saturatedNanos(config.maxBackoff()), config.multiplier());
	}

	/**
	 * The wait after attempt number {@code attempt} fails.
	 * @param attempt the number of the attempt that failed: 1 after the first attempt
	 * @param previousDelayNanos the previous wait, 0 before the first retry; used by
	 * {@link Jitter#DECORRELATED} only
	 * @param random the source of the jitter; not used by {@link Jitter#NONE}
	 * @return the wait in nanoseconds, in {@code [0, maxBackoff]}
	 * @throws IllegalArgumentException if {@code attempt < 1}
	 */
	public long delayNanos(int attempt, long previousDelayNanos, RandomGenerator random) {
		if (attempt < 1) {
			throw new IllegalArgumentException("attempt must be >= 1 but was " + attempt);
		}
		switch (jitter) {
			case NONE:
				return baseNanos(attempt);
			case FULL:
				return uniform(random, 0, baseNanos(attempt));
			case EQUAL: {
				long base = baseNanos(attempt);
				long half = base >>> 1;
				return half + uniform(random, 0, base - half);
			}
			case DECORRELATED:
				return decorrelated(previousDelayNanos, random);
			default:
				throw new IllegalStateException("Unknown jitter " + jitter);
		}
	}

	/**
	 * The wait before jitter: {@code min(maxBackoff, initialBackoff x multiplier^(attempt-1))}.
	 */
	long baseNanos(int attempt) {
		if (attempt <= 1 || initialNanos == 0 || multiplier == 1.0) {
			// Also keeps 0 x infinity (NaN) out of the computation below.
			return initialNanos;
		}
		double scaled = initialNanos * Math.pow(multiplier, attempt - 1);
		// Infinity and anything at or beyond the cap take the cap; the cast is then safe.
		if (!(scaled < maxNanos)) {
			return maxNanos;
		}
		return Math.min((long) scaled, maxNanos);
	}

	private long decorrelated(long previousDelayNanos, RandomGenerator random) {
		long previous = (previousDelayNanos > 0) ? previousDelayNanos : initialNanos;
		long upper = (previous > Long.MAX_VALUE / 3) ? Long.MAX_VALUE : previous * 3;
		// A caller may pass a previous wait below initialBackoff; the range must not invert.
		upper = Math.max(upper, initialNanos);
		return Math.min(maxNanos, uniform(random, initialNanos, upper));
	}

	/**
	 * A uniform draw in {@code [low, high]}, both ends included, for {@code 0 <= low <= high}.
	 * Drawing from {@code [low - 1, high)} and adding one includes {@code high} without ever
	 * computing {@code high + 1}, which would overflow at {@link Long#MAX_VALUE}.
	 */
	private static long uniform(RandomGenerator random, long low, long high) {
		return random.nextLong(low - 1, high) + 1;
	}

	private static long saturatedNanos(Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException tooLong) {
			return Long.MAX_VALUE;
		}
	}

	@Override
	public String toString() {
		return "Backoff[jitter=" + jitter + ", initialNanos=" + initialNanos + ", maxNanos=" + maxNanos
				+ ", multiplier=" + multiplier + "]";
	}

}

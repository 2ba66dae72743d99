package dev.resilience.core.circuitbreaker;

import java.time.Duration;
import java.util.List;

import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.internal.Checks;

/**
 * Settings of one circuit breaker, validated on construction.
 * <p>
 * The open period starts at {@code openDuration}; each time the half-open probes fail,
 * the next one is the previous one times {@code openDurationMultiplier}, at most
 * {@code maxOpenDuration}. {@link CircuitBreaker} describes when the growth is forgotten.
 *
 * @param slidingWindowType count- or time-based window
 * @param slidingWindowSize calls (count) or seconds (time) in the window
 * @param minimumCalls calls the window must hold before a rate is computed
 * @param failureRateThreshold percent of failed calls at or above which the breaker opens
 * @param consecutiveFailureThreshold failures in a row, without a success between them, at
 * which the breaker opens whatever its window holds; 0 turns this off
 * @param slowCallDuration a call taking at least this long is slow
 * @param slowCallRateThreshold percent of slow calls at or above which the breaker opens
 * @param openDuration how long the breaker stays open the first time before admitting probes
 * @param openDurationMultiplier growth of the open period each time the probes fail and the
 * breaker opens again; 1 keeps every period at {@code openDuration}
 * @param maxOpenDuration the longest open period the growth reaches
 * @param halfOpenCalls how many probes are admitted while half-open
 * @param recordOn exception types counted as failures; empty means every exception not ignored
 * @param ignore exception types that count neither as success nor as failure
 */
public record CircuitBreakerConfig(SlidingWindowType slidingWindowType, int slidingWindowSize, int minimumCalls,
		double failureRateThreshold, int consecutiveFailureThreshold, Duration slowCallDuration, double slowCallRateThreshold, Duration openDuration,
		double openDurationMultiplier, Duration maxOpenDuration, int halfOpenCalls,
		List<Class<? extends Throwable>> recordOn, List<Class<? extends Throwable>> ignore) {

	/** Largest window: keeps per-breaker memory bounded whatever the configuration. */
	public static final int MAX_SLIDING_WINDOW_SIZE = 100_000;

	/**
	 * The default number of failures in a row that opens the breaker: a dependency that fails
	 * every call is cut off after 10 calls instead of after half a window of 100, while
	 * independent failures rarely line up (at 10% of calls failing, 10 in a row come once in
	 * about 10 billion calls).
	 */
	public static final int DEFAULT_CONSECUTIVE_FAILURE_THRESHOLD = 10;

	/** The default first open period. */
	public static final Duration DEFAULT_OPEN_DURATION = Duration.ofSeconds(1);

	/** The default growth of the open period after failed probes. */
	public static final double DEFAULT_OPEN_DURATION_MULTIPLIER = 1.5;

	/**
	 * The default longest open period, when {@code openDuration} is not longer: a builder
	 * whose {@code maxOpenDuration} is not set uses the longer of the two.
	 */
	public static final Duration DEFAULT_MAX_OPEN_DURATION = Duration.ofSeconds(2);

	public CircuitBreakerConfig {
		Checks.notNull("slidingWindowType", slidingWindowType);
		Checks.atLeast("slidingWindowSize", 1, slidingWindowSize);
		Checks.atMost("slidingWindowSize", MAX_SLIDING_WINDOW_SIZE, slidingWindowSize);
		Checks.atLeast("minimumCalls", 1, minimumCalls);
		if (slidingWindowType == SlidingWindowType.COUNT && minimumCalls > slidingWindowSize) {
			throw new InvalidConfigException("minimumCalls",
					"must be <= slidingWindowSize (" + slidingWindowSize + ") for a count window", minimumCalls);
		}
		Checks.percent("failureRateThreshold", failureRateThreshold);
		Checks.atLeast("consecutiveFailureThreshold", 0, consecutiveFailureThreshold);
		Checks.positive("slowCallDuration", slowCallDuration);
		Checks.percent("slowCallRateThreshold", slowCallRateThreshold);
		Checks.positive("openDuration", openDuration);
		Checks.atLeast("openDurationMultiplier", 1.0, openDurationMultiplier);
		if (Double.isInfinite(openDurationMultiplier)) {
			throw new InvalidConfigException("openDurationMultiplier", "must be finite", openDurationMultiplier);
		}
		Checks.notNull("maxOpenDuration", maxOpenDuration);
		if (maxOpenDuration.compareTo(openDuration) < 0) {
			throw new InvalidConfigException("maxOpenDuration", "must be >= openDuration (" + openDuration + ")",
					maxOpenDuration);
		}
		Checks.atLeast("halfOpenCalls", 1, halfOpenCalls);
		recordOn = Checks.exceptionTypes("recordOn", recordOn);
		ignore = Checks.exceptionTypes("ignore", ignore);
	}

	/**
	 * @return the documented defaults
	 */
	public static CircuitBreakerConfig defaults() {
		return builder().build();
	}

	/**
	 * @return a builder starting from the documented defaults
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * @return a builder starting from this configuration
	 */
	public Builder toBuilder() {
		return new Builder().slidingWindowType(slidingWindowType)
			.slidingWindowSize(slidingWindowSize)
			.minimumCalls(minimumCalls)
			.failureRateThreshold(failureRateThreshold)
			.consecutiveFailureThreshold(consecutiveFailureThreshold)
			.slowCallDuration(slowCallDuration)
			.slowCallRateThreshold(slowCallRateThreshold)
			.openDuration(openDuration)
			.openDurationMultiplier(openDurationMultiplier)
			.maxOpenDuration(maxOpenDuration)
			.halfOpenCalls(halfOpenCalls)
			.recordOn(recordOn)
			.ignore(ignore);
	}

	/**
	 * Builds a {@link CircuitBreakerConfig}; validation happens in {@link #build()}.
	 */
	public static final class Builder {

		private SlidingWindowType slidingWindowType = SlidingWindowType.COUNT;

		private int slidingWindowSize = 100;

		private int minimumCalls = 20;

		private double failureRateThreshold = 50;

		private int consecutiveFailureThreshold = DEFAULT_CONSECUTIVE_FAILURE_THRESHOLD;

		private Duration slowCallDuration = Duration.ofSeconds(60);

		private double slowCallRateThreshold = 100;

		private Duration openDuration = DEFAULT_OPEN_DURATION;

		private double openDurationMultiplier = DEFAULT_OPEN_DURATION_MULTIPLIER;

		/** {@code null}: the longer of {@link #DEFAULT_MAX_OPEN_DURATION} and {@code openDuration}. */
		private Duration maxOpenDuration;

		private int halfOpenCalls = 1;

		private List<Class<? extends Throwable>> recordOn = List.of();

		private List<Class<? extends Throwable>> ignore = List.of();

		private Builder() {
		}

		public Builder slidingWindowType(SlidingWindowType slidingWindowType) {
			this.slidingWindowType = slidingWindowType;
			return this;
		}

		public Builder slidingWindowSize(int slidingWindowSize) {
			this.slidingWindowSize = slidingWindowSize;
			return this;
		}

		public Builder minimumCalls(int minimumCalls) {
			this.minimumCalls = minimumCalls;
			return this;
		}

		public Builder failureRateThreshold(double failureRateThreshold) {
			this.failureRateThreshold = failureRateThreshold;
			return this;
		}

		/**
		 * @param consecutiveFailureThreshold failures in a row that open the breaker whatever
		 * its window holds; 0 turns this off
		 * @return this builder
		 */
		public Builder consecutiveFailureThreshold(int consecutiveFailureThreshold) {
			this.consecutiveFailureThreshold = consecutiveFailureThreshold;
			return this;
		}

		public Builder slowCallDuration(Duration slowCallDuration) {
			this.slowCallDuration = slowCallDuration;
			return this;
		}

		public Builder slowCallRateThreshold(double slowCallRateThreshold) {
			this.slowCallRateThreshold = slowCallRateThreshold;
			return this;
		}

		public Builder openDuration(Duration openDuration) {
			this.openDuration = openDuration;
			return this;
		}

		/**
		 * @param openDurationMultiplier growth of the open period after failed probes, at
		 * least 1 (1: every open period lasts {@code openDuration})
		 * @return this builder
		 */
		public Builder openDurationMultiplier(double openDurationMultiplier) {
			this.openDurationMultiplier = openDurationMultiplier;
			return this;
		}

		/**
		 * @param maxOpenDuration the longest open period, at least {@code openDuration};
		 * {@code null} (the default) for {@link #DEFAULT_MAX_OPEN_DURATION} or
		 * {@code openDuration} if that is longer
		 * @return this builder
		 */
		public Builder maxOpenDuration(Duration maxOpenDuration) {
			this.maxOpenDuration = maxOpenDuration;
			return this;
		}

		public Builder halfOpenCalls(int halfOpenCalls) {
			this.halfOpenCalls = halfOpenCalls;
			return this;
		}

		public Builder recordOn(List<Class<? extends Throwable>> recordOn) {
			this.recordOn = recordOn;
			return this;
		}

		public Builder ignore(List<Class<? extends Throwable>> ignore) {
			this.ignore = ignore;
			return this;
		}

		public CircuitBreakerConfig build() {
			Duration max = maxOpenDuration;
			if (max == null) {
				// Unset: a long openDuration alone must not break the rule max >= openDuration.
				max = (openDuration != null && openDuration.compareTo(DEFAULT_MAX_OPEN_DURATION) > 0) ? openDuration
						: DEFAULT_MAX_OPEN_DURATION;
			}
			return new CircuitBreakerConfig(slidingWindowType, slidingWindowSize, minimumCalls, failureRateThreshold,
					consecutiveFailureThreshold, slowCallDuration, slowCallRateThreshold, openDuration, openDurationMultiplier, max, halfOpenCalls,
					recordOn, ignore);
		}

	}

}

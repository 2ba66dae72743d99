package dev.resilience.core.slo;

import java.time.Duration;

import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.internal.Checks;

/**
 * Settings of one service level objective, validated on construction.
 *
 * @param objective percent of events that must be good, in (0, 100); 100 would leave no
 * budget at all
 * @param window the rolling window the objective is measured over, in [3d, 100d]: the
 * longest alert window (3d) must fit in it, and the upper bound keeps memory per SLO
 * under 64 KiB
 * @param latencyThreshold a call slower than this is a bad event even when it succeeded;
 * {@code null} when only failures are bad
 * @param slowDownAt percent of the budget consumed at or above which the release policy
 * is {@link ReleasePolicy#SLOW_DOWN}, in (0, 100] and not above {@code freezeAt}
 * @param freezeAt percent of the budget consumed at or above which the release policy is
 * {@link ReleasePolicy#FREEZE}, in (0, 100]
 */
public record SloConfig(double objective, Duration window, Duration latencyThreshold, double slowDownAt,
		double freezeAt) {

	/** Shortest window: the longest alert window, three days, must fit in it. */
	public static final Duration MIN_WINDOW = Duration.ofDays(3);

	/** Longest window: at one-hour buckets it bounds the memory of an SLO. */
	public static final Duration MAX_WINDOW = Duration.ofDays(100);

	public SloConfig {
		if (!(objective > 0 && objective < 100)) {
			throw new InvalidConfigException("objective", "must be in (0, 100)", objective);
		}
		Checks.notNull("window", window);
		if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
			throw new InvalidConfigException("window", "must be in [3d, 100d]", window);
		}
		if (latencyThreshold != null) {
			Checks.positive("latencyThreshold", latencyThreshold);
		}
		Checks.percent("slowDownAt", slowDownAt);
		Checks.percent("freezeAt", freezeAt);
		if (slowDownAt > freezeAt) {
			throw new InvalidConfigException("slowDownAt", "must be <= freezeAt (" + freezeAt + ")", slowDownAt);
		}
	}

	/**
	 * @return the documented defaults: 99.9 percent over 30 days, no latency threshold,
	 * slow down at 50 percent of the budget consumed, freeze at 100
	 */
	public static SloConfig defaults() {
		return builder().build();
	}

	/**
	 * @param objective percent of events that must be good
	 * @return the defaults with the given objective
	 */
	public static SloConfig ofObjective(double objective) {
		return builder().objective(objective).build();
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
		return new Builder().objective(objective)
			.window(window)
			.latencyThreshold(latencyThreshold)
			.slowDownAt(slowDownAt)
			.freezeAt(freezeAt);
	}

	/**
	 * Builds an {@link SloConfig}; validation happens in {@link #build()}.
	 */
	public static final class Builder {

		private double objective = 99.9;

		private Duration window = Duration.ofDays(30);

		private Duration latencyThreshold;

		private double slowDownAt = 50;

		private double freezeAt = 100;

		private Builder() {
		}

		public Builder objective(double objective) {
			this.objective = objective;
			return this;
		}

		public Builder window(Duration window) {
			this.window = window;
			return this;
		}

		/**
		 * @param latencyThreshold a slower call is a bad event; {@code null} for none
		 * @return this builder
		 */
		public Builder latencyThreshold(Duration latencyThreshold) {
			this.latencyThreshold = latencyThreshold;
			return this;
		}

		public Builder slowDownAt(double slowDownAt) {
			this.slowDownAt = slowDownAt;
			return this;
		}

		public Builder freezeAt(double freezeAt) {
			this.freezeAt = freezeAt;
			return this;
		}

		public SloConfig build() {
			return new SloConfig(objective, window, latencyThreshold, slowDownAt, freezeAt);
		}

	}

}

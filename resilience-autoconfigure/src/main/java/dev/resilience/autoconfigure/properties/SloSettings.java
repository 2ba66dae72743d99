package dev.resilience.autoconfigure.properties;

import java.time.Duration;

import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.internal.Checks;
import dev.resilience.core.slo.SloConfig;

/**
 * Resolved settings of an instance's service level objective, validated on construction.
 *
 * @param objective percent of events that must be good, in (0, 100); 100 would leave no
 * error budget to measure
 * @param window window over which the objective is measured, in [3d, 100d]: the longest
 * burn-rate alert window (3d) must fit in it, and the error budget's memory grows with it
 * @param latencyThreshold a call slower than this is a bad event even when it succeeds;
 * {@code null} when only failures are bad events
 * @param slowDownAt percent of the budget consumed at which the policy becomes SLOW_DOWN
 * @param freezeAt percent of the budget consumed at which the policy becomes FREEZE
 */
public record SloSettings(double objective, Duration window, Duration latencyThreshold, double slowDownAt,
		double freezeAt) {

	/** Built-in default objective, percent. */
	public static final double DEFAULT_OBJECTIVE = 99.9;

	/** Built-in default window. */
	public static final Duration DEFAULT_WINDOW = Duration.ofDays(30);

	/** Built-in default budget consumption for SLOW_DOWN, percent. */
	public static final double DEFAULT_SLOW_DOWN_AT = 50;

	/** Built-in default budget consumption for FREEZE, percent. */
	public static final double DEFAULT_FREEZE_AT = 100;

	public SloSettings {
		if (!(objective > 0 && objective < 100)) {
			throw new InvalidConfigException("objective", "must be in (0, 100)", objective);
		}
		Checks.notNull("window", window);
		if (window.compareTo(SloConfig.MIN_WINDOW) < 0 || window.compareTo(SloConfig.MAX_WINDOW) > 0) {
			throw new InvalidConfigException("window", "must be in [3d, 100d]", window);
		}
		if (latencyThreshold != null) {
			Checks.positive("latencyThreshold", latencyThreshold);
		}
		Checks.percent("slowDownAt", slowDownAt);
		Checks.percent("freezeAt", freezeAt);
		if (freezeAt < slowDownAt) {
			throw new InvalidConfigException("freezeAt", "must be >= slowDownAt (" + slowDownAt + ")", freezeAt);
		}
	}

	/**
	 * @return the built-in defaults: 99.9% over 30 days, no latency threshold, slow down
	 * at 50% of the budget consumed, freeze at 100%
	 */
	public static SloSettings defaults() {
		return new SloSettings(DEFAULT_OBJECTIVE, DEFAULT_WINDOW, null, DEFAULT_SLOW_DOWN_AT, DEFAULT_FREEZE_AT);
	}

	/**
	 * @return the settings as the error budget engine takes them
	 */
	public SloConfig toConfig() {
		return new SloConfig(this.objective, this.window, this.latencyThreshold, this.slowDownAt, this.freezeAt);
	}

	/**
	 * @return whether slow successful calls count as bad events
	 */
	public boolean hasLatencyThreshold() {
		return this.latencyThreshold != null;
	}

}

package dev.resilience.core.slo;

import java.time.Duration;

/**
 * The fixed windows over which burn rates are reported and alerts are evaluated.
 */
public enum BurnWindow {

	/** Five minutes: the short window of the fast page. */
	FIVE_MINUTES("5m", Duration.ofMinutes(5)),

	/** Thirty minutes: the short window of the slower page. */
	THIRTY_MINUTES("30m", Duration.ofMinutes(30)),

	/** One hour: the long window of the fast page. */
	ONE_HOUR("1h", Duration.ofHours(1)),

	/** Two hours: the short window of the fast ticket. */
	TWO_HOURS("2h", Duration.ofHours(2)),

	/** Six hours: the long window of the slower page, the short one of the slow ticket. */
	SIX_HOURS("6h", Duration.ofHours(6)),

	/** One day: the long window of the fast ticket. */
	ONE_DAY("1d", Duration.ofDays(1)),

	/** Three days: the long window of the slow ticket. */
	THREE_DAYS("3d", Duration.ofDays(3));

	private final String label;

	private final Duration duration;

	BurnWindow(String label, Duration duration) {
		this.label = label;
		this.duration = duration;
	}

	/**
	 * @return the short name used as a key in reports ({@code 5m}, {@code 1d})
	 */
	public String label() {
		return label;
	}

	/**
	 * @return the window's length
	 */
	public Duration duration() {
		return duration;
	}

}

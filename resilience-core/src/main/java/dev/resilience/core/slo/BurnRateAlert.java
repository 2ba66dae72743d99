package dev.resilience.core.slo;

import dev.resilience.core.internal.Checks;

/**
 * One multiwindow burn-rate alert as evaluated for a report: it fires when the burn rate
 * over both its long and its short window is above its threshold. The long window makes
 * it significant, the short one makes it clear soon after the burning stops.
 *
 * @param severity how urgent it is
 * @param longWindow the window that makes the alert significant
 * @param shortWindow the window that makes the alert reset quickly
 * @param burnRateThreshold the burn rate both windows must exceed, already scaled to the
 * SLO window
 * @param firing whether both windows burn above the threshold
 */
public record BurnRateAlert(AlertSeverity severity, BurnWindow longWindow, BurnWindow shortWindow,
		double burnRateThreshold, boolean firing) {

	public BurnRateAlert {
		Checks.notNull("severity", severity);
		Checks.notNull("longWindow", longWindow);
		Checks.notNull("shortWindow", shortWindow);
	}

}

package dev.resilience.core.slo.internal;

import java.time.Duration;
import java.util.List;

import dev.resilience.core.slo.AlertSeverity;
import dev.resilience.core.slo.BurnWindow;

/**
 * One multiwindow, multi-burn-rate alert of the SRE workbook, defined for a 30-day SLO
 * window and scaled to others.
 * <p>
 * A 30-day rate stands for a share of the budget spent within the long window: 14.4 over
 * 1h is 2 percent of a 30-day budget in one hour ({@code 0.02 * 720h / 1h}), 6 over 6h is
 * 5 percent, 3 over 1d and 1 over 3d are 10 percent. For an SLO window {@code W} the
 * threshold that means the same share is {@code rate30d * W / 30d}: over 7 days the fast
 * page fires above 3.36.
 *
 * @param severity how urgent the alert is
 * @param longWindow the window that makes it significant
 * @param shortWindow the window that makes it clear quickly
 * @param thirtyDayRate the burn-rate threshold for a 30-day SLO window
 */
public record AlertRule(AlertSeverity severity, BurnWindow longWindow, BurnWindow shortWindow,
		double thirtyDayRate) {

	/** The four alerts, most urgent first. */
	public static final List<AlertRule> WORKBOOK = List.of(
			new AlertRule(AlertSeverity.PAGE, BurnWindow.ONE_HOUR, BurnWindow.FIVE_MINUTES, 14.4),
			new AlertRule(AlertSeverity.PAGE, BurnWindow.SIX_HOURS, BurnWindow.THIRTY_MINUTES, 6),
			new AlertRule(AlertSeverity.TICKET, BurnWindow.ONE_DAY, BurnWindow.TWO_HOURS, 3),
			new AlertRule(AlertSeverity.TICKET, BurnWindow.THREE_DAYS, BurnWindow.SIX_HOURS, 1));

	private static final double THIRTY_DAY_MILLIS = Duration.ofDays(30).toMillis();

	/**
	 * @param sloWindow the SLO window
	 * @return the burn-rate threshold that spends the same share of that window's budget
	 */
	public double thresholdFor(Duration sloWindow) {
		return thirtyDayRate * (sloWindow.toMillis() / THIRTY_DAY_MILLIS);
	}

}

package dev.resilience.core.slo;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.resilience.core.internal.Checks;
import dev.resilience.core.slo.internal.AlertRule;
import dev.resilience.core.slo.internal.BucketLayout;

/**
 * The state of an error budget at one moment, computed from bucket counts: those of one
 * {@link ErrorBudget}, or the {@link BucketSnapshot#merge merged} counts of a fleet.
 * <ul>
 * <li>The burn rate over a window is its bad-event ratio over the allowed one:
 * {@code (bad / events) / (1 - objective / 100)}; 1 spends the budget exactly over the
 * SLO window. A window without events burns 0.</li>
 * <li>Budget consumed is the bad events of the SLO window over the bad events it allows,
 * {@code bad / ((1 - objective / 100) * events)}: the burn rate over the SLO window. With
 * no events nothing is consumed (0): no event was bad, and an idle service is not in
 * breach. It exceeds 1 once the budget is overspent, and the remaining budget,
 * {@code 1 - consumed}, is then negative, showing by how much.</li>
 * <li>The alerts are those of {@link AlertRule#WORKBOOK}, their thresholds scaled to the
 * SLO window; one fires when both its windows burn strictly above its threshold.</li>
 * <li>The policy is {@link ReleasePolicy#FREEZE} once consumed reaches {@code freezeAt}
 * percent, else {@link ReleasePolicy#SLOW_DOWN} once it reaches {@code slowDownAt}, else
 * {@link ReleasePolicy#NORMAL}.</li>
 * </ul>
 * Each window is read at the bucket sizes documented on {@link ErrorBudget}, so it may be
 * up to one bucket short.
 *
 * @param objective percent of events that must be good
 * @param window the SLO window
 * @param events events over the SLO window
 * @param badEvents bad events over the SLO window
 * @param budgetConsumed share of the budget spent, 0 with no events, above 1 when
 * overspent
 * @param budgetRemaining {@code 1 - budgetConsumed}, negative when overspent
 * @param burnRates burn rate per {@link BurnWindow#label() window label}, shortest window
 * first
 * @param alerts the burn-rate alerts, most urgent first
 * @param policy what the budget says about releasing
 */
public record ErrorBudgetReport(double objective, Duration window, long events, long badEvents,
		double budgetConsumed, double budgetRemaining, Map<String, Double> burnRates, List<BurnRateAlert> alerts,
		ReleasePolicy policy) {

	public ErrorBudgetReport {
		Checks.notNull("window", window);
		Checks.notNull("policy", policy);
		// Map.copyOf would lose the order of the windows.
		burnRates = Collections.unmodifiableMap(new LinkedHashMap<>(burnRates));
		alerts = List.copyOf(alerts);
	}

	/**
	 * Computes a report from bucket counts, typically the merged snapshots of every
	 * instance of a fleet; the counts of one instance give what its own
	 * {@link ErrorBudget#report()} gives.
	 * @param config the SLO the counts were recorded for
	 * @param snapshot the counts
	 * @param now the end of every window
	 * @return the report
	 */
	public static ErrorBudgetReport compute(SloConfig config, BucketSnapshot snapshot, Instant now) {
		return compute(config, BucketLayout.forWindow(config.window()), snapshot, now.toEpochMilli());
	}

	static ErrorBudgetReport compute(SloConfig config, BucketLayout layout, BucketSnapshot snapshot,
			long nowEpochMillis) {
		// From the decimal the user wrote: 99.9 allows exactly the double nearest 0.001.
		double allowedRatio = BigDecimal.valueOf(100)
			.subtract(BigDecimal.valueOf(config.objective()))
			.movePointLeft(2)
			.doubleValue();
		Map<String, Double> burnRates = new LinkedHashMap<>();
		for (BurnWindow window : BurnWindow.values()) {
			long[] counts = layout.sum(snapshot, window.duration(), nowEpochMillis);
			burnRates.put(window.label(), burnRate(counts[0], counts[1], allowedRatio));
		}
		List<BurnRateAlert> alerts = new ArrayList<>(AlertRule.WORKBOOK.size());
		for (AlertRule rule : AlertRule.WORKBOOK) {
			double threshold = rule.thresholdFor(config.window());
			boolean firing = burnRates.get(rule.longWindow().label()) > threshold
					&& burnRates.get(rule.shortWindow().label()) > threshold;
			alerts.add(new BurnRateAlert(rule.severity(), rule.longWindow(), rule.shortWindow(), threshold, firing));
		}
		long[] slo = layout.sum(snapshot, config.window(), nowEpochMillis);
		double consumed = burnRate(slo[0], slo[1], allowedRatio);
		return new ErrorBudgetReport(config.objective(), config.window(), slo[0], slo[1], consumed, 1 - consumed,
				burnRates, alerts, policy(config, consumed));
	}

	private static double burnRate(long events, long bad, double allowedRatio) {
		return (events == 0) ? 0 : ((double) bad / events) / allowedRatio;
	}

	private static ReleasePolicy policy(SloConfig config, double consumed) {
		if (consumed >= config.freezeAt() / 100) {
			return ReleasePolicy.FREEZE;
		}
		if (consumed >= config.slowDownAt() / 100) {
			return ReleasePolicy.SLOW_DOWN;
		}
		return ReleasePolicy.NORMAL;
	}

	/**
	 * @param window one of the reported windows
	 * @return the burn rate over it
	 */
	public double burnRate(BurnWindow window) {
		return burnRates.get(window.label());
	}

}

package dev.resilience.autoconfigure.slo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import dev.resilience.core.slo.BurnRateAlert;
import dev.resilience.core.slo.ErrorBudgetReport;
import dev.resilience.core.slo.ReleasePolicy;

/**
 * {@code /actuator/errorbudgets}: for every service level objective, how much of the
 * budget is spent, how fast it burns over each window, which burn-rate alerts fire, and
 * what that means for releases. {@code scope} says whether the numbers are the fleet's
 * (a shared store is configured) or this process's.
 */
@Endpoint(id = "errorbudgets")
public class ErrorBudgetsEndpoint {

	private final ErrorBudgetReports reports;

	public ErrorBudgetsEndpoint(ErrorBudgetReports reports) {
		this.reports = reports;
	}

	@ReadOperation
	public ErrorBudgetsDescriptor errorBudgets() {
		Map<String, ErrorBudgetDescriptor> budgets = new LinkedHashMap<>();
		for (ScopedErrorBudgetReport report : this.reports.reports()) {
			budgets.put(report.name(), ErrorBudgetDescriptor.of(report));
		}
		return new ErrorBudgetsDescriptor(budgets);
	}

	@ReadOperation
	public ErrorBudgetDescriptor errorBudget(@Selector String name) {
		return this.reports.report(name).map(ErrorBudgetDescriptor::of).orElse(null);
	}

	/**
	 * Every error budget, by name.
	 *
	 * @param errorBudgets the budgets
	 */
	public record ErrorBudgetsDescriptor(Map<String, ErrorBudgetDescriptor> errorBudgets) {
	}

	/**
	 * One error budget.
	 *
	 * @param objective percent of events that must be good
	 * @param window the objective's window ({@code 30d})
	 * @param events events over the window
	 * @param badEvents bad events over the window
	 * @param budgetConsumed share of the budget spent; above 1 when overspent
	 * @param budgetRemaining {@code 1 - budgetConsumed}
	 * @param burnRates burn rate per window ({@code 5m} to {@code 3d}): 1 spends the budget
	 * exactly over the objective's window
	 * @param alerts the multiwindow burn-rate alerts, most urgent first
	 * @param policy {@code NORMAL}, {@code SLOW_DOWN} or {@code FREEZE}
	 * @param scope {@code fleet} or {@code process}: whose events are counted
	 */
	public record ErrorBudgetDescriptor(double objective, String window, long events, long badEvents,
			double budgetConsumed, double budgetRemaining, Map<String, Double> burnRates, List<AlertDescriptor> alerts,
			ReleasePolicy policy, String scope) {

		static ErrorBudgetDescriptor of(ScopedErrorBudgetReport scoped) {
			ErrorBudgetReport report = scoped.report();
			List<AlertDescriptor> alerts = new ArrayList<>(report.alerts().size());
			for (BurnRateAlert alert : report.alerts()) {
				alerts.add(new AlertDescriptor(alert.severity().label(), alert.longWindow().label(),
						alert.shortWindow().label(), alert.burnRateThreshold(), alert.firing()));
			}
			return new ErrorBudgetDescriptor(report.objective(), Durations.format(report.window()), report.events(),
					report.badEvents(), report.budgetConsumed(), report.budgetRemaining(), report.burnRates(), alerts,
					report.policy(), scoped.scope().label());
		}

	}

	/**
	 * One burn-rate alert.
	 *
	 * @param severity {@code page} or {@code ticket}
	 * @param longWindow the window that makes it significant
	 * @param shortWindow the window that makes it clear soon after the burning stops
	 * @param burnRate the rate both windows must burn above for it to fire
	 * @param firing whether it fires
	 */
	public record AlertDescriptor(String severity, String longWindow, String shortWindow, double burnRate,
			boolean firing) {
	}

}

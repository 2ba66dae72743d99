package dev.resilience.autoconfigure.slo;

import java.util.Objects;

import dev.resilience.core.slo.ErrorBudgetReport;

/**
 * An error budget's report and whose events it counts.
 *
 * @param name the objective's name
 * @param scope whose events the report counts
 * @param report the report
 */
public record ScopedErrorBudgetReport(String name, ErrorBudgetScope scope, ErrorBudgetReport report) {

	public ScopedErrorBudgetReport {
		Objects.requireNonNull(name, "name must not be null");
		Objects.requireNonNull(scope, "scope must not be null");
		Objects.requireNonNull(report, "report must not be null");
	}

}

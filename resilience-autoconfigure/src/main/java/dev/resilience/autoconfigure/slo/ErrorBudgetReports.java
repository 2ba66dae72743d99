package dev.resilience.autoconfigure.slo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.resilience.core.slo.ErrorBudget;
import dev.resilience.core.slo.ErrorBudgetReport;

/**
 * Reports on the application's error budgets: over the whole fleet when they are shared
 * through an {@link ErrorBudgetFleet}, else over this process. When the shared store
 * cannot be read, a report falls back to this process's counts and says so in its scope.
 * Each report reads every bucket (and, for the fleet, the store), so this is meant for
 * endpoints and scrapes, not for every call.
 */
public final class ErrorBudgetReports {

	private static final Log logger = LogFactory.getLog(ErrorBudgetReports.class);

	private final ErrorBudgetRegistry registry;

	private final ErrorBudgetFleet fleet;

	private ErrorBudgetReports(ErrorBudgetRegistry registry, ErrorBudgetFleet fleet) {
		this.registry = Objects.requireNonNull(registry, "registry must not be null");
		this.fleet = fleet;
	}

	/**
	 * @param registry the budgets
	 * @return reports on this process's counts
	 */
	public static ErrorBudgetReports ofProcess(ErrorBudgetRegistry registry) {
		return new ErrorBudgetReports(registry, null);
	}

	/**
	 * @param registry the budgets
	 * @param fleet how they are shared
	 * @return reports on the fleet's counts
	 */
	public static ErrorBudgetReports ofFleet(ErrorBudgetRegistry registry, ErrorBudgetFleet fleet) {
		return new ErrorBudgetReports(registry, Objects.requireNonNull(fleet, "fleet must not be null"));
	}

	/**
	 * @return the scope reports have while the store can be read
	 */
	public ErrorBudgetScope scope() {
		return (this.fleet != null) ? ErrorBudgetScope.FLEET : ErrorBudgetScope.PROCESS;
	}

	/**
	 * @return a report per budget, sorted by name
	 */
	public List<ScopedErrorBudgetReport> reports() {
		List<ErrorBudget> budgets = this.registry.errorBudgets();
		List<ScopedErrorBudgetReport> reports = new ArrayList<>(budgets.size());
		for (ErrorBudget budget : budgets) {
			reports.add(report(budget));
		}
		return reports;
	}

	/**
	 * @param name an objective's name
	 * @return its report, if there is such a budget
	 */
	public Optional<ScopedErrorBudgetReport> report(String name) {
		return this.registry.find(name).map(this::report);
	}

	private ScopedErrorBudgetReport report(ErrorBudget budget) {
		if (this.fleet != null) {
			Instant now = this.registry.clock().instant();
			try {
				ErrorBudgetReport report = ErrorBudgetReport.compute(budget.config(),
						this.fleet.fleetSnapshot(budget, now), now);
				return new ScopedErrorBudgetReport(budget.name(), ErrorBudgetScope.FLEET, report);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not read the fleet's error budget '" + budget.name() + "' from "
						+ this.fleet.store() + "; reporting this instance's own: " + ex.getMessage());
			}
		}
		return new ScopedErrorBudgetReport(budget.name(), ErrorBudgetScope.PROCESS, budget.report());
	}

}

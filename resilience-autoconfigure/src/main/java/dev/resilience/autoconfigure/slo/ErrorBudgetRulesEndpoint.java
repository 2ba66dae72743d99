package dev.resilience.autoconfigure.slo;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

import dev.resilience.core.slo.ErrorBudget;
import dev.resilience.core.slo.SloConfig;

/**
 * {@code /actuator/errorbudgetrules}: the {@link PrometheusRules} for every error budget
 * of the application, as a YAML rules file
 * ({@code curl -s localhost:8080/actuator/errorbudgetrules > resilience-slo.rules.yml}).
 * An endpoint of its own rather than a path under {@code errorbudgets}, where it would
 * read as the budget of an objective named like it.
 */
@Endpoint(id = "errorbudgetrules")
public class ErrorBudgetRulesEndpoint {

	/** The media type of the rules, YAML (RFC 9512). */
	public static final String MEDIA_TYPE = "application/yaml";

	private final ErrorBudgetRegistry registry;

	public ErrorBudgetRulesEndpoint(ErrorBudgetRegistry registry) {
		this.registry = registry;
	}

	@ReadOperation(produces = MEDIA_TYPE)
	public String rules() {
		Map<String, SloConfig> objectives = new LinkedHashMap<>();
		for (ErrorBudget budget : this.registry.errorBudgets()) {
			objectives.put(budget.name(), budget.config());
		}
		return PrometheusRules.generate(objectives);
	}

}

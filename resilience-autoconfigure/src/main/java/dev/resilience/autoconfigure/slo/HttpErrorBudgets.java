package dev.resilience.autoconfigure.slo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.util.pattern.PatternParseException;

import dev.resilience.autoconfigure.properties.HttpSloSettings;
import dev.resilience.autoconfigure.properties.ResilienceConfigurationException;
import dev.resilience.core.slo.ErrorBudget;

/**
 * The service level objectives over the application's HTTP routes
 * ({@code resilience.slo.http.<name>}): every request that matches an objective's path
 * pattern (within the context path) and method is one event of its error budget, bad
 * when the response status is 5xx or the request took longer than the latency threshold.
 * A request matching several objectives counts in each.
 */
public final class HttpErrorBudgets {

	private final List<Route> routes;

	private HttpErrorBudgets(List<Route> routes) {
		this.routes = routes;
	}

	/**
	 * Creates the budgets of the objectives in {@code registry}.
	 * @param slos the objectives
	 * @param registry where their budgets live
	 * @return the routes
	 * @throws ResilienceConfigurationException when a path is not a valid pattern
	 */
	public static HttpErrorBudgets create(Collection<HttpSloSettings> slos, ErrorBudgetRegistry registry) {
		List<Route> routes = new ArrayList<>(slos.size());
		for (HttpSloSettings slo : slos) {
			PathPattern pattern;
			try {
				pattern = PathPatternParser.defaultInstance.parse(slo.path());
			}
			catch (PatternParseException ex) {
				throw ResilienceConfigurationException.invalidValue(
						"resilience.slo.http." + slo.name() + ".path", slo.path(),
						"must be a path pattern (" + ex.getMessage() + ")", ex);
			}
			ErrorBudget budget = registry.errorBudget(slo.name(), slo.slo().toConfig());
			routes.add(new Route(pattern, slo.method(), budget));
		}
		return new HttpErrorBudgets(List.copyOf(routes));
	}

	/**
	 * @return whether any objective is configured
	 */
	public boolean isEmpty() {
		return this.routes.isEmpty();
	}

	/**
	 * Records one finished request in the budget of every objective it matches.
	 * @param request the request
	 * @param status the response status
	 * @param durationNanos how long the request took
	 */
	public void record(HttpServletRequest request, int status, long durationNanos) {
		if (this.routes.isEmpty()) {
			return;
		}
		PathContainer path = null;
		boolean failed = status >= 500;
		for (Route route : this.routes) {
			if (route.method != null && !route.method.equals(request.getMethod())) {
				continue;
			}
			if (path == null) {
				path = RequestPath.parse(request.getRequestURI(), request.getContextPath()).pathWithinApplication();
			}
			if (route.pattern.matches(path)) {
				route.budget.recordCall(durationNanos, failed);
			}
		}
	}

	@Override
	public String toString() {
		return "HttpErrorBudgets" + this.routes;
	}

	private record Route(PathPattern pattern, String method, ErrorBudget budget) {

		Route {
			Objects.requireNonNull(pattern, "pattern must not be null");
			Objects.requireNonNull(budget, "budget must not be null");
		}

		@Override
		public String toString() {
			return ((method != null) ? method + " " : "") + pattern + " -> " + budget.name();
		}

	}

}

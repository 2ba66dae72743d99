package dev.resilience.autoconfigure.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerState;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Reports circuit breakers in {@code /actuator/health}. An open breaker means a
 * dependency is failing, not that this application is: it contributes the configured
 * {@code resilience.health.open-circuit-status} ({@code UNKNOWN} by default, which never
 * turns the aggregate health DOWN), and the breakers' states as details.
 */
public class CircuitBreakersHealthIndicator implements HealthIndicator {

	private final ResilienceRegistry registry;

	private final Status openCircuitStatus;

	public CircuitBreakersHealthIndicator(ResilienceRegistry registry, Status openCircuitStatus) {
		this.registry = registry;
		this.openCircuitStatus = openCircuitStatus;
	}

	@Override
	public Health health() {
		Map<String, Object> details = new LinkedHashMap<>();
		boolean anyOpen = false;
		for (CircuitBreaker breaker : registry.circuitBreakers()) {
			CircuitBreakerState state = breaker.state();
			details.put(breaker.name(), state);
			anyOpen |= (state == CircuitBreakerState.OPEN || state == CircuitBreakerState.FORCED_OPEN);
		}
		return Health.status(anyOpen ? openCircuitStatus : Status.UP).withDetails(details).build();
	}

}

package dev.resilience.autoconfigure.circuitbreaker.fleet;

import java.util.Objects;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.resilience.autoconfigure.metrics.ResilienceMeterNames;
import dev.resilience.autoconfigure.properties.ResiliencePolicyResolver;
import dev.resilience.core.ResilienceRegistryListener;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.fleet.CircuitBreakerFleet;
import dev.resilience.core.circuitbreaker.fleet.FleetView;

/**
 * Publishes, per fleet breaker, how often the fleet's outcomes opened it
 * ({@code resilience.circuitbreaker.fleet.trips}), how many exchanges with the store it
 * tried ({@code resilience.circuitbreaker.fleet.exchanges}, tagged {@code kind}
 * {@code scheduled} or {@code early}) and how many failed
 * ({@code resilience.circuitbreaker.fleet.exchange.failures}), all tagged with the
 * breaker's name.
 */
public final class CircuitBreakerFleetMeters implements ResilienceRegistryListener {

	private static final String KIND = "kind";

	private final CircuitBreakerFleet fleet;

	private final ResiliencePolicyResolver resolver;

	private final MeterRegistry registry;

	/**
	 * @param fleet the fleet whose views to publish
	 * @param resolver which breakers are fleet breakers
	 * @param registry where to publish
	 */
	public CircuitBreakerFleetMeters(CircuitBreakerFleet fleet, ResiliencePolicyResolver resolver,
			MeterRegistry registry) {
		this.fleet = Objects.requireNonNull(fleet, "fleet must not be null");
		this.resolver = Objects.requireNonNull(resolver, "resolver must not be null");
		this.registry = Objects.requireNonNull(registry, "registry must not be null");
	}

	@Override
	public void onCircuitBreakerAdded(CircuitBreaker circuitBreaker) {
		String name = circuitBreaker.name();
		if (!this.resolver.resolve(name).circuitBreakerFleet()) {
			return;
		}
		FunctionCounter.builder(ResilienceMeterNames.CIRCUIT_BREAKER_FLEET_TRIPS, this.fleet,
				(fleet) -> fleet.view(name).map(FleetView::trips).orElse(0L))
			.description("How often the fleet's outcomes opened the circuit breaker")
			.tag(ResilienceMeterNames.TAG_NAME, name)
			.register(this.registry);
		FunctionCounter.builder(ResilienceMeterNames.CIRCUIT_BREAKER_FLEET_EXCHANGES, this.fleet,
				(fleet) -> fleet.view(name).map((view) -> view.exchanges() - view.earlyExchanges()).orElse(0L))
			.description("Exchanges with the fleet's store, every sync-interval, tried for the circuit breaker")
			.tag(ResilienceMeterNames.TAG_NAME, name)
			.tag(KIND, "scheduled")
			.register(this.registry);
		FunctionCounter.builder(ResilienceMeterNames.CIRCUIT_BREAKER_FLEET_EXCHANGES, this.fleet,
				(fleet) -> fleet.view(name).map(FleetView::earlyExchanges).orElse(0L))
			.description("Exchanges with the fleet's store tried for the circuit breaker, brought forward by a "
					+ "failed or slow call or a probe")
			.tag(ResilienceMeterNames.TAG_NAME, name)
			.tag(KIND, "early")
			.register(this.registry);
		FunctionCounter.builder(ResilienceMeterNames.CIRCUIT_BREAKER_FLEET_EXCHANGE_FAILURES, this.fleet,
				(fleet) -> fleet.view(name).map(FleetView::failedExchanges).orElse(0L))
			.description("Exchanges of the circuit breaker's outcomes with the fleet's store that failed")
			.tag(ResilienceMeterNames.TAG_NAME, name)
			.register(this.registry);
	}

}

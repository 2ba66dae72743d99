package dev.resilience.autoconfigure.actuate;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.circuitbreaker.fleet.CircuitBreakerFleet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The actuator endpoints {@code circuitbreakers}, {@code retries} and {@code bulkheads},
 * each created only when exposed (the write operation of {@code circuitbreakers} also
 * needs the endpoint's access to allow writes, as it does by default once exposed). The
 * health contributor is {@link ResilienceHealthAutoConfiguration}'s.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
public final class ResilienceEndpointsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	CircuitBreakersEndpoint circuitBreakersEndpoint(ResilienceRegistry registry,
			ObjectProvider<CircuitBreakerFleet> fleet) {
		return new CircuitBreakersEndpoint(registry, fleet.getIfUnique());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(endpoint = CircuitBreakersEndpoint.class, exposure = EndpointExposure.WEB)
	CircuitBreakersEndpointWebExtension circuitBreakersEndpointWebExtension(CircuitBreakersEndpoint endpoint) {
		return new CircuitBreakersEndpointWebExtension(endpoint);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	RetriesEndpoint retriesEndpoint(ResilienceRegistry registry) {
		return new RetriesEndpoint(registry);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	BulkheadsEndpoint bulkheadsEndpoint(ResilienceRegistry registry) {
		return new BulkheadsEndpoint(registry);
	}

}

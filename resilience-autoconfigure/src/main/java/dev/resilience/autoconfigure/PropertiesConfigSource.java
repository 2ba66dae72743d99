package dev.resilience.autoconfigure;

import dev.resilience.autoconfigure.properties.ResiliencePolicyResolver;
import dev.resilience.core.ResilienceConfigSource;
import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.retry.RetryConfig;

/**
 * Answers the core registry's questions from {@code resilience.*}: an instance's
 * configuration is {@code resilience.instances.<name>} over {@code resilience.defaults}
 * over the built-in defaults.
 */
final class PropertiesConfigSource implements ResilienceConfigSource {

	private final ResiliencePolicyResolver resolver;

	PropertiesConfigSource(ResiliencePolicyResolver resolver) {
		this.resolver = resolver;
	}

	@Override
	public CircuitBreakerConfig circuitBreakerConfig(String name) {
		return resolver.resolve(name).circuitBreaker();
	}

	@Override
	public RetryConfig retryConfig(String name) {
		return resolver.resolve(name).retry();
	}

	@Override
	public BulkheadConfig bulkheadConfig(String name) {
		return resolver.resolve(name).bulkhead();
	}

}

package dev.resilience.core;

import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.retry.RetryConfig;

/**
 * Where a {@link ResilienceRegistry} finds the configuration of an instance by name. The
 * Spring Boot integration answers from {@code application.yml}; a program without Spring
 * can answer from code.
 */
public interface ResilienceConfigSource {

	/**
	 * @param name the instance name
	 * @return the circuit breaker configuration of that instance
	 */
	CircuitBreakerConfig circuitBreakerConfig(String name);

	/**
	 * @param name the instance name
	 * @return the retry configuration of that instance
	 */
	RetryConfig retryConfig(String name);

	/**
	 * @param name the instance name
	 * @return the bulkhead configuration of that instance
	 */
	BulkheadConfig bulkheadConfig(String name);

	/**
	 * @return a source that gives every instance the documented defaults
	 */
	static ResilienceConfigSource defaults() {
		return new ResilienceConfigSource() {

			@Override
			public CircuitBreakerConfig circuitBreakerConfig(String name) {
				return CircuitBreakerConfig.defaults();
			}

			@Override
			public RetryConfig retryConfig(String name) {
				return RetryConfig.defaults();
			}

			@Override
			public BulkheadConfig bulkheadConfig(String name) {
				return BulkheadConfig.defaults();
			}

		};
	}

}

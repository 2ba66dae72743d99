package dev.resilience.autoconfigure.properties;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.retry.RetryConfig;

/**
 * Everything configured for one instance after merging the built-in defaults,
 * {@code resilience.defaults} and {@code resilience.instances.<name>}. Every section is
 * present, whether configured or not, so that an annotation can apply any capability to
 * any instance; {@link #configuredSections()} tells which sections the user actually
 * wrote something in.
 *
 * @param name the instance name
 * @param retry the retry settings
 * @param circuitBreaker the circuit breaker settings
 * @param circuitBreakerFleet whether the circuit breaker also opens on the fleet's
 * outcomes ({@code circuit-breaker.fleet})
 * @param bulkhead the bulkhead settings
 * @param slo the service level objective settings
 * @param idempotency the idempotency settings
 * @param configuredSections the sections with at least one key set under the instance or
 * under {@code resilience.defaults}
 */
public record ResolvedPolicy(String name, RetryConfig retry, CircuitBreakerConfig circuitBreaker,
		boolean circuitBreakerFleet, BulkheadConfig bulkhead, SloSettings slo, IdempotencySettings idempotency,
		Set<PolicySection> configuredSections) {

	public ResolvedPolicy {
		// An EnumSet keeps the sections in declaration order when printed.
		configuredSections = configuredSections.isEmpty() ? Set.of()
				: Collections.unmodifiableSet(EnumSet.copyOf(configuredSections));
	}

	/**
	 * @param section a section
	 * @return whether at least one key of the section is set under the instance or under
	 * {@code resilience.defaults}
	 */
	public boolean isConfigured(PolicySection section) {
		return this.configuredSections.contains(section);
	}

}

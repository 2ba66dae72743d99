package dev.resilience.autoconfigure.properties;

import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The settings of one instance, or of {@code resilience.defaults}. Every value is
 * {@code null} until it is set, so that merging can tell "not set" from "set to the
 * default value"; built-in defaults are applied by {@link ResiliencePolicyResolver} only
 * after merging.
 */
public class InstanceProperties {

	/**
	 * Retry with exponential backoff, jitter and a retry budget.
	 */
	@NestedConfigurationProperty
	private final RetryProperties retry = new RetryProperties();

	/**
	 * Circuit breaker.
	 */
	@NestedConfigurationProperty
	private final CircuitBreakerProperties circuitBreaker = new CircuitBreakerProperties();

	/**
	 * Bulkhead limiting concurrent calls.
	 */
	@NestedConfigurationProperty
	private final BulkheadProperties bulkhead = new BulkheadProperties();

	/**
	 * Service level objective and its error budget.
	 */
	@NestedConfigurationProperty
	private final SloProperties slo = new SloProperties();

	/**
	 * Idempotency of the instance's calls.
	 */
	@NestedConfigurationProperty
	private final InstanceIdempotencyProperties idempotency = new InstanceIdempotencyProperties();

	public RetryProperties getRetry() {
		return this.retry;
	}

	public CircuitBreakerProperties getCircuitBreaker() {
		return this.circuitBreaker;
	}

	public BulkheadProperties getBulkhead() {
		return this.bulkhead;
	}

	public SloProperties getSlo() {
		return this.slo;
	}

	public InstanceIdempotencyProperties getIdempotency() {
		return this.idempotency;
	}

}

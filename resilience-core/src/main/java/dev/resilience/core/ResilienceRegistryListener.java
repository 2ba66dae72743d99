package dev.resilience.core;

import dev.resilience.core.bulkhead.Bulkhead;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.retry.Retry;

/**
 * Told when a {@link ResilienceRegistry} creates an instance, so that an integration can,
 * for example, register the instance's gauges. Called once per instance, on the thread
 * that first asked for it, outside any lock.
 */
public interface ResilienceRegistryListener {

	/** A listener that ignores every event. */
	ResilienceRegistryListener NOOP = new ResilienceRegistryListener() {
	};

	default void onCircuitBreakerAdded(CircuitBreaker circuitBreaker) {
	}

	default void onRetryAdded(Retry retry) {
	}

	default void onBulkheadAdded(Bulkhead bulkhead) {
	}

}

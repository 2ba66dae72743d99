package dev.resilience.core.circuitbreaker;

/**
 * The states of a circuit breaker.
 */
public enum CircuitBreakerState {

	/** Calls flow; outcomes are recorded in the sliding window. */
	CLOSED,

	/** Calls fail fast until the current open period has passed (see {@link CircuitBreaker}). */
	OPEN,

	/** A limited number of probes decide whether to close or open again. */
	HALF_OPEN,

	/** Calls fail fast until an operator changes the state. */
	FORCED_OPEN,

	/** Calls flow and nothing is recorded. */
	DISABLED

}

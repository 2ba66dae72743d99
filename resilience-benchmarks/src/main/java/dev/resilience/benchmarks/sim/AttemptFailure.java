package dev.resilience.benchmarks.sim;

/**
 * Why one attempt of a simulated call failed.
 */
public enum AttemptFailure {

	/** No answer within the client's timeout; the origin may still be working on it. */
	TIMEOUT,

	/** The layer below answered with an error (at the innermost layer: the origin did). */
	ERROR,

	/** The client's own guard (a circuit breaker) refused the attempt; nothing was sent. */
	REJECTED

}

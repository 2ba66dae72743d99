package dev.resilience.core.circuitbreaker;

/**
 * Receives a circuit breaker's events. Methods are called on the calling thread, after
 * the fact and outside any lock; an exception thrown by a listener is caught and does
 * not affect the call.
 */
public interface CircuitBreakerListener {

	/** A listener that ignores every event. */
	CircuitBreakerListener NOOP = new CircuitBreakerListener() {
	};

	/**
	 * @param name the breaker's name
	 * @param from the state before
	 * @param to the state after
	 */
	default void onStateTransition(String name, CircuitBreakerState from, CircuitBreakerState to) {
	}

	/**
	 * @param name the breaker's name
	 * @param outcome how the call ended
	 * @param durationNanos how long the call took; zero when it was not permitted
	 */
	default void onCall(String name, CallOutcome outcome, long durationNanos) {
	}

	/**
	 * A probe of a half-open breaker ended; heard after {@link #onCall} for the same call,
	 * and before the transition its outcome caused, if any.
	 * @param name the breaker's name
	 * @param outcome how the probe ended: a success or failure, slow or not
	 * @param durationNanos how long it took
	 */
	default void onProbe(String name, CallOutcome outcome, long durationNanos) {
	}

}

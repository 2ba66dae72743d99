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
	 * Stands for no ticker reading: a caller of {@link CircuitBreaker.Permit} passes it for
	 * a call it timed on another clock, and the breaker then calls the methods without a
	 * reading; it never passes it to the methods that take one.
	 */
	long NO_END = Long.MIN_VALUE;

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
	 * A call ended that the breaker, or its caller, timed on the breaker's own
	 * {@link CircuitBreaker#ticker()}: heard instead of {@link #onCall(String, CallOutcome, long)},
	 * to which it goes unless overridden. A listener that places calls in time can use
	 * {@code endNanos} instead of reading a clock of its own.
	 * @param name the breaker's name
	 * @param outcome how the call ended
	 * @param durationNanos how long the call took
	 * @param endNanos the breaker's ticker reading at the call's end
	 */
	default void onCall(String name, CallOutcome outcome, long durationNanos, long endNanos) {
		onCall(name, outcome, durationNanos);
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

	/**
	 * A probe ended that was timed on the breaker's own ticker, as
	 * {@link #onCall(String, CallOutcome, long, long)}; goes to
	 * {@link #onProbe(String, CallOutcome, long)} unless overridden.
	 * @param name the breaker's name
	 * @param outcome how the probe ended: a success or failure, slow or not
	 * @param durationNanos how long it took
	 * @param endNanos the breaker's ticker reading at the probe's end
	 */
	default void onProbe(String name, CallOutcome outcome, long durationNanos, long endNanos) {
		onProbe(name, outcome, durationNanos);
	}

}

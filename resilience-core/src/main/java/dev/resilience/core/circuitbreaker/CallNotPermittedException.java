package dev.resilience.core.circuitbreaker;

import java.time.Duration;

import dev.resilience.core.ResilienceException;

/**
 * A circuit breaker refused a call: it is open, forced open, or its half-open probes are
 * all taken. Carries how long until the breaker admits probes again. It has no stack
 * trace: it is thrown on the fast path while a dependency is failing.
 */
public final class CallNotPermittedException extends ResilienceException {

	private static final long serialVersionUID = 1L;

	private final String circuitBreakerName;

	private final CircuitBreakerState state;

	private final Duration retryAfter;

	public CallNotPermittedException(String circuitBreakerName, CircuitBreakerState state, Duration retryAfter) {
		super("Circuit breaker '" + circuitBreakerName + "' is " + state + " and does not permit further calls",
				null, false);
		this.circuitBreakerName = circuitBreakerName;
		this.state = state;
		this.retryAfter = retryAfter;
	}

	/**
	 * @return the name of the breaker that refused the call
	 */
	public String circuitBreakerName() {
		return circuitBreakerName;
	}

	/**
	 * @return the breaker's state when it refused the call
	 */
	public CircuitBreakerState state() {
		return state;
	}

	/**
	 * @return how long until the breaker admits probes again; zero when it is half-open
	 * with every probe slot taken, or unknown (forced open)
	 */
	public Duration retryAfter() {
		return retryAfter;
	}

}

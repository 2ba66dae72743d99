package dev.resilience.core.circuitbreaker;

/**
 * How a circuit breaker's window of recent calls is measured.
 */
public enum SlidingWindowType {

	/** The last {@code slidingWindowSize} calls. */
	COUNT,

	/** The calls of the last {@code slidingWindowSize} seconds. */
	TIME

}

package dev.resilience.core.retry;

/**
 * Receives a retry's events. Methods are called on the calling thread; an exception
 * thrown by a listener is caught and does not affect the call.
 */
public interface RetryListener {

	/** A listener that ignores every event. */
	RetryListener NOOP = new RetryListener() {
	};

	/**
	 * A failed attempt will be retried after a wait.
	 * @param name the retry's name
	 * @param attempt the number of the attempt that failed, from 1
	 * @param delayNanos the wait before the next attempt
	 * @param cause the attempt's failure, or {@code null} when a result was retried
	 */
	default void onRetry(String name, int attempt, long delayNanos, Throwable cause) {
	}

	/**
	 * A retry was refused because the retry budget was spent.
	 * @param name the retry's name
	 */
	default void onBudgetDenied(String name) {
	}

	/**
	 * A logical call ended.
	 * @param name the retry's name
	 * @param outcome how it ended
	 * @param attempts how many attempts it made
	 */
	default void onCallFinished(String name, RetryOutcome outcome, int attempts) {
	}

}

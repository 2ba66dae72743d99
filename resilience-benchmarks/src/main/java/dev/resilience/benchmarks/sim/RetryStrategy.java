package dev.resilience.benchmarks.sim;

/**
 * The retry decisions of one simulated client at one layer: whether an attempt may go
 * out, and whether and when a failed attempt is tried again. The simulator owns the
 * calls, the clock and the timeouts; a strategy only decides. One instance serves one
 * client's calls at one layer, so it may keep state (a budget, a breaker) across them.
 */
public interface RetryStrategy {

	/** Returned by {@link #onFailure} when the call gives up: attempts spent, or not retried. */
	long NO_RETRY = -1;

	/** Returned by {@link #onFailure} when a retry was wanted but a retry budget refused it. */
	long BUDGET_DENIED = -2;

	/**
	 * A logical call starts at this layer; called once, before its first attempt.
	 */
	default void onCallStarted() {
	}

	/**
	 * Asks to make attempt {@code attempt}.
	 * @param attempt the attempt's number, from 1
	 * @return a permit to report the attempt's outcome to, or {@code null} when the
	 * attempt is refused; a refused attempt fails at once with
	 * {@link AttemptFailure#REJECTED} and puts no load on the layer below
	 */
	default Permit beforeAttempt(int attempt) {
		return Permit.NONE;
	}

	/**
	 * Attempt {@code attempt} failed; decides what happens next.
	 * @param attempt the number of the attempt that failed, from 1
	 * @param previousDelayNanos the wait before that attempt, zero after the first
	 * @param failure why it failed
	 * @return nanoseconds to wait before the next attempt, or {@link #NO_RETRY} or
	 * {@link #BUDGET_DENIED} to give up
	 */
	long onFailure(int attempt, long previousDelayNanos, AttemptFailure failure);

	/**
	 * Receives the outcome of one permitted attempt.
	 */
	interface Permit {

		/** A permit that records nothing, for strategies without a guard. */
		Permit NONE = new Permit() {
		};

		/**
		 * @param durationNanos how long the attempt took
		 */
		default void succeeded(long durationNanos) {
		}

		/**
		 * @param durationNanos how long the attempt took
		 * @param failure why it failed
		 */
		default void failed(long durationNanos, AttemptFailure failure) {
		}

	}

}

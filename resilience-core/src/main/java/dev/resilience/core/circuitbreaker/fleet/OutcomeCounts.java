package dev.resilience.core.circuitbreaker.fleet;

/**
 * How many calls ended in a stretch of time, and how many of them failed or were slow,
 * as one process reports them to a {@link FleetOutcomeStore} and as the store adds them
 * up over the fleet.
 *
 * @param calls calls with a recorded outcome (not refused, not ignored)
 * @param failedCalls how many of them failed, in [0, calls]
 * @param slowCalls how many of them were slow, in [0, calls]
 */
public record OutcomeCounts(long calls, long failedCalls, long slowCalls) {

	/** No calls. */
	public static final OutcomeCounts EMPTY = new OutcomeCounts(0, 0, 0);

	public OutcomeCounts {
		if (calls < 0) {
			throw new IllegalArgumentException("calls must be >= 0 but was " + calls);
		}
		if (failedCalls < 0 || failedCalls > calls) {
			throw new IllegalArgumentException("failedCalls must be in [0, calls (" + calls + ")] but was " + failedCalls);
		}
		if (slowCalls < 0 || slowCalls > calls) {
			throw new IllegalArgumentException("slowCalls must be in [0, calls (" + calls + ")] but was " + slowCalls);
		}
	}

	/**
	 * @param other more counts
	 * @return the sum of both
	 */
	public OutcomeCounts plus(OutcomeCounts other) {
		return new OutcomeCounts(calls + other.calls, failedCalls + other.failedCalls, slowCalls + other.slowCalls);
	}

	/**
	 * @return whether no call is counted
	 */
	public boolean isEmpty() {
		return calls == 0;
	}

	/**
	 * @return the percentage of failed calls, or -1 without calls
	 */
	public double failureRate() {
		return calls == 0 ? -1 : failedCalls * 100.0 / calls;
	}

	/**
	 * @return the percentage of slow calls, or -1 without calls
	 */
	public double slowCallRate() {
		return calls == 0 ? -1 : slowCalls * 100.0 / calls;
	}

}

package dev.resilience.core.circuitbreaker.fleet;

/**
 * How many calls started in a stretch of time, and how many of them failed or were slow,
 * as one process reports them to a {@link FleetOutcomeStore} and as the store adds them
 * up over the fleet; and how many of those calls were probes of half-open breakers, and
 * how many of the probes failed or were slow.
 * <p>
 * Calls and probes are counted once they have ended, in the stretch they started in: a
 * breaker opens on the calls that started since it last closed, and closes on probes that
 * started since it opened. A probe is also one of the calls, in the same stretch.
 *
 * @param calls calls with a recorded outcome (not refused, not ignored)
 * @param failedCalls how many of them failed, in [0, calls]
 * @param slowCalls how many of them were slow, in [0, calls]
 * @param probes probes of half-open breakers with a recorded outcome
 * @param failedProbes how many of them failed, in [0, probes]
 * @param slowProbes how many of them were slow, in [0, probes]
 */
public record OutcomeCounts(long calls, long failedCalls, long slowCalls, long probes, long failedProbes,
		long slowProbes) {

	/** No calls. */
	public static final OutcomeCounts EMPTY = new OutcomeCounts(0, 0, 0);

	public OutcomeCounts {
		check("calls", calls, "failedCalls", failedCalls, "slowCalls", slowCalls);
		check("probes", probes, "failedProbes", failedProbes, "slowProbes", slowProbes);
	}

	/**
	 * Counts of calls without probes.
	 * @param calls calls with a recorded outcome (not refused, not ignored)
	 * @param failedCalls how many of them failed, in [0, calls]
	 * @param slowCalls how many of them were slow, in [0, calls]
	 */
	public OutcomeCounts(long calls, long failedCalls, long slowCalls) {
		this(calls, failedCalls, slowCalls, 0, 0, 0);
	}

	private static void check(String wholeName, long whole, String failedName, long failed, String slowName,
			long slow) {
		if (whole < 0) {
			throw new IllegalArgumentException(wholeName + " must be >= 0 but was " + whole);
		}
		if (failed < 0 || failed > whole) {
			throw new IllegalArgumentException(
					failedName + " must be in [0, " + wholeName + " (" + whole + ")] but was " + failed);
		}
		if (slow < 0 || slow > whole) {
			throw new IllegalArgumentException(
					slowName + " must be in [0, " + wholeName + " (" + whole + ")] but was " + slow);
		}
	}

	/**
	 * @param other more counts
	 * @return the sum of both
	 */
	public OutcomeCounts plus(OutcomeCounts other) {
		return new OutcomeCounts(calls + other.calls, failedCalls + other.failedCalls, slowCalls + other.slowCalls,
				probes + other.probes, failedProbes + other.failedProbes, slowProbes + other.slowProbes);
	}

	/**
	 * @return whether neither a call nor a probe is counted
	 */
	public boolean isEmpty() {
		return calls == 0 && probes == 0;
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

package dev.resilience.core.circuitbreaker.internal;

/**
 * How many calls a window holds, and how many of them failed or were slow.
 *
 * @param calls the recorded calls
 * @param failedCalls the failed ones among them
 * @param slowCalls the slow ones among them
 */
public record WindowCounts(int calls, int failedCalls, int slowCalls) {

	/** A window with no calls. */
	public static final WindowCounts EMPTY = new WindowCounts(0, 0, 0);

	/**
	 * @param minimumCalls calls needed before a rate means anything
	 * @return the percent of failed calls, or {@code null} below {@code minimumCalls}
	 */
	public Double failureRate(int minimumCalls) {
		return calls >= minimumCalls && calls > 0 ? RateThresholds.percent(failedCalls, calls) : null;
	}

	/**
	 * @param minimumCalls calls needed before a rate means anything
	 * @return the percent of slow calls, or {@code null} below {@code minimumCalls}
	 */
	public Double slowCallRate(int minimumCalls) {
		return calls >= minimumCalls && calls > 0 ? RateThresholds.percent(slowCalls, calls) : null;
	}

	/** Counts may exceed an int in a long time window under heavy traffic; report the largest int instead. */
	static int saturate(long value) {
		return (int) Math.max(0, Math.min(Integer.MAX_VALUE, value));
	}

}

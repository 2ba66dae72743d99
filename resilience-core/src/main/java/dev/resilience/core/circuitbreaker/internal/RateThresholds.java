package dev.resilience.core.circuitbreaker.internal;

import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;

/**
 * When a set of calls trips a breaker: at least {@code minimumCalls} of them, and a
 * failure rate or slow-call rate at or above its threshold. Rates are computed the same
 * way here and in the reported metrics, so a reported rate at the threshold always
 * means an open breaker.
 *
 * @param minimumCalls calls needed before the rates are compared
 * @param failureRateThreshold percent of failed calls that trips
 * @param slowCallRateThreshold percent of slow calls that trips
 */
public record RateThresholds(int minimumCalls, double failureRateThreshold, double slowCallRateThreshold) {

	/**
	 * @param config a breaker's configuration
	 * @return the thresholds of its closed state
	 */
	public static RateThresholds of(CircuitBreakerConfig config) {
		return new RateThresholds(config.minimumCalls(), config.failureRateThreshold(),
				config.slowCallRateThreshold());
	}

	/**
	 * @return whether there are enough calls and one of the rates reaches its threshold
	 */
	public boolean exceeded(long calls, long failedCalls, long slowCalls) {
		return calls >= minimumCalls && calls > 0 && rateReached(calls, failedCalls, slowCalls);
	}

	/**
	 * @return whether one of the rates reaches its threshold, whatever the number of calls
	 */
	public boolean rateReached(long calls, long failedCalls, long slowCalls) {
		return percent(failedCalls, calls) >= failureRateThreshold
				|| percent(slowCalls, calls) >= slowCallRateThreshold;
	}

	static double percent(long part, long whole) {
		return part * 100.0 / whole;
	}

}

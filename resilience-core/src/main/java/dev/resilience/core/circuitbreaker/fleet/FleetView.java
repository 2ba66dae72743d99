package dev.resilience.core.circuitbreaker.fleet;

import java.time.Instant;

/**
 * What a process last learned from the fleet about one breaker.
 *
 * @param window the fleet's outcomes the last decision looked at: the newest buckets
 * since this breaker last closed, as many as its sliding window covers
 * @param tripped whether those outcomes reach the breaker's thresholds
 * @param trips how often the fleet's outcomes opened this process's breaker
 * @param exchanges how many exchanges with the store this process tried, early ones
 * included: the load it puts on the store
 * @param earlyExchanges how many of those a failed or slow call or a probe brought forward
 * @param failedExchanges how many exchanges with the store failed
 * @param lastExchange when the last exchange with the store succeeded, or {@code null}
 * @param lastFailure why the last exchange failed, or {@code null} when it succeeded
 * @param held whether the fleet holds the breaker open while other processes probe
 * @param probing whether this process probes, its breaker opened by the fleet: drawn to,
 * or released once other members call freely and well again
 */
public record FleetView(OutcomeCounts window, boolean tripped, long trips, long exchanges, long earlyExchanges,
		long failedExchanges, Instant lastExchange, String lastFailure, boolean held, boolean probing) {

	/** Before the first exchange. */
	static final FleetView NONE = new FleetView(OutcomeCounts.EMPTY, false, 0, 0, 0, 0, null, null, false, false);

}

package dev.resilience.core.retry;

/**
 * A snapshot of one retry's counters, as the actuator endpoint and the metrics binding show
 * them.
 *
 * @param calls logical calls made, counted when they start
 * @param retriedCalls finished calls that made more than one attempt
 * @param attempts attempts made, first attempts included (a call in progress counts its
 * first attempt; its retries count when it finishes)
 * @param budgetAvailable retry-budget tokens available now, the reserve included
 * @param budgetRatio the budget's configured retries per first attempt
 * @param budgetDenied retries refused by the budget
 */
public record RetryMetrics(long calls, long retriedCalls, long attempts, double budgetAvailable, double budgetRatio,
		long budgetDenied) {
}

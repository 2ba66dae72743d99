package dev.resilience.core.bulkhead;

import java.time.Duration;

import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.internal.Checks;

/**
 * Settings of one bulkhead, validated on construction.
 *
 * @param maxConcurrentCalls how many calls may run at once; with an adaptive limit, the
 * most that ever may
 * @param maxWait how long a call waits for a permit before it is rejected; zero rejects
 * at once (load shedding)
 * @param adaptive settings of a limit that follows latency within its own bounds, whose
 * {@code maxLimit} must not exceed {@code maxConcurrentCalls}; null for a fixed limit of
 * {@code maxConcurrentCalls}
 */
public record BulkheadConfig(int maxConcurrentCalls, Duration maxWait, AdaptiveLimitConfig adaptive) {

	public BulkheadConfig {
		Checks.atLeast("maxConcurrentCalls", 1, maxConcurrentCalls);
		Checks.notNegative("maxWait", maxWait);
		if (adaptive != null && adaptive.maxLimit() > maxConcurrentCalls) {
			throw new InvalidConfigException("adaptive.maxLimit",
					"must be <= maxConcurrentCalls (" + maxConcurrentCalls + ")", adaptive.maxLimit());
		}
	}

	/**
	 * A bulkhead with a fixed limit.
	 * @param maxConcurrentCalls how many calls may run at once
	 * @param maxWait how long a call waits for a permit before it is rejected
	 */
	public BulkheadConfig(int maxConcurrentCalls, Duration maxWait) {
		this(maxConcurrentCalls, maxWait, null);
	}

	/**
	 * @return whether the limit follows latency
	 */
	public boolean isAdaptive() {
		return adaptive != null;
	}

	/**
	 * @return the documented defaults: 25 concurrent calls, no waiting
	 */
	public static BulkheadConfig defaults() {
		return new BulkheadConfig(25, Duration.ZERO);
	}

	/**
	 * @param maxConcurrentCalls how many calls may run at once
	 * @return a bulkhead that rejects at once past the limit
	 */
	public static BulkheadConfig ofMaxConcurrentCalls(int maxConcurrentCalls) {
		return new BulkheadConfig(maxConcurrentCalls, Duration.ZERO);
	}

	/**
	 * @param adaptive how the limit follows latency
	 * @param maxWait how long a call waits for a permit before it is rejected
	 * @return a bulkhead whose limit follows latency, with {@code maxConcurrentCalls} set
	 * to the adaptive ceiling
	 */
	public static BulkheadConfig adaptive(AdaptiveLimitConfig adaptive, Duration maxWait) {
		Checks.notNull("adaptive", adaptive);
		return new BulkheadConfig(adaptive.maxLimit(), maxWait, adaptive);
	}

}

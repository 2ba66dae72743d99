package dev.resilience.core.bulkhead;

import java.time.Duration;

import dev.resilience.core.internal.Checks;

/**
 * Settings of one bulkhead, validated on construction.
 *
 * @param maxConcurrentCalls how many calls may run at once
 * @param maxWait how long a call waits for a permit before it is rejected; zero rejects
 * at once (load shedding)
 */
public record BulkheadConfig(int maxConcurrentCalls, Duration maxWait) {

	public BulkheadConfig {
		Checks.atLeast("maxConcurrentCalls", 1, maxConcurrentCalls);
		Checks.notNegative("maxWait", maxWait);
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

}

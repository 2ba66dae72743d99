package dev.resilience.core.bulkhead;

import dev.resilience.core.ResilienceException;

/**
 * A bulkhead had no permit free within its {@code maxWait}. It has no stack trace: it is
 * thrown on the fast path while shedding load.
 */
public final class BulkheadFullException extends ResilienceException {

	private static final long serialVersionUID = 1L;

	private final String bulkheadName;

	private final int maxConcurrentCalls;

	public BulkheadFullException(String bulkheadName, int maxConcurrentCalls) {
		super("Bulkhead '" + bulkheadName + "' is full (" + maxConcurrentCalls
				+ " concurrent calls) and does not permit further calls", null, false);
		this.bulkheadName = bulkheadName;
		this.maxConcurrentCalls = maxConcurrentCalls;
	}

	/**
	 * @return the name of the bulkhead that refused the call
	 */
	public String bulkheadName() {
		return bulkheadName;
	}

	/**
	 * @return the limit that was reached
	 */
	public int maxConcurrentCalls() {
		return maxConcurrentCalls;
	}

}

package dev.resilience.core.idempotency;

import dev.resilience.core.ResilienceException;

/**
 * A call with the same idempotency key is still in progress, and it did not finish within
 * the configured {@code wait}. The caller may try again later; the key is not consumed.
 * It has no stack trace: it is an answer to the caller, not a fault in this process.
 */
public final class IdempotencyConflictException extends ResilienceException {

	private static final long serialVersionUID = 1L;

	private final String instanceName;

	private final String key;

	public IdempotencyConflictException(String instanceName, String key) {
		super("A call with idempotency key '" + key + "' of '" + instanceName + "' is already in progress", null,
				false);
		this.instanceName = instanceName;
		this.key = key;
	}

	/**
	 * @return the name of the idempotency instance
	 */
	public String instanceName() {
		return instanceName;
	}

	/**
	 * @return the key that is in flight
	 */
	public String key() {
		return key;
	}

}

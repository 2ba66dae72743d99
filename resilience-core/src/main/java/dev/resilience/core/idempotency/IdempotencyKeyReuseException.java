package dev.resilience.core.idempotency;

import dev.resilience.core.ResilienceException;

/**
 * An idempotency key was used again with a different request: its fingerprint (a hash of
 * the arguments or of the request body) differs from the one stored with the key. The
 * stored result is not returned, and the call does not run. It has no stack trace: it is
 * an answer to the caller, not a fault in this process.
 */
public final class IdempotencyKeyReuseException extends ResilienceException {

	private static final long serialVersionUID = 1L;

	private final String instanceName;

	private final String key;

	public IdempotencyKeyReuseException(String instanceName, String key) {
		super("Idempotency key '" + key + "' of '" + instanceName + "' was already used for a different request",
				null, false);
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
	 * @return the key that was reused
	 */
	public String key() {
		return key;
	}

}

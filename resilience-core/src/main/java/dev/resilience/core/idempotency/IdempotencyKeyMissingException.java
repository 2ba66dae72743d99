package dev.resilience.core.idempotency;

import dev.resilience.core.ResilienceException;

/**
 * An idempotent call came without a key: the web request had no {@code Idempotency-Key}
 * header, or the key expression evaluated to nothing. The call does not run. It has no
 * stack trace: it is an answer to the caller, not a fault in this process.
 */
public final class IdempotencyKeyMissingException extends ResilienceException {

	private static final long serialVersionUID = 1L;

	private final String instanceName;

	public IdempotencyKeyMissingException(String instanceName) {
		super("An idempotency key is required for '" + instanceName + "' but none was given", null, false);
		this.instanceName = instanceName;
	}

	/**
	 * @return the name of the idempotency instance
	 */
	public String instanceName() {
		return instanceName;
	}

}

package dev.resilience.core.idempotency;

import dev.resilience.core.ResilienceException;

/**
 * An idempotency key was given but cannot be used, for instance because it is longer than
 * {@link IdempotencyConfig#maxKeyLength()}. The call does not run; on the web this is the
 * client's mistake (400). It has no stack trace: it is an answer to the caller, not a
 * fault in this process.
 */
public final class IdempotencyKeyInvalidException extends ResilienceException {

	private static final long serialVersionUID = 1L;

	private final String instanceName;

	public IdempotencyKeyInvalidException(String instanceName, String reason) {
		super("Invalid idempotency key for '" + instanceName + "': " + reason, null, false);
		this.instanceName = instanceName;
	}

	/**
	 * @return the name of the idempotency instance
	 */
	public String instanceName() {
		return instanceName;
	}

}

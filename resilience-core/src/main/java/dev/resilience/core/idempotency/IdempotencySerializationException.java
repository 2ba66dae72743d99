package dev.resilience.core.idempotency;

import dev.resilience.core.ResilienceException;

/**
 * A result could not be turned into bytes to be stored, or stored bytes could not be
 * turned back into a result. Either way it is a programming or deployment mistake (a
 * result type the codec does not handle, a class that changed shape), not a client's.
 */
public final class IdempotencySerializationException extends ResilienceException {

	private static final long serialVersionUID = 1L;

	public IdempotencySerializationException(String message, Throwable cause) {
		super(message, cause);
	}

}

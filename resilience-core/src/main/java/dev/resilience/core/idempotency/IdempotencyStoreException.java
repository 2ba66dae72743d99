package dev.resilience.core.idempotency;

import dev.resilience.core.ResilienceException;

/**
 * The idempotency store could not be used: it is unreachable, failed, or (the in-memory
 * store) is full of live keys. When this is thrown before a call, the call did not run:
 * without the store, running it could run it twice. On the web it means 503.
 */
public class IdempotencyStoreException extends ResilienceException {

	private static final long serialVersionUID = 1L;

	public IdempotencyStoreException(String message) {
		super(message);
	}

	public IdempotencyStoreException(String message, Throwable cause) {
		super(message, cause);
	}

}

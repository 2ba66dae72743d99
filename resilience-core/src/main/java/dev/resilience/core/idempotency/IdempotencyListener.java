package dev.resilience.core.idempotency;

/**
 * Receives an idempotency instance's events. Methods are called on the calling thread,
 * after the fact; an exception thrown by a listener is caught and does not affect the call.
 */
public interface IdempotencyListener {

	/** A listener that ignores every event. */
	IdempotencyListener NOOP = new IdempotencyListener() {
	};

	/**
	 * @param name the instance's name
	 * @param outcome how the call was answered
	 */
	default void onOutcome(String name, IdempotencyOutcome outcome) {
	}

	/**
	 * The store failed. Before the call this fails the call; after a successful call it
	 * means the result could not be stored (the caller still gets the result, and the key
	 * stays in progress until its lease runs out).
	 * @param name the instance's name
	 * @param failure what the store threw, wrapped
	 */
	default void onStoreFailure(String name, IdempotencyStoreException failure) {
	}

}

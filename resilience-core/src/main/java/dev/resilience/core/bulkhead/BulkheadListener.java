package dev.resilience.core.bulkhead;

/**
 * Receives a bulkhead's events. Exceptions thrown by a listener are caught.
 */
public interface BulkheadListener {

	/** A listener that ignores every event. */
	BulkheadListener NOOP = new BulkheadListener() {
	};

	/**
	 * @param name the bulkhead's name
	 */
	default void onRejected(String name) {
	}

}

package dev.resilience.core.slo;

/**
 * Receives an error budget's events, on the recording thread. An exception thrown by a
 * listener is caught and does not affect the recording.
 */
public interface ErrorBudgetListener {

	/** A listener that ignores every event. */
	ErrorBudgetListener NOOP = new ErrorBudgetListener() {
	};

	/**
	 * Events were recorded: one good or one bad event per call or outcome, any numbers for
	 * a bulk recording.
	 * @param name the error budget's name
	 * @param goodEvents how many good events were recorded
	 * @param badEvents how many bad events were recorded
	 */
	default void onRecorded(String name, long goodEvents, long badEvents) {
	}

}

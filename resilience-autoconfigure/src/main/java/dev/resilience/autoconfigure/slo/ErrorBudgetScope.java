package dev.resilience.autoconfigure.slo;

import java.util.Locale;

/**
 * Whose events a report counts.
 */
public enum ErrorBudgetScope {

	/** This process's, since it started: no shared store is configured, or it could not be read. */
	PROCESS,

	/** Every instance's that wrote to the shared store, restarted ones included. */
	FLEET;

	/**
	 * @return the lower-case name used in reports ({@code process}, {@code fleet})
	 */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

}

package dev.resilience.autoconfigure.slo;

import dev.resilience.core.ResilienceException;

/**
 * An {@link ErrorBudgetStore} could not be read or written.
 */
public class ErrorBudgetStoreException extends ResilienceException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param message what failed
	 * @param cause why
	 */
	public ErrorBudgetStoreException(String message, Throwable cause) {
		super(message, cause);
	}

}

package dev.resilience.core.circuitbreaker.fleet;

import dev.resilience.core.ResilienceException;

/**
 * A {@link FleetOutcomeStore} could not be reached or failed. The fleet's breakers go on
 * deciding on their own outcomes until the store answers again; no call fails because of
 * it.
 */
public class FleetStoreException extends ResilienceException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param message what failed
	 * @param cause why
	 */
	public FleetStoreException(String message, Throwable cause) {
		super(message, cause);
	}

}

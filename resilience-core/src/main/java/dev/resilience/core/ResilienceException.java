package dev.resilience.core;

/**
 * Base type of every exception the library throws on its own account (a rejected call,
 * an idempotency conflict). Exceptions thrown by the protected method itself are never
 * wrapped in one of these.
 */
public class ResilienceException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	protected ResilienceException(String message) {
		super(message);
	}

	protected ResilienceException(String message, Throwable cause) {
		super(message, cause);
	}

	/**
	 * For rejections that happen on the hot path under overload: building a stack trace
	 * there would cost more than the call it replaces.
	 */
	protected ResilienceException(String message, Throwable cause, boolean writableStackTrace) {
		super(message, cause, true, writableStackTrace);
	}

}

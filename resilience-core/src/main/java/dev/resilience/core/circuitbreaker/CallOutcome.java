package dev.resilience.core.circuitbreaker;

/**
 * How one call through a circuit breaker ended, as reported to listeners and metrics.
 */
public enum CallOutcome {

	SUCCESS, FAILURE, SLOW_SUCCESS, SLOW_FAILURE, NOT_PERMITTED, IGNORED;

	private final String tag = name().toLowerCase(java.util.Locale.ROOT);

	/**
	 * @return the lower-case form used as a metric tag value
	 */
	public String tag() {
		return tag;
	}

}

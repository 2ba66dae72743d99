package dev.resilience.core.retry;

import java.util.Locale;

/**
 * How one logical call through a retry ended, as reported to listeners and metrics.
 */
public enum RetryOutcome {

	SUCCESS_WITHOUT_RETRY, SUCCESS_WITH_RETRY, FAILURE_WITHOUT_RETRY, FAILURE_WITH_RETRY;

	private final String tag = name().toLowerCase(Locale.ROOT);

	/**
	 * @return the lower-case form used as a metric tag value
	 */
	public String tag() {
		return tag;
	}

}

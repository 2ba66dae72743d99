package dev.resilience.core.idempotency;

/**
 * How an idempotent call was answered, as counted by metrics.
 */
public enum IdempotencyOutcome {

	/** The call ran (whether it succeeded or failed). */
	EXECUTED("executed"),

	/** A stored result was returned without running the call. */
	REPLAYED("replayed"),

	/** The key was in progress elsewhere: {@link IdempotencyConflictException}. */
	CONFLICT("conflict"),

	/** The key was used with another fingerprint: {@link IdempotencyKeyReuseException}. */
	REUSED_KEY("reused_key");

	private final String tag;

	IdempotencyOutcome(String tag) {
		this.tag = tag;
	}

	/**
	 * @return the metric tag value, e.g. {@code reused_key}
	 */
	public String tag() {
		return tag;
	}

}

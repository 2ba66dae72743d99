package dev.resilience.autoconfigure.properties;

/**
 * The sections of an instance's configuration.
 */
public enum PolicySection {

	/** {@code retry}, including {@code retry.budget}. */
	RETRY("retry"),

	/** {@code circuit-breaker}. */
	CIRCUIT_BREAKER("circuit-breaker"),

	/** {@code bulkhead}. */
	BULKHEAD("bulkhead"),

	/** {@code slo}. */
	SLO("slo"),

	/** {@code idempotency}. */
	IDEMPOTENCY("idempotency");

	private final String propertyName;

	PolicySection(String propertyName) {
		this.propertyName = propertyName;
	}

	/**
	 * @return the section's key as written in configuration ({@code circuit-breaker})
	 */
	public String propertyName() {
		return this.propertyName;
	}

}

package dev.resilience.core;

/**
 * A configuration value broke a rule. The message names the field, the rule and the
 * value ({@code failureRateThreshold must be in (0, 100] but was 150}); the parts are
 * also available on their own so that an integration can name its own property.
 */
public final class InvalidConfigException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String field;

	private final String rule;

	private final transient Object value;

	public InvalidConfigException(String field, String rule, Object value) {
		super(field + " " + rule + " but was " + value);
		this.field = field;
		this.rule = rule;
		this.value = value;
	}

	/**
	 * @return the name of the offending field, as the configuration record spells it
	 */
	public String field() {
		return field;
	}

	/**
	 * @return the rule, phrased to follow the field name ({@code must be >= 1})
	 */
	public String rule() {
		return rule;
	}

	/**
	 * @return the rejected value
	 */
	public Object value() {
		return value;
	}

}

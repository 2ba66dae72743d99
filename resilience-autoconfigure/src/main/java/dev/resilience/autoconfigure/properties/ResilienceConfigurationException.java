package dev.resilience.autoconfigure.properties;

import java.util.Optional;

import dev.resilience.core.ResilienceException;

/**
 * A {@code resilience.*} property has a value or a key that is not allowed. Thrown at
 * start-up; the message names the full property, the value and what is allowed, and
 * {@link ResilienceConfigurationFailureAnalyzer} turns it into a failure analysis.
 */
public final class ResilienceConfigurationException extends ResilienceException {

	private static final long serialVersionUID = 1L;

	/** The rule of an unknown key. */
	static final String UNKNOWN_PROPERTY = "is not a known property";

	private final String propertyName;

	private final transient Object value;

	private final String rule;

	private final String suggestion;

	private ResilienceConfigurationException(String message, String propertyName, Object value, String rule,
			String suggestion, Throwable cause) {
		super(message, cause);
		this.propertyName = propertyName;
		this.value = value;
		this.rule = rule;
		this.suggestion = suggestion;
	}

	/**
	 * A value breaks a rule.
	 * @param propertyName the full property name
	 * ({@code resilience.instances.payments.circuit-breaker.failure-rate-threshold})
	 * @param value the rejected value, after conversion
	 * @param rule what is allowed, phrased to follow the property name
	 * ({@code must be in (0, 100]})
	 * @param cause the underlying failure, or {@code null}
	 * @return the exception
	 */
	public static ResilienceConfigurationException invalidValue(String propertyName, Object value, String rule,
			Throwable cause) {
		String message = propertyName + " " + rule + " but was " + PropertyValues.format(value);
		return new ResilienceConfigurationException(message, propertyName, value, rule, null, cause);
	}

	/**
	 * A key is not part of the configuration.
	 * @param propertyName the full name of the unknown key
	 * @param value its value, as written
	 * @param suggestion the closest known key, or {@code null} if none is close
	 * @return the exception
	 */
	public static ResilienceConfigurationException unknownProperty(String propertyName, Object value,
			String suggestion) {
		String rule = UNKNOWN_PROPERTY;
		String message = propertyName + " " + rule + ((suggestion != null) ? "; did you mean " + suggestion + "?" : "");
		return new ResilienceConfigurationException(message, propertyName, value, rule, suggestion, null);
	}

	/**
	 * @return the full property name, as written in configuration
	 */
	public String propertyName() {
		return this.propertyName;
	}

	/**
	 * @return the rejected value; {@code null} if it was missing
	 */
	public Object value() {
		return this.value;
	}

	/**
	 * @return what is allowed, phrased to follow the property name ({@code must be >= 1})
	 */
	public String rule() {
		return this.rule;
	}

	/**
	 * @return for an unknown key, the closest known key
	 */
	public Optional<String> suggestion() {
		return Optional.ofNullable(this.suggestion);
	}

}

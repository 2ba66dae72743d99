package dev.resilience.autoconfigure.internal;

import org.springframework.beans.factory.ObjectProvider;

import dev.resilience.autoconfigure.properties.ResilienceConfigurationException;

/**
 * Finds the bean a configured store is built on, such as the application's
 * {@code DataSource}, and fails start-up with a sentence naming the property when there is
 * not exactly one.
 */
public final class StoreBeans {

	private StoreBeans() {
	}

	/**
	 * @param <T> the bean's type
	 * @param beans the application's beans of that type
	 * @param type the bean's type, for the message
	 * @param property the property that chose the store, such as {@code resilience.fleet.store}
	 * @param kind the kind it chose, such as {@code jdbc}
	 * @param purpose what the store does, to follow "to" ({@code share the error budgets})
	 * @return the one bean, or the primary one among several
	 * @throws ResilienceConfigurationException when there is none, or several and no primary
	 */
	public static <T> T unique(ObjectProvider<T> beans, Class<T> type, String property, String kind,
			String purpose) {
		T unique = beans.getIfUnique();
		if (unique == null) {
			throw ResilienceConfigurationException.invalidValue(property, kind, "needs one " + type.getSimpleName()
					+ " bean to " + purpose + ", and the application has none or several", null);
		}
		return unique;
	}

}

package dev.resilience.autoconfigure.properties;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.resilience.core.InvalidConfigException;

/**
 * Merges one section key by key: the instance's value if set, else the value of
 * {@code resilience.defaults}, else the built-in default. It remembers where each value
 * came from, so that a rejected value is reported under the property the user actually
 * wrote.
 *
 * @param <S> the section type ({@link RetryProperties} ...)
 */
final class SectionMerger<S> {

	private final S instance;

	private final S defaults;

	private final String ownPrefix;

	private final String defaultsPrefix;

	private final Map<String, String> origins = new HashMap<>();

	private boolean configured;

	private SectionMerger(S instance, S defaults, String ownPrefix, String defaultsPrefix) {
		this.instance = instance;
		this.defaults = defaults;
		this.ownPrefix = ownPrefix;
		this.defaultsPrefix = defaultsPrefix;
	}

	/**
	 * @param instance the instance's section
	 * @param defaults the section of {@code resilience.defaults}
	 * @param instancePrefix the instance section's property prefix
	 * @param defaultsPrefix the defaults section's property prefix
	 * @return a merger of an instance over the defaults
	 */
	static <S> SectionMerger<S> forInstance(S instance, S defaults, String instancePrefix, String defaultsPrefix) {
		return new SectionMerger<>(instance, defaults, instancePrefix, defaultsPrefix);
	}

	/**
	 * @param defaults the section of {@code resilience.defaults}
	 * @param defaultsPrefix its property prefix
	 * @return a merger of the defaults alone over the built-in defaults
	 */
	static <S> SectionMerger<S> forDefaults(S defaults, String defaultsPrefix) {
		return new SectionMerger<>(null, defaults, defaultsPrefix, defaultsPrefix);
	}

	/**
	 * @param section the nested section of both sides
	 * @param key the nested section's key
	 * @return a merger of the nested section ({@code retry.budget})
	 */
	<N> SectionMerger<N> nested(Function<S, N> section, String key) {
		N nestedInstance = (this.instance != null) ? section.apply(this.instance) : null;
		return new SectionMerger<>(nestedInstance, section.apply(this.defaults), this.ownPrefix + "." + key,
				this.defaultsPrefix + "." + key);
	}

	/**
	 * @param key the property key ({@code max-attempts})
	 * @param getter reads the key from a section
	 * @param builtIn the built-in default
	 * @return the merged value
	 */
	<T> T pick(String key, Function<S, T> getter, T builtIn) {
		T value = (this.instance != null) ? getter.apply(this.instance) : null;
		if (value != null) {
			return found(key, this.ownPrefix, value);
		}
		value = getter.apply(this.defaults);
		if (value != null) {
			return found(key, this.defaultsPrefix, value);
		}
		return builtIn;
	}

	/**
	 * Like {@link #pick} for a list of exception types, checking each element: binding
	 * converts class names without checking the generic bound.
	 */
	List<Class<? extends Throwable>> pickExceptionTypes(String key, Function<S, List<Class<? extends Throwable>>> getter,
			List<Class<? extends Throwable>> builtIn) {
		List<Class<? extends Throwable>> types = pick(key, getter, builtIn);
		for (Class<?> type : types) {
			if (type == null || !Throwable.class.isAssignableFrom(type)) {
				throw ResilienceConfigurationException.invalidValue(propertyName(key), type,
						"must name Throwable classes only", null);
			}
		}
		return types;
	}

	/**
	 * Records that {@code key} is read from a fixed, shared property.
	 */
	void sharedProperty(String key, String propertyName) {
		this.origins.put(key, propertyName);
	}

	/**
	 * Builds the section's settings, reporting a rejected value under its property name.
	 */
	<R> R build(Supplier<R> constructor) {
		try {
			return constructor.get();
		}
		catch (InvalidConfigException ex) {
			String propertyName = propertyName(PropertyValues.kebabCase(ex.field()));
			String rule = PropertyValues.rule(ex.rule());
			if (!this.ownPrefix.equals(this.defaultsPrefix) && propertyName.startsWith(this.defaultsPrefix + ".")) {
				// A default can be valid on its own and break a rule only next to an
				// instance's value: say which instance.
				rule = rule + " (inherited by " + this.ownPrefix + ")";
			}
			throw ResilienceConfigurationException.invalidValue(propertyName, ex.value(), rule, ex);
		}
	}

	/**
	 * @return whether any key of the section is set, under the instance or the defaults
	 */
	boolean configured() {
		return this.configured;
	}

	private String propertyName(String key) {
		// A built-in default that breaks a rule is reported under the instance's own key:
		// setting that key is how the user fixes it.
		return this.origins.getOrDefault(key, this.ownPrefix + "." + key);
	}

	private <T> T found(String key, String prefix, T value) {
		this.origins.put(key, prefix + "." + key);
		this.configured = true;
		return value;
	}

}

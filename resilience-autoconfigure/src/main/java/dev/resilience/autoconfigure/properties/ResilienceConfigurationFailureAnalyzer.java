package dev.resilience.autoconfigure.properties;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Explains a start-up failure caused by {@code resilience.*} configuration: a
 * {@link ResilienceConfigurationException}, a value that cannot be converted (an unknown
 * enum value or exception class, a malformed duration) or an unbound key. The description
 * names the property, the value, where it was written and what is allowed.
 * <p>
 * Ordered first so that it speaks before Spring Boot's generic binding analyzers; it
 * declines every failure that is not about {@code resilience.*}.
 */
public final class ResilienceConfigurationFailureAnalyzer implements FailureAnalyzer, Ordered {

	private static final String HEADING = "Invalid resilience configuration:%n%n";

	private final Environment environment;

	/**
	 * @param environment the application's environment, used to show where a value was
	 * written; may be {@code null} when the failure happened before there was one
	 */
	public ResilienceConfigurationFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public FailureAnalysis analyze(Throwable failure) {
		ResilienceConfigurationException invalid = findCause(failure, ResilienceConfigurationException.class);
		if (invalid != null) {
			return analyzeInvalid(invalid);
		}
		UnboundConfigurationPropertiesException unbound = findCause(failure,
				UnboundConfigurationPropertiesException.class);
		if (unbound != null && isOurs(unbound)) {
			return analyzeUnbound(unbound);
		}
		BindException bind = findCause(failure, BindException.class);
		if (bind != null && PropertyKeys.ROOT.isAncestorOf(bind.getName())) {
			return analyzeBind(bind);
		}
		return null;
	}

	private FailureAnalysis analyzeInvalid(ResilienceConfigurationException ex) {
		ConfigurationProperty property = findProperty(ex.propertyName());
		String value;
		if (property != null) {
			value = quote(property.getValue());
		}
		else if (ex.value() != null) {
			value = quote(PropertyValues.format(ex.value()))
					+ ((this.environment != null) ? " (built-in default, not set in configuration)" : "");
		}
		else {
			value = "(empty)";
		}
		Origin origin = (property != null) ? property.getOrigin() : null;
		String reason = ex.rule() + didYouMean(ex.suggestion().orElse(null));
		String description = String.format(HEADING) + entry(ex.propertyName(), value, origin, reason);
		String action;
		if (ex.suggestion().isPresent()) {
			action = "Replace " + ex.propertyName() + " with " + ex.suggestion().get()
					+ " in your application's configuration.";
		}
		else if (ResilienceConfigurationException.UNKNOWN_PROPERTY.equals(ex.rule())) {
			action = unknownKeyAction(ex.propertyName());
		}
		else {
			action = "Update " + ex.propertyName() + " in your application's configuration: it " + ex.rule() + ".";
		}
		return new FailureAnalysis(description, action, ex);
	}

	private FailureAnalysis analyzeUnbound(UnboundConfigurationPropertiesException ex) {
		PropertyKeys keys = PropertyKeys.get();
		StringBuilder description = new StringBuilder(String.format(HEADING));
		StringBuilder action = new StringBuilder();
		for (ConfigurationProperty property : ex.getUnboundProperties()) {
			if (!PropertyKeys.ROOT.isAncestorOf(property.getName())) {
				continue;
			}
			String suggestion = keys.suggest(property.getName());
			String reason = ResilienceConfigurationException.UNKNOWN_PROPERTY + didYouMean(suggestion);
			description.append(entry(property.getName().toString(), quote(property.getValue()), property.getOrigin(),
					reason));
			if (suggestion != null) {
				action.append("Replace ").append(property.getName()).append(" with ").append(suggestion).append(". ");
			}
		}
		action.append("Correct or remove the keys that are not known.");
		return new FailureAnalysis(description.toString(), action.toString(), ex);
	}

	private FailureAnalysis analyzeBind(BindException ex) {
		ConfigurationProperty property = ex.getProperty();
		// The property that failed can sit below the bound name (a value given to a
		// section fails while binding the enclosing instance): name what the user wrote.
		String name = ((property != null) ? property.getName() : ex.getName()).toString();
		String value = (property != null) ? quote(property.getValue()) : "(none)";
		Origin origin = (property != null) ? property.getOrigin() : null;
		String allowed = allowed(ex.getTarget().getType());
		String reason = "cannot be converted to " + allowed + " (" + rootMessage(ex) + ")";
		String description = String.format(HEADING) + entry(name, value, origin, reason);
		String action = "Update " + name + " in your application's configuration: it must be " + allowed + ".";
		return new FailureAnalysis(description, action, ex);
	}

	private static String entry(String name, String value, Origin origin, String reason) {
		StringBuilder entry = new StringBuilder();
		entry.append(String.format("    Property: %s%n", name));
		entry.append(String.format("    Value: %s%n", value));
		if (origin != null) {
			entry.append(String.format("    Origin: %s%n", origin));
		}
		entry.append(String.format("    Reason: %s%n", reason));
		return entry.toString();
	}

	private static String didYouMean(String suggestion) {
		return (suggestion != null) ? "; did you mean " + suggestion + "?" : "";
	}

	private static String unknownKeyAction(String name) {
		return "Correct or remove " + name + ". The keys of an instance (and of resilience.defaults) are "
				+ "retry.*, circuit-breaker.*, bulkhead.*, slo.* and idempotency.ttl; your IDE completes them "
				+ "from the configuration metadata.";
	}

	/**
	 * Describes what a property of the given type accepts, in configuration terms.
	 */
	static String allowed(ResolvableType type) {
		Class<?> raw = type.resolve(Object.class);
		if (Collection.class.isAssignableFrom(raw)) {
			ResolvableType element = type.asCollection().getGeneric(0);
			if (Class.class.equals(element.resolve(Object.class))) {
				return "a comma-separated list of fully qualified names of exception classes on the class path";
			}
			return "a comma-separated list of " + allowed(element);
		}
		if (Class.class.equals(raw)) {
			return "the fully qualified name of an exception class on the class path";
		}
		if (raw.isEnum()) {
			return "one of " + Arrays.stream(raw.getEnumConstants())
				.map((constant) -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT))
				.collect(Collectors.joining(", "));
		}
		if (Duration.class.equals(raw)) {
			return "a duration such as 500ms, 10s, 5m, 24h or 30d";
		}
		if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class) {
			return "a whole number";
		}
		if (raw == Double.class || raw == double.class || raw == Float.class || raw == float.class) {
			return "a number";
		}
		if (raw == Boolean.class || raw == boolean.class) {
			return "true or false";
		}
		if (raw.getPackageName().equals(ResilienceProperties.class.getPackageName())) {
			// An empty YAML section ("retry:" with nothing below) arrives as an empty value.
			return "a section of nested keys, not a single value";
		}
		return "a value of type " + type;
	}

	private static String rootMessage(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String type = root.getClass().getSimpleName();
		return (root.getMessage() != null) ? type + ": " + root.getMessage() : type;
	}

	private static boolean isOurs(UnboundConfigurationPropertiesException ex) {
		return ex.getUnboundProperties()
			.stream()
			.anyMatch((property) -> PropertyKeys.ROOT.isAncestorOf(property.getName()));
	}

	private ConfigurationProperty findProperty(String name) {
		ConfigurationPropertyName propertyName = ConfigurationPropertyName.ofIfValid(name);
		if (this.environment == null || propertyName == null) {
			return null;
		}
		Iterable<ConfigurationPropertySource> sources = (this.environment instanceof ConfigurableEnvironment)
				? ConfigurationPropertySources.get(this.environment) : List.of();
		for (ConfigurationPropertySource source : sources) {
			ConfigurationProperty property = source.getConfigurationProperty(propertyName);
			if (property != null) {
				return property;
			}
		}
		return null;
	}

	private static String quote(Object value) {
		return "\"" + value + "\"";
	}

	private static <E extends Throwable> E findCause(Throwable failure, Class<E> type) {
		Throwable candidate = failure;
		while (candidate != null) {
			if (type.isInstance(candidate)) {
				return type.cast(candidate);
			}
			candidate = (candidate.getCause() != candidate) ? candidate.getCause() : null;
		}
		return null;
	}

}

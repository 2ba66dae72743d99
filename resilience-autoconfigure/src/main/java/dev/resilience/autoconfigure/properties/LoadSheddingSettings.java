package dev.resilience.autoconfigure.properties;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.resilience.autoconfigure.loadshedding.RequestPriority;
import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.bulkhead.AdaptiveLimitConfig;
import org.springframework.util.ClassUtils;

/**
 * The validated settings of {@code resilience.load-shedding}.
 *
 * @param enabled whether the filter is installed
 * @param limit the adaptive concurrency limit
 * @param retryAfter the {@code Retry-After} of a shed request, positive
 * @param exemptPaths path patterns that are never shed
 * @param priorityHeader the request header that sets a priority, or {@code null} when
 * clients may not set one
 * @param defaultPriority the priority of requests nothing else sets
 * @param routes priorities by path pattern, in configuration order
 */
public record LoadSheddingSettings(boolean enabled, AdaptiveLimitConfig limit, Duration retryAfter,
		List<String> exemptPaths, String priorityHeader, RequestPriority defaultPriority,
		Map<String, RequestPriority> routes) {

	private static final String PREFIX = "resilience.load-shedding.";

	/** Read here, not in {@link PathPatterns}: loading that class needs Spring Web. */
	private static final boolean PATH_PATTERNS_PRESENT = ClassUtils
		.isPresent("org.springframework.web.util.pattern.PathPatternParser", LoadSheddingSettings.class.getClassLoader());

	public LoadSheddingSettings {
		exemptPaths = List.copyOf(exemptPaths);
		routes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(routes));
	}

	/**
	 * @param properties the bound properties
	 * @return the settings
	 * @throws ResilienceConfigurationException naming the first property that breaks a rule
	 */
	public static LoadSheddingSettings of(LoadSheddingProperties properties) {
		Boolean enabled = required("enabled", properties.getEnabled());
		Integer max = required("max-concurrent-requests", properties.getMaxConcurrentRequests());
		AdaptiveLimitConfig limit;
		try {
			limit = AdaptiveLimits.of(required("initial-concurrent-requests", properties.getInitialConcurrentRequests()),
					required("min-concurrent-requests", properties.getMinConcurrentRequests()), max,
					required("smoothing", properties.getSmoothing()),
					required("latency-tolerance", properties.getLatencyTolerance()),
					required("probe-interval", properties.getProbeInterval()), "ConcurrentRequests");
		}
		catch (InvalidConfigException ex) {
			throw ResilienceConfigurationException.invalidValue(PREFIX + PropertyValues.kebabCase(ex.field()),
					ex.value(), PropertyValues.rule(ex.rule()), ex);
		}
		Duration retryAfter = required("retry-after", properties.getRetryAfter());
		if (retryAfter.isNegative() || retryAfter.isZero()) {
			// Retry-After: 0 would invite every shed client straight back.
			throw ResilienceConfigurationException.invalidValue(PREFIX + "retry-after", retryAfter, "must be > 0",
					null);
		}
		List<String> exemptPaths = required("exempt-paths", properties.getExemptPaths());
		for (String pattern : exemptPaths) {
			checkPattern(PREFIX + "exempt-paths", pattern);
		}
		String header = properties.getPriorityHeader();
		RequestPriority defaultPriority = required("default-priority", properties.getDefaultPriority());
		Map<String, RequestPriority> routes = required("routes", properties.getRoutes());
		for (Map.Entry<String, RequestPriority> route : routes.entrySet()) {
			String name = PREFIX + "routes[" + route.getKey() + "]";
			checkPattern(name, route.getKey());
			if (route.getValue() == null) {
				throw ResilienceConfigurationException.invalidValue(name, null,
						"must be one of critical, normal, sheddable", null);
			}
		}
		return new LoadSheddingSettings(enabled, limit, retryAfter, exemptPaths,
				(header == null || header.isBlank()) ? null : header.trim(), defaultPriority, routes);
	}

	private static void checkPattern(String propertyName, String pattern) {
		if (pattern == null || !pattern.startsWith("/")) {
			throw ResilienceConfigurationException.invalidValue(propertyName, pattern,
					"must be a path pattern starting with /", null);
		}
		if (PATH_PATTERNS_PRESENT) {
			PathPatterns.check(propertyName, pattern);
		}
	}

	private static <T> T required(String key, T value) {
		if (value == null) {
			throw ResilienceConfigurationException.invalidValue(PREFIX + key, null, "must be set", null);
		}
		return value;
	}

	/**
	 * Parses patterns with Spring Web's parser, which an application without Spring Web
	 * does not have: this class is loaded only when it does.
	 */
	private static final class PathPatterns {

		static void check(String propertyName, String pattern) {
			try {
				org.springframework.web.util.pattern.PathPatternParser.defaultInstance.parse(pattern);
			}
			catch (org.springframework.web.util.pattern.PatternParseException ex) {
				throw ResilienceConfigurationException.invalidValue(propertyName, pattern,
						"must be a valid path pattern (" + ex.getMessage() + ")", ex);
			}
		}

	}

}

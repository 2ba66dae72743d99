package dev.resilience.autoconfigure.properties;

import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns values and the core's rule texts into the words a user wrote in configuration:
 * {@code 100ms} rather than {@code PT0.1S}, {@code initial-backoff} rather than
 * {@code initialBackoff}.
 */
final class PropertyValues {

	private static final Pattern CAMEL_CASE_WORD = Pattern.compile("\\b[a-z]+(?:[A-Z][a-z0-9]*)+\\b");

	private static final Pattern ISO_DURATION = Pattern.compile("\\bPT[-0-9.HMS]+");

	private static final String[] UNIT_NAMES = { "d", "h", "m", "s", "ms", "us", "ns" };

	private static final long[] UNIT_NANOS = { 86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L,
			1_000_000_000L, 1_000_000L, 1_000L, 1L };

	private PropertyValues() {
	}

	/**
	 * @param camelCase a field name such as {@code minRetriesPerSecond}
	 * @return the property key, {@code min-retries-per-second}
	 */
	static String kebabCase(String camelCase) {
		StringBuilder result = new StringBuilder(camelCase.length() + 4);
		for (int i = 0; i < camelCase.length(); i++) {
			char c = camelCase.charAt(i);
			if (Character.isUpperCase(c)) {
				if (i > 0) {
					result.append('-');
				}
				result.append(Character.toLowerCase(c));
			}
			else {
				result.append(c);
			}
		}
		return result.toString();
	}

	/**
	 * @param rule a rule from the core ({@code must be >= initialBackoff (PT0.1S)})
	 * @return the rule in property terms ({@code must be >= initial-backoff (100ms)})
	 */
	static String rule(String rule) {
		Matcher words = CAMEL_CASE_WORD.matcher(rule);
		String kebab = words.replaceAll((match) -> Matcher.quoteReplacement(kebabCase(match.group())));
		Matcher durations = ISO_DURATION.matcher(kebab);
		return durations.replaceAll((match) -> Matcher.quoteReplacement(isoDuration(match.group())));
	}

	/**
	 * @param value a configuration value
	 * @return the value as one would write it in configuration
	 */
	static String format(Object value) {
		if (value == null) {
			return "(none)";
		}
		if (value instanceof Duration) {
			return duration((Duration) value);
		}
		if (value instanceof Double || value instanceof Float) {
			double number = ((Number) value).doubleValue();
			if (number == Math.rint(number) && !Double.isInfinite(number) && Math.abs(number) < 1e15) {
				return Long.toString((long) number);
			}
			return value.toString();
		}
		if (value instanceof Class) {
			return ((Class<?>) value).getName();
		}
		if (value instanceof Enum) {
			return ((Enum<?>) value).name().toLowerCase(Locale.ROOT);
		}
		if (value instanceof Collection) {
			return ((Collection<?>) value).stream().map(PropertyValues::format).collect(Collectors.joining(", ", "[", "]"));
		}
		return value.toString();
	}

	/**
	 * @param duration a duration
	 * @return the duration in the largest unit that holds it exactly ({@code 1500ms},
	 * {@code 30d})
	 */
	static String duration(Duration duration) {
		if (duration.isZero()) {
			return "0ms";
		}
		long nanos;
		try {
			nanos = duration.toNanos();
		}
		catch (ArithmeticException ex) {
			// Beyond about 292 years: nobody writes that in a unit, so ISO-8601 is as good.
			return duration.toString();
		}
		for (int i = 0; i < UNIT_NANOS.length; i++) {
			if (nanos % UNIT_NANOS[i] == 0) {
				return (nanos / UNIT_NANOS[i]) + UNIT_NAMES[i];
			}
		}
		throw new IllegalStateException("unreachable: every duration is a whole number of nanoseconds");
	}

	private static String isoDuration(String text) {
		try {
			return duration(Duration.parse(text));
		}
		catch (RuntimeException ex) {
			return text;
		}
	}

}

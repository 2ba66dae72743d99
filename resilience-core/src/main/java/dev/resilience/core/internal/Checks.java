package dev.resilience.core.internal;

import java.time.Duration;
import java.util.List;

import dev.resilience.core.InvalidConfigException;

/**
 * Argument checks shared by the configuration records. Each failure names the field, the
 * rule and the value.
 */
public final class Checks {

	private Checks() {
	}

	public static <T> T notNull(String field, T value) {
		if (value == null) {
			throw new InvalidConfigException(field, "must not be null", null);
		}
		return value;
	}

	public static int atLeast(String field, int min, int value) {
		if (value < min) {
			throw new InvalidConfigException(field, "must be >= " + min, value);
		}
		return value;
	}

	public static int atMost(String field, int max, int value) {
		if (value > max) {
			throw new InvalidConfigException(field, "must be <= " + max, value);
		}
		return value;
	}

	public static double atLeast(String field, double min, double value) {
		if (!(value >= min)) {
			throw new InvalidConfigException(field, "must be >= " + min, value);
		}
		return value;
	}

	/** A percentage in (0, 100]. */
	public static double percent(String field, double value) {
		if (!(value > 0 && value <= 100)) {
			throw new InvalidConfigException(field, "must be in (0, 100]", value);
		}
		return value;
	}

	/** A ratio in [0, 1]. */
	public static double ratio(String field, double value) {
		if (!(value >= 0 && value <= 1)) {
			throw new InvalidConfigException(field, "must be in [0, 1]", value);
		}
		return value;
	}

	public static Duration positive(String field, Duration value) {
		notNull(field, value);
		if (value.isNegative() || value.isZero()) {
			throw new InvalidConfigException(field, "must be > 0", value);
		}
		return value;
	}

	public static Duration notNegative(String field, Duration value) {
		notNull(field, value);
		if (value.isNegative()) {
			throw new InvalidConfigException(field, "must be >= 0", value);
		}
		return value;
	}

	public static List<Class<? extends Throwable>> exceptionTypes(String field,
			List<Class<? extends Throwable>> value) {
		notNull(field, value);
		for (Class<? extends Throwable> type : value) {
			if (type == null || !Throwable.class.isAssignableFrom(type)) {
				throw new InvalidConfigException(field, "must list Throwable subclasses", value);
			}
		}
		return List.copyOf(value);
	}

}

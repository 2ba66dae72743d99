package dev.resilience.autoconfigure.properties;

import java.util.function.Supplier;

import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.bulkhead.AdaptiveLimitConfig;

/**
 * Builds an {@link AdaptiveLimitConfig} from the keys a user writes, and reports the core's
 * complaints under those keys: the core's {@code minLimit} is {@code min-concurrent-calls}
 * in a bulkhead and {@code min-concurrent-requests} in the load shedder.
 */
final class AdaptiveLimits {

	private AdaptiveLimits() {
	}

	/**
	 * The adaptive limit of a bulkhead section, or {@code null} for a fixed limit.
	 * @param merger the bulkhead section
	 * @param maxConcurrentCalls the merged ceiling
	 * @return the limit's settings, or {@code null} when {@code adaptive} is not true
	 * @throws ResilienceConfigurationException when a value breaks a rule, or when an
	 * adaptive-only key is set on a fixed bulkhead (it would be silently ignored)
	 */
	static AdaptiveLimitConfig forBulkhead(SectionMerger<BulkheadProperties> merger, int maxConcurrentCalls) {
		boolean adaptive = merger.pick("adaptive", BulkheadProperties::getAdaptive, false);
		Integer min = merger.pick("min-concurrent-calls", BulkheadProperties::getMinConcurrentCalls, null);
		Integer initial = merger.pick("initial-concurrent-calls", BulkheadProperties::getInitialConcurrentCalls, null);
		Double smoothing = merger.pick("smoothing", BulkheadProperties::getSmoothing, null);
		Double tolerance = merger.pick("latency-tolerance", BulkheadProperties::getLatencyTolerance, null);
		Integer probeInterval = merger.pick("probe-interval", BulkheadProperties::getProbeInterval, null);
		if (!adaptive) {
			rejectUnlessAdaptive(merger, "minConcurrentCalls", min);
			rejectUnlessAdaptive(merger, "initialConcurrentCalls", initial);
			rejectUnlessAdaptive(merger, "smoothing", smoothing);
			rejectUnlessAdaptive(merger, "latencyTolerance", tolerance);
			rejectUnlessAdaptive(merger, "probeInterval", probeInterval);
			return null;
		}
		return merger.build(() -> of(initial, min, maxConcurrentCalls, smoothing, tolerance, probeInterval,
				"ConcurrentCalls"));
	}

	/**
	 * Builds the settings, filling unset values with the built-in defaults.
	 * @param unit how the user's keys name the limit ({@code ConcurrentCalls}), so that
	 * {@code minLimit} is reported as {@code minConcurrentCalls}
	 * @throws InvalidConfigException naming the user's field
	 */
	static AdaptiveLimitConfig of(Integer initial, Integer min, int max, Double smoothing, Double tolerance,
			Integer probeInterval, String unit) {
		AdaptiveLimitConfig builtIn = AdaptiveLimitConfig.defaults();
		int floor = (min != null) ? min : builtIn.minLimit();
		// The built-in start is moved inside the user's bounds rather than breaking them.
		int start = (initial != null) ? initial : Math.max(floor, Math.min(builtIn.initialLimit(), max));
		return translated(() -> new AdaptiveLimitConfig(start, floor, max,
				(smoothing != null) ? smoothing : builtIn.smoothing(),
				(tolerance != null) ? tolerance : builtIn.rttTolerance(),
				(probeInterval != null) ? probeInterval : builtIn.probeInterval()), unit);
	}

	private static AdaptiveLimitConfig translated(Supplier<AdaptiveLimitConfig> constructor, String unit) {
		try {
			return constructor.get();
		}
		catch (InvalidConfigException ex) {
			throw new InvalidConfigException(fieldName(ex.field(), unit), ruleText(ex.rule(), unit), ex.value());
		}
	}

	static String fieldName(String coreField, String unit) {
		switch (coreField) {
			case "initialLimit":
				return "initial" + unit;
			case "minLimit":
				return "min" + unit;
			case "maxLimit":
				return "max" + unit;
			case "rttTolerance":
				return "latencyTolerance";
			default:
				return coreField;
		}
	}

	private static String ruleText(String rule, String unit) {
		return rule.replace("minLimit", "min" + unit).replace("maxLimit", "max" + unit);
	}

	private static void rejectUnlessAdaptive(SectionMerger<BulkheadProperties> merger, String field, Object value) {
		if (value != null) {
			merger.build(() -> {
				throw new InvalidConfigException(field, "must not be set unless bulkhead.adaptive is true", value);
			});
		}
	}

}

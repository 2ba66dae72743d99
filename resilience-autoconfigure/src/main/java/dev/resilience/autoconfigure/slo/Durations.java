package dev.resilience.autoconfigure.slo;

import java.time.Duration;

/**
 * Writes durations as reports and rules show them: {@code 30d}, {@code 6h}, {@code 5m}.
 */
final class Durations {

	private static final String[] UNITS = { "d", "h", "m", "s", "ms" };

	private static final long[] UNIT_MILLIS = { 86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L };

	private Durations() {
	}

	/**
	 * @param duration a duration of whole milliseconds
	 * @return it in the largest unit that holds it exactly
	 */
	static String format(Duration duration) {
		long millis = duration.toMillis();
		if (millis == 0) {
			return "0ms";
		}
		for (int i = 0; i < UNITS.length; i++) {
			if (millis % UNIT_MILLIS[i] == 0) {
				return (millis / UNIT_MILLIS[i]) + UNITS[i];
			}
		}
		throw new IllegalStateException("unreachable: the last unit divides every duration");
	}

}

package dev.resilience.autoconfigure.idempotency;

import java.time.Duration;

/**
 * How the shared stores write a lease or a ttl: whole milliseconds, at least one (Redis
 * rejects a zero expiry), and at most a quarter of {@code Long.MAX_VALUE}, so that adding
 * it to the current time cannot overflow.
 */
final class StoreDurations {

	private static final long MAX_MILLIS = Long.MAX_VALUE / 4;

	private StoreDurations() {
	}

	/**
	 * @param duration a lease or a ttl
	 * @return it in whole milliseconds, within [1, {@code Long.MAX_VALUE / 4}]
	 */
	static long millis(Duration duration) {
		long millis;
		try {
			millis = duration.toMillis();
		}
		catch (ArithmeticException ex) {
			millis = MAX_MILLIS;
		}
		return Math.max(1, Math.min(millis, MAX_MILLIS));
	}

}

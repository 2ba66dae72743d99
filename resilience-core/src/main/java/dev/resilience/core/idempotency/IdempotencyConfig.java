package dev.resilience.core.idempotency;

import java.time.Duration;

import dev.resilience.core.internal.Checks;

/**
 * Settings of one idempotency instance, validated on construction. The wait is called
 * {@code maxWait} here (the property is {@code wait}): a record component cannot be named
 * {@code wait}, which {@link Object} already declares.
 *
 * @param ttl how long a completed call's result is kept and replayed
 * @param lease how long an in-progress claim holds before another caller may take it
 * over, assuming its owner died; it must be longer than the slowest call
 * @param maxWait how long a duplicate waits for the first call to finish before it gets
 * {@link IdempotencyConflictException}; zero answers at once
 * @param maxKeyLength the longest key accepted, in characters
 */
public record IdempotencyConfig(Duration ttl, Duration lease, Duration maxWait, int maxKeyLength) {

	public IdempotencyConfig {
		Checks.positive("ttl", ttl);
		Checks.positive("lease", lease);
		Checks.notNegative("maxWait", maxWait);
		Checks.atLeast("maxKeyLength", 1, maxKeyLength);
	}

	/**
	 * @return the documented defaults: results kept 24 hours, 30 second lease, no waiting,
	 * keys up to 255 characters
	 */
	public static IdempotencyConfig defaults() {
		return new IdempotencyConfig(Duration.ofHours(24), Duration.ofSeconds(30), Duration.ZERO, 255);
	}

	/**
	 * @param ttl how long a completed call's result is kept
	 * @return a copy with that ttl
	 */
	public IdempotencyConfig withTtl(Duration ttl) {
		return new IdempotencyConfig(ttl, lease, maxWait, maxKeyLength);
	}

	/**
	 * @param lease how long an in-progress claim holds
	 * @return a copy with that lease
	 */
	public IdempotencyConfig withLease(Duration lease) {
		return new IdempotencyConfig(ttl, lease, maxWait, maxKeyLength);
	}

	/**
	 * @param maxWait how long a duplicate waits for the first call
	 * @return a copy with that wait
	 */
	public IdempotencyConfig withMaxWait(Duration maxWait) {
		return new IdempotencyConfig(ttl, lease, maxWait, maxKeyLength);
	}

	/**
	 * @param maxKeyLength the longest key accepted
	 * @return a copy with that limit
	 */
	public IdempotencyConfig withMaxKeyLength(int maxKeyLength) {
		return new IdempotencyConfig(ttl, lease, maxWait, maxKeyLength);
	}

}

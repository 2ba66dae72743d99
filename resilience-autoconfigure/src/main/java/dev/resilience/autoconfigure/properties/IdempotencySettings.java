package dev.resilience.autoconfigure.properties;

import java.time.Duration;

import dev.resilience.core.internal.Checks;

/**
 * Resolved idempotency settings of an instance, validated on construction. The
 * {@code ttl} is the instance's own; lease, wait and key length are the shared values of
 * {@code resilience.idempotency}, copied here so that one object describes the calls of
 * an instance.
 *
 * @param ttl how long a completed call's result is kept and replayed
 * @param lease how long an in-progress claim holds before it may be taken over
 * @param duplicateWait how long a duplicate waits for the first call to finish
 * ({@code resilience.idempotency.wait}; {@code wait} cannot name a record component)
 * @param maxKeyLength longest accepted key, in characters
 */
public record IdempotencySettings(Duration ttl, Duration lease, Duration duplicateWait, int maxKeyLength) {

	/** Built-in default time to live of a stored result. */
	public static final Duration DEFAULT_TTL = Duration.ofHours(24);

	public IdempotencySettings {
		Checks.positive("ttl", ttl);
		Checks.positive("lease", lease);
		Checks.notNegative("duplicateWait", duplicateWait);
		Checks.atLeast("maxKeyLength", 1, maxKeyLength);
	}

}

package dev.resilience.core.circuitbreaker.fleet;

import java.util.List;
import java.util.Objects;

/**
 * Where the processes of a fleet add up the outcomes of their circuit breakers of the same
 * name, in buckets of time, so that each can open its breaker on what the whole fleet
 * sees (see {@link CircuitBreakerFleet}).
 * <p>
 * A bucket is keyed by the breaker's name, the bucket length and the bucket's index (its
 * start in epoch milliseconds divided by its length): processes whose clocks agree to
 * well within a bucket add to the same buckets, and processes configured with another
 * bucket length never mix with them. Every process adds to a bucket; the store keeps
 * only the totals, so an exchange costs the same in a fleet of two processes or of a
 * thousand.
 * <p>
 * Implementations must be safe for concurrent use by many processes: no addition may be
 * lost or counted twice by the store itself. An addition whose exchange failed may or may
 * not have been counted; callers do not retry it.
 */
public interface FleetOutcomeStore {

	/**
	 * Adds one process's outcomes to the latest buckets and reads the fleet's totals of
	 * those buckets, in one exchange with the store.
	 * @param breakerName the breaker's name
	 * @param bucketMillis the bucket length in milliseconds
	 * @param bucket the index of the current bucket (epoch milliseconds / bucket length)
	 * @param added this process's outcomes since its last exchange, by the bucket their
	 * calls started in: exactly {@code buckets} counts, oldest first, the last one for
	 * {@code bucket}; most are {@link OutcomeCounts#EMPTY}, which adds nothing
	 * @param buckets how many buckets to read, ending with {@code bucket}; the store keeps a
	 * bucket at least as long as an exchange with this count can read it
	 * @return exactly {@code buckets} counts, oldest first, the last one the current bucket,
	 * with {@code added} included; a bucket nobody added to is {@link OutcomeCounts#EMPTY}
	 * @throws FleetStoreException when the store cannot be reached or fails
	 */
	List<OutcomeCounts> exchange(String breakerName, long bucketMillis, long bucket, List<OutcomeCounts> added,
			int buckets);

	/**
	 * The checks every store makes of an exchange's arguments before doing anything.
	 * @param breakerName the breaker's name
	 * @param bucketMillis the bucket length in milliseconds
	 * @param added the outcomes to add, one count per bucket
	 * @param buckets how many buckets to read
	 * @throws IllegalArgumentException (or {@link NullPointerException}) for any that is
	 * out of bounds or missing
	 */
	static void checkExchange(String breakerName, long bucketMillis, List<OutcomeCounts> added, int buckets) {
		Objects.requireNonNull(breakerName, "breakerName must not be null");
		Objects.requireNonNull(added, "added must not be null");
		if (bucketMillis <= 0) {
			throw new IllegalArgumentException("bucketMillis must be > 0 but was " + bucketMillis);
		}
		if (buckets <= 0) {
			throw new IllegalArgumentException("buckets must be > 0 but was " + buckets);
		}
		if (added.size() != buckets) {
			throw new IllegalArgumentException(
					"added must hold one count per bucket (" + buckets + ") but held " + added.size());
		}
	}

}

package dev.resilience.autoconfigure.circuitbreaker.fleet;

import java.util.List;
import java.util.Objects;

import dev.resilience.core.circuitbreaker.fleet.OutcomeCounts;

/**
 * The checks every store makes of an exchange's arguments before it reaches the network,
 * and the retention rule they share.
 */
final class ExchangeArguments {

	private ExchangeArguments() {
	}

	static void check(String breakerName, long bucketMillis, List<OutcomeCounts> added, int buckets) {
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

	/**
	 * How long a bucket is kept after an exchange adds to it: exchanges with its count of
	 * buckets read it until that many buckets after its start; two more buckets serve
	 * processes whose clocks lag. Saturated rather than overflowing.
	 * @param bucketMillis the bucket length
	 * @param buckets how many buckets the exchange reads
	 * @return the time to keep the bucket, in milliseconds
	 */
	static long retentionMillis(long bucketMillis, int buckets) {
		long count = buckets + 2L;
		return (bucketMillis > Long.MAX_VALUE / 4 / count) ? Long.MAX_VALUE / 4 : bucketMillis * count;
	}

}

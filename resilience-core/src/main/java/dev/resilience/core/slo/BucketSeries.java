package dev.resilience.core.slo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The non-empty buckets of one resolution (one bucket size), oldest first.
 *
 * @param bucketSize the length of every bucket, a whole number of milliseconds
 * @param buckets the buckets, each starting at a multiple of the bucket size, at most one
 * per start; sorted on construction
 */
public record BucketSeries(Duration bucketSize, List<BucketCount> buckets) {

	public BucketSeries {
		if (bucketSize == null || bucketSize.isNegative() || bucketSize.isZero()
				|| bucketSize.getNano() % 1_000_000 != 0) {
			throw new IllegalArgumentException("bucketSize must be a positive whole number of milliseconds but was "
					+ bucketSize);
		}
		long millis = bucketSize.toMillis();
		List<BucketCount> sorted = new ArrayList<>(buckets);
		sorted.sort(Comparator.comparingLong(BucketCount::startEpochMillis));
		for (int i = 0; i < sorted.size(); i++) {
			long start = sorted.get(i).startEpochMillis();
			if (Math.floorMod(start, millis) != 0) {
				throw new IllegalArgumentException(
						"bucket start must be a multiple of " + millis + " ms but was " + start);
			}
			if (i > 0 && sorted.get(i - 1).startEpochMillis() == start) {
				throw new IllegalArgumentException("bucket starts must be unique but " + start + " repeats");
			}
		}
		buckets = List.copyOf(sorted);
	}

	/**
	 * @param bucketSize the length of every bucket
	 * @return a series without buckets
	 */
	public static BucketSeries empty(Duration bucketSize) {
		return new BucketSeries(bucketSize, List.of());
	}

	/**
	 * @return the bucket size in milliseconds
	 */
	public long bucketMillis() {
		return bucketSize.toMillis();
	}

}

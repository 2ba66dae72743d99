package dev.resilience.core.slo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bucket counts of an error budget at one moment, one {@link BucketSeries} per
 * resolution. It is what an instance flushes to a shared store, keyed by
 * (bucket size, bucket start): counts are cumulative per bucket, so a flush overwrites
 * the instance's earlier rows rather than adding to them. Snapshots of several instances
 * {@link #merge merge} by adding the counts of equal buckets, and
 * {@link ErrorBudgetReport#compute} turns a merged snapshot into the fleet's report.
 *
 * @param series one series per bucket size, finest first; sorted on construction
 */
public record BucketSnapshot(List<BucketSeries> series) {

	private static final BucketSnapshot EMPTY = new BucketSnapshot(List.of());

	public BucketSnapshot {
		List<BucketSeries> sorted = new ArrayList<>(series);
		sorted.sort(Comparator.comparing(BucketSeries::bucketSize));
		for (int i = 1; i < sorted.size(); i++) {
			if (sorted.get(i - 1).bucketSize().equals(sorted.get(i).bucketSize())) {
				throw new IllegalArgumentException(
						"bucket sizes must be unique but " + sorted.get(i).bucketSize() + " repeats");
			}
		}
		series = List.copyOf(sorted);
	}

	/**
	 * @return a snapshot without any bucket
	 */
	public static BucketSnapshot empty() {
		return EMPTY;
	}

	/**
	 * Adds up snapshots, for instance those of every instance of a fleet: the result holds
	 * every bucket size and bucket start found in any of them, with the counts summed.
	 * @param snapshots the snapshots to add up
	 * @return their sum
	 */
	public static BucketSnapshot merge(Collection<BucketSnapshot> snapshots) {
		Map<Duration, Map<Long, long[]>> sums = new TreeMap<>();
		for (BucketSnapshot snapshot : snapshots) {
			for (BucketSeries one : snapshot.series()) {
				Map<Long, long[]> byStart = sums.computeIfAbsent(one.bucketSize(), size -> new TreeMap<>());
				for (BucketCount bucket : one.buckets()) {
					long[] sum = byStart.computeIfAbsent(bucket.startEpochMillis(), start -> new long[2]);
					sum[0] = Math.addExact(sum[0], bucket.events());
					sum[1] = Math.addExact(sum[1], bucket.badEvents());
				}
			}
		}
		List<BucketSeries> merged = new ArrayList<>(sums.size());
		sums.forEach((size, byStart) -> {
			List<BucketCount> buckets = new ArrayList<>(byStart.size());
			byStart.forEach((start, sum) -> buckets.add(new BucketCount(start, sum[0], sum[1])));
			merged.add(new BucketSeries(size, buckets));
		});
		return new BucketSnapshot(merged);
	}

	/**
	 * @param bucketSize a bucket size
	 * @return the series of that size, or an empty one when the snapshot has none
	 */
	public BucketSeries series(Duration bucketSize) {
		for (BucketSeries one : series) {
			if (one.bucketSize().equals(bucketSize)) {
				return one;
			}
		}
		return BucketSeries.empty(bucketSize);
	}

	/**
	 * Keeps the buckets that end after {@code from}: the only ones recording can have
	 * changed since then, so an instance that flushed at {@code from} need only write
	 * these next time (a wall clock stepping back is the exception).
	 * @param from the time of the previous flush
	 * @return the buckets ending after it
	 */
	public BucketSnapshot since(Instant from) {
		long fromMillis = from.toEpochMilli();
		List<BucketSeries> recent = new ArrayList<>(series.size());
		for (BucketSeries one : series) {
			List<BucketCount> buckets = new ArrayList<>();
			for (BucketCount bucket : one.buckets()) {
				if (bucket.startEpochMillis() + one.bucketMillis() > fromMillis) {
					buckets.add(bucket);
				}
			}
			recent.add(new BucketSeries(one.bucketSize(), buckets));
		}
		return new BucketSnapshot(recent);
	}

}

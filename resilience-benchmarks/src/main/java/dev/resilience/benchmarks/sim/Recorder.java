package dev.resilience.benchmarks.sim;

/**
 * Counts what happens in a run, in fixed time buckets and in total. Events after the
 * last bucket (a run that drains its calls) count in the totals only.
 */
public final class Recorder {

	/** What is counted. */
	public enum Series {

		/** First attempts of logical requests: the offered load. */
		OFFERED,

		/** Attempts reaching the origin, first attempts and retries alike. */
		ORIGIN_ATTEMPTS,

		/** Logical requests that ended with an answer in time: the goodput. */
		GOODPUT,

		/** Logical requests that ended in failure. */
		FAILED,

		/** Requests the origin finished serving. */
		ORIGIN_COMPLETIONS,

		/** Requests the origin finished after their client had given up. */
		WASTED,

		/** Attempts the client refused itself (an open breaker), never sent. */
		REJECTED,

		/** Retries a client wanted but its retry budget refused. */
		BUDGET_DENIED

	}

	private final long bucketNanos;

	private final int[][] buckets;

	private final long[] totals = new long[Series.values().length];

	private final int[] maxQueue;

	private Recorder(long bucketNanos, long durationNanos) {
		if (bucketNanos < 1 || durationNanos < bucketNanos) {
			throw new IllegalArgumentException("need 1 <= bucketNanos <= durationNanos but were " + bucketNanos + ", "
					+ durationNanos);
		}
		this.bucketNanos = bucketNanos;
		int count = (int) ((durationNanos + bucketNanos - 1) / bucketNanos);
		this.buckets = new int[Series.values().length][count];
		this.maxQueue = new int[count];
	}

	/**
	 * @param bucketNanos width of one bucket
	 * @param durationNanos the span the buckets cover, from zero
	 * @return a new recorder
	 */
	public static Recorder create(long bucketNanos, long durationNanos) {
		return new Recorder(bucketNanos, durationNanos);
	}

	void count(Series series, long atNanos) {
		totals[series.ordinal()]++;
		int bucket = bucket(atNanos);
		if (bucket >= 0) {
			buckets[series.ordinal()][bucket]++;
		}
	}

	void offered(long atNanos) {
		count(Series.OFFERED, atNanos);
	}

	void originArrival(long atNanos) {
		count(Series.ORIGIN_ATTEMPTS, atNanos);
	}

	void originCompletion(long atNanos, boolean wasted) {
		count(Series.ORIGIN_COMPLETIONS, atNanos);
		if (wasted) {
			count(Series.WASTED, atNanos);
		}
	}

	void queueLength(long atNanos, int length) {
		int bucket = bucket(atNanos);
		if (bucket >= 0 && length > maxQueue[bucket]) {
			maxQueue[bucket] = length;
		}
	}

	void budgetDenied(long atNanos) {
		count(Series.BUDGET_DENIED, atNanos);
	}

	private int bucket(long atNanos) {
		long bucket = atNanos / bucketNanos;
		return (bucket < maxQueue.length) ? (int) bucket : -1;
	}

	/**
	 * @return width of one bucket in nanoseconds
	 */
	public long bucketNanos() {
		return bucketNanos;
	}

	/**
	 * @return how many buckets there are
	 */
	public int bucketCount() {
		return maxQueue.length;
	}

	/**
	 * @param series what
	 * @return a copy of the per-bucket counts
	 */
	public int[] buckets(Series series) {
		return buckets[series.ordinal()].clone();
	}

	/**
	 * @param series what
	 * @return the count over the whole run, drain included
	 */
	public long total(Series series) {
		return totals[series.ordinal()];
	}

	/**
	 * @param series what
	 * @param fromNanos start, inclusive
	 * @param toNanos end, exclusive
	 * @return the count in the buckets covering {@code [fromNanos, toNanos)}, both rounded
	 * down to a bucket boundary
	 */
	public long sum(Series series, long fromNanos, long toNanos) {
		int[] counts = buckets[series.ordinal()];
		int from = (int) Math.max(0, fromNanos / bucketNanos);
		int to = (int) Math.min(counts.length, toNanos / bucketNanos);
		long sum = 0;
		for (int i = from; i < to; i++) {
			sum += counts[i];
		}
		return sum;
	}

	/**
	 * @return the longest origin queue seen in each bucket
	 */
	public int[] maxQueueLength() {
		return maxQueue.clone();
	}

}

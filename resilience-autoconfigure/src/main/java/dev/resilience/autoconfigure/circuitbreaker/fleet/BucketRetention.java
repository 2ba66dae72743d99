package dev.resilience.autoconfigure.circuitbreaker.fleet;

/**
 * The retention rule the Redis and JDBC stores share.
 */
final class BucketRetention {

	private BucketRetention() {
	}

	/**
	 * How long a bucket is kept after an exchange adds to it: exchanges with its count of
	 * buckets read it until that many buckets after its start; two more buckets serve
	 * processes whose clocks lag. Saturated rather than overflowing.
	 * @param bucketMillis the bucket length
	 * @param buckets how many buckets the exchange reads
	 * @return the time to keep the bucket, in milliseconds
	 */
	static long millis(long bucketMillis, int buckets) {
		long count = buckets + 2L;
		return (bucketMillis > Long.MAX_VALUE / 4 / count) ? Long.MAX_VALUE / 4 : bucketMillis * count;
	}

}

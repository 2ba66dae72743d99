package dev.resilience.core.slo;

/**
 * The counts of one time bucket, as exported for persistence and merged across instances.
 *
 * @param startEpochMillis when the bucket starts, in milliseconds since the epoch; a
 * multiple of the bucket size, so buckets of different processes line up
 * @param events how many events the bucket holds, good and bad
 * @param badEvents how many of them were bad, in [0, events]
 */
public record BucketCount(long startEpochMillis, long events, long badEvents) {

	public BucketCount {
		if (events < 0) {
			throw new IllegalArgumentException("events must be >= 0 but was " + events);
		}
		if (badEvents < 0 || badEvents > events) {
			throw new IllegalArgumentException("badEvents must be in [0, events (" + events + ")] but was " + badEvents);
		}
	}

	/**
	 * @return how many events were good
	 */
	public long goodEvents() {
		return events - badEvents;
	}

}

package dev.resilience.autoconfigure.slo;

import java.time.Duration;
import java.time.Instant;

import dev.resilience.core.slo.BucketSnapshot;

/**
 * Where the instances of an application share the bucket counts of their error budgets,
 * so that each can report the fleet's budget and the budget survives restarts. Rows are
 * keyed by objective name, instance id, bucket size and bucket start; an instance writes
 * only its own rows, and only from one thread at a time.
 * <p>
 * Counts are cumulative per bucket ({@link BucketSnapshot}): saving a bucket again
 * replaces its earlier counts rather than adding to them. A bucket is kept for
 * {@link #retention} after it ends, as long as a window can still read it.
 * <p>
 * Implementations throw {@link ErrorBudgetStoreException} when the store cannot be
 * reached; callers then fall back to the counts of their own process.
 */
public interface ErrorBudgetStore {

	/** Bucket sizes finer than this are read for windows of at most 360 buckets. */
	Duration FINE_BUCKETS_BELOW = Duration.ofHours(1);

	/** The longest alert window, which the coarsest buckets always cover. */
	Duration LONGEST_ALERT_WINDOW = Duration.ofDays(3);

	/**
	 * Writes an instance's counts, replacing the counts of the same buckets it wrote
	 * before.
	 * @param sloName the objective's name
	 * @param instanceId the writing instance
	 * @param buckets the buckets to write, typically those changed since the last write
	 * @param sloWindow the objective's window, which bounds how long its buckets are kept
	 * @param now the current time, on the clock the buckets were cut by
	 */
	void save(String sloName, String instanceId, BucketSnapshot buckets, Duration sloWindow, Instant now);

	/**
	 * Reads the counts of every instance but one and adds them up.
	 * @param sloName the objective's name
	 * @param excludedInstanceId the instance whose rows to leave out, typically the
	 * reader, whose live counts are fresher than its rows
	 * @param now the current time; buckets whose retention has passed may be left out
	 * @return the sum of the other instances' counts
	 */
	BucketSnapshot load(String sloName, String excludedInstanceId, Instant now);

	/**
	 * Deletes the buckets of an objective whose retention has passed, of every instance.
	 * @param sloName the objective's name
	 * @param now the current time
	 */
	void deleteExpired(String sloName, Instant now);

	/**
	 * How long after it ends a bucket can still be read: an error budget keeps 360
	 * buckets of each fine size (10 s and 1 min, read for windows up to 1 h and 6 h), and
	 * one-hour buckets over the objective's window (at least the three-day alert window).
	 * @param bucketSize the bucket size
	 * @param sloWindow the objective's window
	 * @return how long to keep a bucket of that size
	 */
	static Duration retention(Duration bucketSize, Duration sloWindow) {
		if (bucketSize.compareTo(FINE_BUCKETS_BELOW) < 0) {
			return bucketSize.multipliedBy(360);
		}
		return (sloWindow.compareTo(LONGEST_ALERT_WINDOW) < 0) ? LONGEST_ALERT_WINDOW : sloWindow;
	}

}

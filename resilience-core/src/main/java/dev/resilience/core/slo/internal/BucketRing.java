package dev.resilience.core.slo.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

import dev.resilience.core.slo.BucketCount;
import dev.resilience.core.slo.BucketSeries;

/**
 * Good and bad event counts in a ring of {@code slots} buckets of {@code bucketSize},
 * aligned to the epoch: bucket {@code b} covers {@code [b * size, (b + 1) * size)}
 * milliseconds since the epoch and lives in slot {@code b mod slots}, so the ring holds
 * the last {@code slots} buckets.
 * <p>
 * Each slot is two {@code long} words, one counting good events and one bad. A word packs
 * the bucket's cycle ({@code b / slots}, its low 24 bits) above a 40-bit count, so that
 * moving a slot on to a new bucket and counting the first event there is one
 * compare-and-set: no separate reset can wipe an increment. Recording is O(1), lock-free,
 * and usually one atomic add; memory is {@value #BYTES_PER_SLOT} bytes per slot whatever
 * the traffic. A count holds up to 2^40 - 1 (about 10^12) events per bucket.
 * <p>
 * A word still holding a bucket from a whole ring span ago is replaced. Only moving on to
 * a later bucket replaces a count: an event stamped a ring span or more before the newest
 * bucket (a writer that stalled that long after reading the clock, or a wall clock stepped
 * back that far) adds to the later bucket its word already holds, or, if the word has not
 * moved on, to its own bucket, which has already left the span.
 */
public final class BucketRing {

	/** Bytes per slot: a word of good events and a word of bad events. */
	public static final int BYTES_PER_SLOT = 2 * Long.BYTES;

	/** Largest count a bucket can hold. */
	public static final long MAX_COUNT = (1L << 40) - 1;

	private static final int COUNT_BITS = 40;

	private static final int TAG_BITS = Long.SIZE - COUNT_BITS;

	private static final long TAG_MASK = (1L << TAG_BITS) - 1;

	private final Duration bucketSize;

	private final long bucketMillis;

	private final int slots;

	/** Slot {@code i} is words {@code 2i} (good) and {@code 2i + 1} (bad). */
	private final AtomicLongArray words;

	/**
	 * @param bucketSize the length of a bucket, a whole number of milliseconds
	 * @param slots how many buckets the ring holds
	 */
	public BucketRing(Duration bucketSize, int slots) {
		if (bucketSize.toMillis() < 1 || slots < 1) {
			throw new IllegalArgumentException("bucketSize must be >= 1ms and slots >= 1 but were " + bucketSize
					+ " and " + slots);
		}
		this.bucketSize = bucketSize;
		this.bucketMillis = bucketSize.toMillis();
		this.slots = slots;
		this.words = new AtomicLongArray(2 * slots);
	}

	/**
	 * @return the length of a bucket
	 */
	public Duration bucketSize() {
		return bucketSize;
	}

	/**
	 * @return how many buckets the ring holds
	 */
	public int slots() {
		return slots;
	}

	/**
	 * @param epochMillis when the events happened
	 * @param bad whether they were bad
	 * @param amount how many there were; at least 1
	 */
	public void add(long epochMillis, boolean bad, long amount) {
		addToBucket(Math.floorDiv(epochMillis, bucketMillis), bad, amount);
	}

	private void addToBucket(long bucket, boolean bad, long amount) {
		long cycle = Math.floorDiv(bucket, slots);
		int index = 2 * (int) (bucket - cycle * slots) + (bad ? 1 : 0);
		long tag = cycle & TAG_MASK;
		long word = words.get(index);
		while (true) {
			if (word != 0 && (word >>> COUNT_BITS == tag || isLater(word >>> COUNT_BITS, tag))) {
				// Race: a writer a whole ring span later may replace the word between the read and
				// this add; the event then counts in that later bucket rather than being wiped.
				words.getAndAdd(index, amount);
				return;
			}
			// Race: the word is empty or holds a bucket a ring span older, outside every window
			// read from this ring. Replacing it and counting this event is one compare-and-set,
			// because a reset apart from the add could wipe a concurrent add to this bucket. A
			// failed CAS means another writer counted or replaced first: look at what it wrote.
			long witness = words.compareAndExchange(index, word, (tag << COUNT_BITS) | amount);
			if (witness == word) {
				return;
			}
			word = witness;
		}
	}

	/** Cycle tags wrap around; the sign of their 24-bit difference tells later from earlier. */
	private static boolean isLater(long heldTag, long tag) {
		return ((heldTag - tag) << COUNT_BITS) > 0;
	}

	/**
	 * @param nowEpochMillis the current time
	 * @return the non-empty buckets of the last {@code slots}, the current one included
	 */
	public BucketSeries export(long nowEpochMillis) {
		long newest = Math.floorDiv(nowEpochMillis, bucketMillis);
		List<BucketCount> buckets = new ArrayList<>();
		for (long bucket = newest - slots + 1; bucket <= newest; bucket++) {
			long good = count(bucket, false);
			long bad = count(bucket, true);
			if (good + bad > 0) {
				buckets.add(new BucketCount(bucket * bucketMillis, good + bad, bad));
			}
		}
		return new BucketSeries(bucketSize, buckets);
	}

	private long count(long bucket, boolean bad) {
		long cycle = Math.floorDiv(bucket, slots);
		long word = words.get(2 * (int) (bucket - cycle * slots) + (bad ? 1 : 0));
		return (word >>> COUNT_BITS == (cycle & TAG_MASK)) ? word & MAX_COUNT : 0;
	}

	/**
	 * Adds a series' counts, skipping buckets outside the last {@code slots} (older ones
	 * would be replaced at once, later ones would replace live buckets).
	 * @param series counts of buckets of this ring's size
	 * @param nowEpochMillis the current time
	 */
	public void addAll(BucketSeries series, long nowEpochMillis) {
		if (series.bucketMillis() != bucketMillis) {
			throw new IllegalArgumentException(
					"series bucketSize must be " + bucketSize + " but was " + series.bucketSize());
		}
		long newest = Math.floorDiv(nowEpochMillis, bucketMillis);
		for (BucketCount count : series.buckets()) {
			long bucket = Math.floorDiv(count.startEpochMillis(), bucketMillis);
			if (bucket <= newest - slots || bucket > newest) {
				continue;
			}
			if (count.events() > MAX_COUNT) {
				throw new IllegalArgumentException("events must be <= " + MAX_COUNT + " but was " + count.events());
			}
			if (count.goodEvents() > 0) {
				addToBucket(bucket, false, count.goodEvents());
			}
			if (count.badEvents() > 0) {
				addToBucket(bucket, true, count.badEvents());
			}
		}
	}

}

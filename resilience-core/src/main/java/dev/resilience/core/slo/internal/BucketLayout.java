package dev.resilience.core.slo.internal;

import java.time.Duration;

import dev.resilience.core.slo.BucketCount;
import dev.resilience.core.slo.BucketSeries;
import dev.resilience.core.slo.BucketSnapshot;
import dev.resilience.core.slo.BurnWindow;

/**
 * The resolutions an error budget counts at, as documented on
 * {@link dev.resilience.core.slo.ErrorBudget}: 360 buckets of 10 s, 360 of one minute,
 * and one-hour buckets spanning the SLO window (at least the three-day alert window).
 * <p>
 * A window is read from the finest resolution whose span covers it, as the
 * {@code k = ceil(window / bucket)} newest buckets, the current, partly elapsed one
 * included. It therefore covers between {@code k - 1} and {@code k} buckets of time: at
 * most one bucket short of the window, never longer.
 */
public final class BucketLayout {

	private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

	private static final Duration MINUTE = Duration.ofMinutes(1);

	private static final Duration HOUR = Duration.ofHours(1);

	/** Slots of the two fine resolutions: one hour of 10 s buckets, six hours of minutes. */
	private static final int FINE_SLOTS = 360;

	private final Duration[] bucketSizes;

	private final int[] slots;

	private BucketLayout(Duration sloWindow) {
		Duration coarseSpan = sloWindow.compareTo(BurnWindow.THREE_DAYS.duration()) < 0
				? BurnWindow.THREE_DAYS.duration() : sloWindow;
		this.bucketSizes = new Duration[] { TEN_SECONDS, MINUTE, HOUR };
		this.slots = new int[] { FINE_SLOTS, FINE_SLOTS, (int) bucketsIn(coarseSpan, HOUR.toMillis()) };
	}

	/**
	 * @param sloWindow the SLO window, which the coarsest resolution must span
	 * @return the layout for that window
	 */
	public static BucketLayout forWindow(Duration sloWindow) {
		return new BucketLayout(sloWindow);
	}

	/**
	 * @return one empty ring per resolution, finest first
	 */
	public BucketRing[] newRings() {
		BucketRing[] rings = new BucketRing[bucketSizes.length];
		for (int i = 0; i < rings.length; i++) {
			rings[i] = new BucketRing(bucketSizes[i], slots[i]);
		}
		return rings;
	}

	/**
	 * @return the memory the counts take: slots times bytes per slot, over all resolutions
	 */
	public long countingBytes() {
		long total = 0;
		for (int count : slots) {
			total += (long) count * BucketRing.BYTES_PER_SLOT;
		}
		return total;
	}

	/**
	 * @param snapshot bucket counts
	 * @param window the window to add up
	 * @param nowEpochMillis the end of the window
	 * @return the events and bad events of the window, in that order
	 */
	public long[] sum(BucketSnapshot snapshot, Duration window, long nowEpochMillis) {
		int resolution = resolutionFor(window);
		BucketSeries series = snapshot.series(bucketSizes[resolution]);
		long bucketMillis = series.bucketMillis();
		long newestStart = Math.floorDiv(nowEpochMillis, bucketMillis) * bucketMillis;
		long oldestStart = newestStart - (bucketsIn(window, bucketMillis) - 1) * bucketMillis;
		long events = 0;
		long bad = 0;
		for (BucketCount bucket : series.buckets()) {
			if (bucket.startEpochMillis() >= oldestStart && bucket.startEpochMillis() <= newestStart) {
				events += bucket.events();
				bad += bucket.badEvents();
			}
		}
		return new long[] { events, bad };
	}

	private int resolutionFor(Duration window) {
		for (int i = 0; i < bucketSizes.length; i++) {
			if (bucketSizes[i].multipliedBy(slots[i]).compareTo(window) >= 0) {
				return i;
			}
		}
		throw new IllegalArgumentException("window must be <= " + bucketSizes[bucketSizes.length - 1]
			.multipliedBy(slots[slots.length - 1]) + " but was " + window);
	}

	private static long bucketsIn(Duration window, long bucketMillis) {
		long windowMillis = window.toMillis();
		return (windowMillis + bucketMillis - 1) / bucketMillis;
	}

}

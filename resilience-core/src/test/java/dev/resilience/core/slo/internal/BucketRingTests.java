package dev.resilience.core.slo.internal;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.resilience.core.slo.BucketCount;
import dev.resilience.core.slo.BucketSeries;

import static org.assertj.core.api.Assertions.assertThat;

class BucketRingTests {

	/** Three 10-second buckets: a 30-second span. */
	private final BucketRing ring = new BucketRing(Duration.ofSeconds(10), 3);

	@Test
	void keepsTheLastSlotsBucketsAlignedToTheEpoch() {
		ring.add(1_000, false, 1);
		ring.add(12_000, true, 2);
		ring.add(29_999, false, 3);

		assertThat(ring.export(29_999).buckets()).containsExactly(new BucketCount(0, 1, 0),
				new BucketCount(10_000, 2, 2), new BucketCount(20_000, 3, 0));
		assertThat(ring.export(30_000).buckets()).containsExactly(new BucketCount(10_000, 2, 2),
				new BucketCount(20_000, 3, 0));
	}

	@Test
	void replacesASlotOnceItsBucketIsARingSpanOld() {
		ring.add(0, false, 5);
		ring.add(30_000, false, 1);

		assertThat(ring.export(30_000).buckets()).containsExactly(new BucketCount(30_000, 1, 0));
	}

	@Test
	void doesNotLeakAnOldBadCountIntoTheBucketThatReplacedIt() {
		ring.add(0, true, 4);
		ring.add(30_000, false, 1);

		assertThat(ring.export(30_000).buckets()).containsExactly(new BucketCount(30_000, 1, 0));
	}

	@Test
	void countsAnEventOlderThanTheSpanInTheLaterBucketItsWordHolds() {
		ring.add(30_000, false, 1);
		// stamped a whole ring span ago: a writer that stalled that long, or a clock stepped back
		ring.add(0, false, 1);

		assertThat(ring.export(30_000).buckets()).containsExactly(new BucketCount(30_000, 2, 0));
	}

	@Test
	void countsAnEventOlderThanTheSpanInItsOwnExpiredBucketWhenItsWordHasNotMovedOn() {
		ring.add(30_000, false, 1);
		ring.add(0, true, 1);

		assertThat(ring.export(30_000).buckets()).containsExactly(new BucketCount(30_000, 1, 0));
		ring.add(30_000, true, 1);
		assertThat(ring.export(30_000).buckets()).containsExactly(new BucketCount(30_000, 2, 1));
	}

	@Test
	void countsAStepBackWithinTheSpanInItsOwnBucket() {
		ring.add(25_000, false, 1);
		ring.add(5_000, false, 1);

		assertThat(ring.export(25_000).buckets()).containsExactly(new BucketCount(0, 1, 0),
				new BucketCount(20_000, 1, 0));
	}

	@Test
	void addAllSkipsBucketsOutsideTheSpan() {
		ring.addAll(new BucketSeries(Duration.ofSeconds(10), List.of(new BucketCount(-10_000, 9, 9),
				new BucketCount(0, 3, 1), new BucketCount(20_000, 2, 0), new BucketCount(30_000, 7, 7))), 20_000);

		assertThat(ring.export(20_000).buckets()).containsExactly(new BucketCount(0, 3, 1),
				new BucketCount(20_000, 2, 0));
	}

	@Test
	void readsWindowsAsTheNewestBucketsOfTheFinestResolutionThatSpansThem() {
		BucketLayout layout = BucketLayout.forWindow(Duration.ofDays(30));
		BucketRing[] rings = layout.newRings();
		assertThat(rings).extracting(BucketRing::bucketSize)
			.containsExactly(Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofHours(1));
		assertThat(rings).extracting(BucketRing::slots).containsExactly(360, 360, 720);
		assertThat(BucketLayout.forWindow(Duration.ofDays(3).plusMinutes(1)).newRings()[2].slots()).isEqualTo(73);
	}

}

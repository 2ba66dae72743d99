package dev.resilience.core.slo;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ErrorBudgetFleetTests {

	private final TestClock clock = TestClock.atMidnight();

	private final SloConfig config = SloConfig.builder().objective(99.5).window(Duration.ofDays(7)).build();

	@Test
	void mergedSnapshotsOfTwoInstancesEqualOneInstanceRecordingBoth() {
		ErrorBudget first = budget();
		ErrorBudget second = budget();
		ErrorBudget both = budget();
		SplittableRandom random = new SplittableRandom(42);
		for (int step = 0; step < 8 * 24 * 12; step++) {
			long goodEvents = random.nextInt(1000);
			long badEvents = random.nextInt(10);
			ErrorBudget instance = random.nextBoolean() ? first : second;
			instance.record(goodEvents, badEvents);
			both.record(goodEvents, badEvents);
			boolean good = random.nextInt(5) != 0;
			instance.record(good);
			both.record(good);
			clock.advance(Duration.ofSeconds(random.nextInt(1, 600)));
		}

		BucketSnapshot merged = BucketSnapshot.merge(List.of(first.snapshot(), second.snapshot()));

		assertThat(merged).isEqualTo(both.snapshot());
		assertThat(ErrorBudgetReport.compute(config, merged, clock.instant())).isEqualTo(both.report());
		assertThat(both.report().events()).isPositive();
	}

	@Test
	void reportFromAnInstancesOwnSnapshotIsItsReport() {
		ErrorBudget budget = budget();
		for (int minute = 0; minute < 3000; minute++) {
			budget.record(100, minute % 7);
			clock.advance(Duration.ofMinutes(1));
		}

		assertThat(ErrorBudgetReport.compute(config, budget.snapshot(), clock.instant())).isEqualTo(budget.report());
	}

	@Test
	void addAllRestoresCountsFlushedBeforeARestart() {
		ErrorBudget before = budget();
		for (int minute = 0; minute < 2000; minute++) {
			before.record(50, minute % 3);
			clock.advance(Duration.ofMinutes(1));
		}
		BucketSnapshot flushed = before.snapshot();

		ErrorBudget restarted = budget();
		restarted.addAll(flushed);

		assertThat(restarted.snapshot()).isEqualTo(before.snapshot());
		assertThat(restarted.report()).isEqualTo(before.report());
	}

	@Test
	void addAllSkipsBucketsLaterThanNow() {
		ErrorBudget budget = budget();
		BucketSnapshot future = new BucketSnapshot(List.of(new BucketSeries(Duration.ofHours(1),
				List.of(new BucketCount(clock.millis() + Duration.ofHours(2).toMillis(), 10, 1)))));

		budget.addAll(future);

		assertThat(budget.snapshot().series()).allMatch(series -> series.buckets().isEmpty());
	}

	@Test
	void sinceKeepsOnlyBucketsThatEndAfterThePreviousFlush() {
		ErrorBudget budget = budget();
		budget.record(true);
		clock.advance(Duration.ofSeconds(65));
		long flushedAt = clock.millis();
		budget.record(false);

		BucketSnapshot recent = budget.snapshot().since(java.time.Instant.ofEpochMilli(flushedAt));

		assertThat(recent.series(Duration.ofSeconds(10)).buckets())
			.containsExactly(new BucketCount(TestClock.MIDNIGHT.toEpochMilli() + 60_000, 1, 1));
		assertThat(recent.series(Duration.ofMinutes(1)).buckets())
			.containsExactly(new BucketCount(TestClock.MIDNIGHT.toEpochMilli() + 60_000, 1, 1));
		// The hour bucket is still open, so it holds both events.
		assertThat(recent.series(Duration.ofHours(1)).buckets())
			.containsExactly(new BucketCount(TestClock.MIDNIGHT.toEpochMilli(), 2, 1));
	}

	@Test
	void mergeKeepsBucketSizesApartAndSumsEqualBuckets() {
		BucketSnapshot a = new BucketSnapshot(List.of(
				new BucketSeries(Duration.ofHours(1), List.of(new BucketCount(0, 5, 1), new BucketCount(3_600_000, 2, 0))),
				new BucketSeries(Duration.ofMinutes(1), List.of(new BucketCount(60_000, 4, 4)))));
		BucketSnapshot b = new BucketSnapshot(
				List.of(new BucketSeries(Duration.ofHours(1), List.of(new BucketCount(3_600_000, 3, 2)))));

		BucketSnapshot merged = BucketSnapshot.merge(List.of(a, b));

		assertThat(merged.series()).extracting(BucketSeries::bucketSize)
			.containsExactly(Duration.ofMinutes(1), Duration.ofHours(1));
		assertThat(merged.series(Duration.ofHours(1)).buckets()).containsExactly(new BucketCount(0, 5, 1),
				new BucketCount(3_600_000, 5, 2));
		assertThat(merged.series(Duration.ofMinutes(1)).buckets()).containsExactly(new BucketCount(60_000, 4, 4));
		assertThat(BucketSnapshot.merge(List.of())).isEqualTo(BucketSnapshot.empty());
	}

	@Test
	void rejectsSnapshotsThatCannotLineUp() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new BucketSeries(Duration.ofMinutes(1), List.of(new BucketCount(1_000, 1, 0))))
			.withMessage("bucket start must be a multiple of 60000 ms but was 1000");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new BucketSeries(Duration.ofMinutes(1),
					List.of(new BucketCount(60_000, 1, 0), new BucketCount(60_000, 2, 0))))
			.withMessage("bucket starts must be unique but 60000 repeats");
		assertThatIllegalArgumentException().isThrownBy(() -> new BucketSeries(Duration.ofNanos(1), List.of()));
		assertThatIllegalArgumentException().isThrownBy(() -> new BucketCount(0, 1, 2))
			.withMessage("badEvents must be in [0, events (1)] but was 2");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new BucketSnapshot(
					List.of(BucketSeries.empty(Duration.ofHours(1)), BucketSeries.empty(Duration.ofHours(1)))));
	}

	private ErrorBudget budget() {
		return ErrorBudget.create("payments", config, clock, ErrorBudgetListener.NOOP);
	}

}

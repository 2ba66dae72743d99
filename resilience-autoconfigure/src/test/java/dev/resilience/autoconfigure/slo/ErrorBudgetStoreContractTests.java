package dev.resilience.autoconfigure.slo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.resilience.core.slo.BucketCount;
import dev.resilience.core.slo.BucketSeries;
import dev.resilience.core.slo.BucketSnapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What every {@link ErrorBudgetStore} does, run against each implementation.
 */
abstract class ErrorBudgetStoreContractTests {

	static final Duration TEN_SECONDS = Duration.ofSeconds(10);

	static final Duration HOUR = Duration.ofHours(1);

	static final Duration WINDOW = Duration.ofDays(30);

	/** On a bucket boundary of every size. */
	static final Instant NOON = Instant.parse("2025-06-01T12:00:00Z");

	/** A fresh objective name per test, so that tests sharing a table or keys stay apart. */
	String slo;

	abstract ErrorBudgetStore store();

	abstract ErrorBudgetStore unreachableStore();

	@BeforeEach
	void nameTheObjective() {
		this.slo = "slo-" + Services.uniqueId();
	}

	@Test
	void loadsTheSumOfEveryInstanceButTheExcludedOne() {
		store().save(this.slo, "a", snapshot(NOON, 10, 1), WINDOW, NOON);
		store().save(this.slo, "b", snapshot(NOON, 20, 2), WINDOW, NOON);

		assertThat(store().load(this.slo, "reader", NOON)).isEqualTo(snapshot(NOON, 30, 3));
		assertThat(store().load(this.slo, "a", NOON)).isEqualTo(snapshot(NOON, 20, 2));
	}

	@Test
	void aSaveReplacesTheCountsOfTheSameBuckets() {
		store().save(this.slo, "a", snapshot(NOON, 10, 1), WINDOW, NOON);
		store().save(this.slo, "a", snapshot(NOON, 15, 4), WINDOW, NOON);

		assertThat(store().load(this.slo, "reader", NOON)).isEqualTo(snapshot(NOON, 15, 4));
	}

	@Test
	void aSaveKeepsTheBucketsItDoesNotMention() {
		Instant later = NOON.plus(HOUR);
		store().save(this.slo, "a", snapshot(NOON, 10, 1), WINDOW, NOON);
		store().save(this.slo, "a", snapshot(later, 5, 0), WINDOW, later);

		BucketSnapshot loaded = store().load(this.slo, "reader", later);

		assertThat(loaded.series(HOUR).buckets()).containsExactly(new BucketCount(NOON.toEpochMilli(), 10, 1),
				new BucketCount(later.toEpochMilli(), 5, 0));
	}

	@Test
	void objectivesAreKeptApart() {
		store().save(this.slo, "a", snapshot(NOON, 10, 1), WINDOW, NOON);
		store().save(this.slo + "-other", "a", snapshot(NOON, 99, 9), WINDOW, NOON);

		assertThat(store().load(this.slo, "reader", NOON)).isEqualTo(snapshot(NOON, 10, 1));
	}

	@Test
	void bucketsPastTheirRetentionAreLeftOutAndDeleted() {
		store().save(this.slo, "a", snapshot(NOON, 10, 1), WINDOW, NOON);
		Instant twoHoursLater = NOON.plus(Duration.ofHours(2));

		BucketSnapshot loaded = store().load(this.slo, "reader", twoHoursLater);
		assertThat(loaded.series(TEN_SECONDS).buckets()).as("kept for 1 h").isEmpty();
		assertThat(loaded.series(HOUR).buckets()).as("kept for the window").hasSize(1);

		store().deleteExpired(this.slo, twoHoursLater);
		assertThat(store().load(this.slo, "reader", NOON)).isEqualTo(
				new BucketSnapshot(List.of(new BucketSeries(HOUR, List.of(new BucketCount(NOON.toEpochMilli(), 10, 1))))));
	}

	@Test
	void anEmptyStoreLoadsAnEmptySnapshot() {
		assertThat(store().load(this.slo, "reader", NOON).series()).allSatisfy(
				(series) -> assertThat(series.buckets()).isEmpty());
	}

	@Test
	void anUnreachableStoreFailsWithAStoreException() {
		ErrorBudgetStore unreachable = unreachableStore();

		assertThatExceptionOfType(ErrorBudgetStoreException.class)
			.isThrownBy(() -> unreachable.save(this.slo, "a", snapshot(NOON, 1, 0), WINDOW, NOON));
		assertThatExceptionOfType(ErrorBudgetStoreException.class)
			.isThrownBy(() -> unreachable.load(this.slo, "a", NOON));
	}

	/** One bucket of 10 s and one of an hour, both starting at {@code start}. */
	static BucketSnapshot snapshot(Instant start, long events, long bad) {
		BucketCount bucket = new BucketCount(start.toEpochMilli(), events, bad);
		return new BucketSnapshot(
				List.of(new BucketSeries(TEN_SECONDS, List.of(bucket)), new BucketSeries(HOUR, List.of(bucket))));
	}

}

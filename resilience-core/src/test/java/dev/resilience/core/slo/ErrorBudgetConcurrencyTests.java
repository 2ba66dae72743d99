package dev.resilience.core.slo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorBudgetConcurrencyTests {

	private static final int THREADS = 16;

	private static final int EVENTS_PER_THREAD = 50_000;

	@Test
	void sixteenThreadsRecordingAtOnceLoseNoEvent() throws Exception {
		TestClock clock = TestClock.atMidnight();
		ErrorBudget budget = ErrorBudget.create("payments", SloConfig.defaults(), clock, ErrorBudgetListener.NOOP);

		runAtOnce(() -> {
			for (int i = 0; i < EVENTS_PER_THREAD; i++) {
				budget.record(i % 10 != 0);
			}
		});

		ErrorBudgetReport report = budget.report();
		assertThat(report.events()).isEqualTo(THREADS * EVENTS_PER_THREAD);
		assertThat(report.badEvents()).isEqualTo(THREADS * EVENTS_PER_THREAD / 10);
	}

	@Test
	void noEventIsLostWhileBucketsRollOverUnderContention() throws Exception {
		TestClock clock = TestClock.atMidnight();
		ErrorBudget budget = ErrorBudget.create("payments", SloConfig.defaults(), clock, ErrorBudgetListener.NOOP);

		// The recording threads move the clock themselves: 16 * 500 steps of 100 ms cross 80
		// ten-second buckets, well inside the finest ring's hour.
		runAtOnce(() -> {
			for (int i = 0; i < EVENTS_PER_THREAD; i++) {
				budget.recordCall(i, i % 4 == 0);
				if (i % 100 == 0) {
					clock.advance(Duration.ofMillis(100));
				}
			}
		});

		for (BucketSeries series : budget.snapshot().series()) {
			assertThat(series.buckets().stream().mapToLong(BucketCount::events).sum())
				.as("events at %s", series.bucketSize())
				.isEqualTo(THREADS * EVENTS_PER_THREAD);
			assertThat(series.buckets().stream().mapToLong(BucketCount::badEvents).sum())
				.as("bad events at %s", series.bucketSize())
				.isEqualTo(THREADS * EVENTS_PER_THREAD / 4);
		}
		assertThat(budget.snapshot().series(Duration.ofSeconds(10)).buckets()).hasSizeGreaterThan(60);
	}

	private static void runAtOnce(Runnable work) throws InterruptedException {
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			Thread thread = new Thread(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				work.run();
			});
			thread.start();
			threads.add(thread);
		}
		start.countDown();
		for (Thread thread : threads) {
			thread.join(TimeUnit.SECONDS.toMillis(20));
			assertThat(thread.isAlive()).isFalse();
		}
	}

}

package dev.resilience.core.circuitbreaker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.resilience.core.circuitbreaker.Race;
import dev.resilience.core.time.ManualTicker;

/**
 * Many threads recording into one window at once; once they stop, the aggregate counts
 * must equal exactly what the window holds.
 */
class SlidingWindowConcurrencyTests {

	private static final int THREADS = 16;

	private static final RateThresholds NEVER = new RateThresholds(Integer.MAX_VALUE, 100, 100);

	private static final int FAILURE = SlidingWindow.outcome(true, false);

	@Test
	void countWindowAggregateEqualsItsSlotsAfterConcurrentRecording() throws Exception {
		try (Race race = Race.of(THREADS)) {
			for (int round = 0; round < 10; round++) {
				// A small ring makes writers a lap apart race for the same slot.
				CountSlidingWindow window = new CountSlidingWindow(7 + round * 13, NEVER);
				long seed = round;
				race.run((index) -> {
					SplittableRandom random = new SplittableRandom(seed * 100 + index);
					for (int call = 0; call < 20_000; call++) {
						window.record(SlidingWindow.outcome(random.nextBoolean(), random.nextInt(4) == 0));
					}
				});
				assertThat(window.counts()).isEqualTo(window.countSlots());
				assertThat(window.counts().calls()).isEqualTo(window.size());

				race.run((index) -> {
					for (int call = 0; call < window.size(); call++) {
						window.record(FAILURE);
					}
				});
				assertThat(window.counts()).isEqualTo(new WindowCounts(window.size(), window.size(), 0));
			}
		}
	}

	@Test
	void timeWindowCountsEveryCallOfOneSecondExactly() throws Exception {
		TimeSlidingWindow window = new TimeSlidingWindow(10, NEVER, ManualTicker.create());
		try (Race race = Race.of(THREADS)) {
			race.run((index) -> {
				for (int call = 0; call < 20_000; call++) {
					window.record(call % 4 == 0 ? FAILURE : SlidingWindow.outcome(false, true));
				}
			});
		}
		assertThat(window.counts())
			.isEqualTo(new WindowCounts(THREADS * 20_000, THREADS * 5_000, THREADS * 15_000));
	}

	@Test
	void timeWindowAggregateEqualsItsBucketsWhileTimeMovesConcurrently() throws Exception {
		ManualTicker ticker = ManualTicker.create();
		TimeSlidingWindow window = new TimeSlidingWindow(5, NEVER, ticker);
		AtomicBoolean recording = new AtomicBoolean(true);
		try (Race race = Race.of(THREADS + 1)) {
			race.run((index) -> {
				if (index == THREADS) {
					for (int step = 0; step < 400; step++) {
						ticker.advance(Duration.ofMillis(37));
						Thread.yield();
					}
					recording.set(false);
					return;
				}
				SplittableRandom random = new SplittableRandom(index);
				while (recording.get()) {
					window.record(SlidingWindow.outcome(random.nextBoolean(), random.nextBoolean()));
				}
				// Once time stops, a last batch each, so the final seconds are never empty.
				for (int call = 0; call < 100; call++) {
					window.record(SlidingWindow.outcome(random.nextBoolean(), random.nextBoolean()));
				}
			});
		}
		WindowCounts counts = window.counts();
		assertThat(counts).isEqualTo(window.countBuckets());
		assertThat(counts.calls()).isGreaterThanOrEqualTo(THREADS * 100);

		ticker.advance(Duration.ofSeconds(5));
		assertThat(window.counts()).isEqualTo(WindowCounts.EMPTY);
	}

}

package dev.resilience.core.circuitbreaker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.resilience.core.time.ManualTicker;

class TimeSlidingWindowTests {

	private static final int SUCCESS = SlidingWindow.outcome(false, false);

	private static final int FAILURE = SlidingWindow.outcome(true, false);

	private static final int SLOW_FAILURE = SlidingWindow.outcome(true, true);

	private static final RateThresholds NEVER = new RateThresholds(Integer.MAX_VALUE, 100, 100);

	private static final Duration SECOND = Duration.ofSeconds(1);

	/** Starts mid-second and below zero: buckets follow floored epoch seconds, not the ticker's origin. */
	private final ManualTicker ticker = ManualTicker.startingAt(-7_300_000_000L);

	@Test
	void countsCallsOfTheSameSecondInOneBucket() {
		TimeSlidingWindow window = new TimeSlidingWindow(5, NEVER, ticker);
		window.record(SUCCESS);
		ticker.advance(Duration.ofMillis(299));
		window.record(FAILURE);
		window.record(SLOW_FAILURE);
		assertThat(window.counts()).isEqualTo(new WindowCounts(3, 2, 1));
		assertThat(window.countBuckets()).isEqualTo(window.counts());
	}

	@Test
	void bucketExpiresExactlyWhenItsSecondLeavesTheWindow() {
		TimeSlidingWindow window = new TimeSlidingWindow(3, NEVER, ticker);
		ticker.setTo(10_000_000_000L);
		window.record(FAILURE);
		ticker.setTo(12_999_999_999L);
		assertThat(window.counts()).isEqualTo(new WindowCounts(1, 1, 0));
		ticker.setTo(13_000_000_000L);
		assertThat(window.counts()).isEqualTo(WindowCounts.EMPTY);
	}

	@Test
	void rollsOverOneSecondAtATime() {
		TimeSlidingWindow window = new TimeSlidingWindow(3, NEVER, ticker);
		for (int second = 0; second < 10; second++) {
			for (int call = 0; call <= second; call++) {
				window.record(second % 2 == 0 ? FAILURE : SUCCESS);
			}
			WindowCounts counts = window.counts();
			assertThat(counts).isEqualTo(window.countBuckets());
			int expectedCalls = 0;
			int expectedFailed = 0;
			for (int inWindow = Math.max(0, second - 2); inWindow <= second; inWindow++) {
				expectedCalls += inWindow + 1;
				expectedFailed += inWindow % 2 == 0 ? inWindow + 1 : 0;
			}
			assertThat(counts).isEqualTo(new WindowCounts(expectedCalls, expectedFailed, 0));
			ticker.advance(SECOND);
		}
	}

	@Test
	void gapLongerThanTheWindowEmptiesIt() {
		TimeSlidingWindow window = new TimeSlidingWindow(4, NEVER, ticker);
		for (int second = 0; second < 4; second++) {
			window.record(FAILURE);
			ticker.advance(SECOND);
		}
		ticker.advance(Duration.ofSeconds(41));
		assertThat(window.counts()).isEqualTo(WindowCounts.EMPTY);
		window.record(SUCCESS);
		ticker.advance(SECOND);
		window.record(SUCCESS);
		assertThat(window.counts()).isEqualTo(new WindowCounts(2, 0, 0));
		assertThat(window.countBuckets()).isEqualTo(window.counts());
		ticker.advance(Duration.ofSeconds(3));
		assertThat(window.counts()).isEqualTo(new WindowCounts(1, 0, 0));
	}

	@Test
	void gapShorterThanTheWindowKeepsTheRecentSeconds() {
		TimeSlidingWindow window = new TimeSlidingWindow(5, NEVER, ticker);
		window.record(FAILURE);
		ticker.advance(SECOND);
		window.record(FAILURE);
		window.record(FAILURE);
		ticker.advance(Duration.ofSeconds(4));
		// Now the first second has left; the second is the oldest one still inside.
		window.record(SUCCESS);
		assertThat(window.counts()).isEqualTo(new WindowCounts(3, 2, 0));
		assertThat(window.countBuckets()).isEqualTo(window.counts());
	}

	@Test
	void tellsWhetherTheWindowIncludingThisCallTripsTheThresholds() {
		TimeSlidingWindow window = new TimeSlidingWindow(2, new RateThresholds(3, 50, 100), ticker);
		assertThat(window.record(FAILURE)).isFalse();
		assertThat(window.record(FAILURE)).isFalse();
		ticker.advance(Duration.ofSeconds(2));
		assertThat(window.record(FAILURE)).isFalse();
		assertThat(window.record(SUCCESS)).isFalse();
		assertThat(window.record(FAILURE)).isTrue();
	}

}

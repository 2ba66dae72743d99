package dev.resilience.core.circuitbreaker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class CountSlidingWindowTests {

	private static final int SUCCESS = SlidingWindow.outcome(false, false);

	private static final int FAILURE = SlidingWindow.outcome(true, false);

	private static final int SLOW_SUCCESS = SlidingWindow.outcome(false, true);

	private static final int SLOW_FAILURE = SlidingWindow.outcome(true, true);

	private static final RateThresholds NEVER = new RateThresholds(Integer.MAX_VALUE, 100, 100);

	@Test
	void countsEachKindOfOutcome() {
		CountSlidingWindow window = new CountSlidingWindow(10, NEVER);
		window.record(SUCCESS);
		window.record(FAILURE);
		window.record(SLOW_SUCCESS);
		window.record(SLOW_FAILURE);
		assertThat(window.counts()).isEqualTo(new WindowCounts(4, 2, 2));
	}

	@Test
	void evictsTheOldestOutcomeOnceFull() {
		CountSlidingWindow window = new CountSlidingWindow(3, NEVER);
		window.record(FAILURE);
		window.record(SLOW_FAILURE);
		window.record(SUCCESS);
		assertThat(window.counts()).isEqualTo(new WindowCounts(3, 2, 1));
		window.record(SUCCESS);
		assertThat(window.counts()).isEqualTo(new WindowCounts(3, 1, 1));
		window.record(SUCCESS);
		assertThat(window.counts()).isEqualTo(new WindowCounts(3, 0, 0));
		assertThat(window.countSlots()).isEqualTo(window.counts());
	}

	@Test
	void tellsWhetherTheWindowIncludingThisCallTripsTheThresholds() {
		CountSlidingWindow window = new CountSlidingWindow(4, new RateThresholds(2, 50, 100));
		assertThat(window.record(FAILURE)).isFalse();
		assertThat(window.record(SUCCESS)).isTrue();
		assertThat(window.record(SUCCESS)).isFalse();
		assertThat(window.record(SLOW_SUCCESS)).isFalse();
		assertThat(window.record(SLOW_SUCCESS)).isFalse();
		assertThat(window.record(SLOW_SUCCESS)).isFalse();
		assertThat(window.record(SLOW_SUCCESS)).isTrue();
	}

	@Test
	void packedCountsDecodeTransientlyNegativeFields() {
		long packed = CountSlidingWindow.pack(5, 7, 9) + CountSlidingWindow.pack(-6, -8, 1)
				+ CountSlidingWindow.pack(0, 0, -11);
		assertThat(CountSlidingWindow.calls(packed)).isEqualTo(-1);
		assertThat(CountSlidingWindow.failed(packed)).isEqualTo(-1);
		assertThat(CountSlidingWindow.slow(packed)).isEqualTo(-1);
		long full = CountSlidingWindow.pack(100_000, 100_000, 100_000);
		assertThat(CountSlidingWindow.calls(full)).isEqualTo(100_000);
		assertThat(CountSlidingWindow.failed(full)).isEqualTo(100_000);
		assertThat(CountSlidingWindow.slow(full)).isEqualTo(100_000);
	}

	@Test
	void rejectsSizesOutsideTheConfiguredBounds() {
		assertThatIllegalArgumentException().isThrownBy(() -> new CountSlidingWindow(0, NEVER));
		assertThatIllegalArgumentException().isThrownBy(() -> new CountSlidingWindow(100_001, NEVER));
	}

}

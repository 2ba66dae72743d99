package dev.resilience.benchmarks.sim;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FleetStudyTests {

	@Test
	void windowTripProbabilityIsTheBinomialTail() {
		// Two calls failing with probability 0.1, threshold 50%: at least one fails.
		assertThat(FleetStudy.windowTripProbability(2, 50)).isCloseTo(1 - 0.9 * 0.9, within(1e-12));
		// Ten calls, threshold 100%: all ten fail.
		assertThat(FleetStudy.windowTripProbability(10, 100)).isCloseTo(Math.pow(0.1, 10), within(1e-20));
		// Threshold 0%: certain.
		assertThat(FleetStudy.windowTripProbability(20, 0)).isCloseTo(1.0, within(1e-12));
	}

	@Test
	void aLongerWindowIsLessLikelyToTripOnBackgroundFailures() {
		assertThat(FleetStudy.windowTripProbability(100, 50)).isLessThan(FleetStudy.windowTripProbability(20, 50));
	}

}

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
	void aRoundOfProbesClosesWhenItsFailuresStayBelowTheThreshold() {
		// One probe: it passes with the probability that a call succeeds.
		assertThat(FleetStudy.closeProbability(1, 0.5, 0.6)).isCloseTo(0.4, within(1e-12));
		// Three probes at 50%: none or one of them fails.
		assertThat(FleetStudy.closeProbability(3, 0.5, 0.6)).isCloseTo(0.4 * 0.4 * 0.4 + 3 * 0.6 * 0.4 * 0.4,
				within(1e-12));
		// Two probes at 50%: one failure is already 50%, so both must pass.
		assertThat(FleetStudy.closeProbability(2, 0.5, 0.1)).isCloseTo(0.81, within(1e-12));
		assertThat(FleetStudy.closeProbability(3, 0.5, 0)).isCloseTo(1.0, within(1e-12));
		assertThat(FleetStudy.closeProbability(3, 0.5, 1)).isCloseTo(0.0, within(1e-12));
	}

	@Test
	void aLongerWindowIsLessLikelyToTripOnBackgroundFailures() {
		assertThat(FleetStudy.windowTripProbability(100, 50)).isLessThan(FleetStudy.windowTripProbability(20, 50));
	}

}

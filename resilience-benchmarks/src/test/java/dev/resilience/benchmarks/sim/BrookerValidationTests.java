package dev.resilience.benchmarks.sim;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BrookerValidationTests {

	private static final Duration DURATION = Duration.ofSeconds(10);

	@ParameterizedTest
	@ValueSource(ints = { 1, 2, 3 })
	void loadOfNRetriesMatchesTheClosedFormWithinAFewPercent(int retries) {
		for (double p = 0; p <= 1.0001; p += 0.1) {
			double load = BrookerValidation.run(Policies.immediate(retries), p, DURATION, 7).load();
			double expected = BrookerValidation.expectedLoad(retries, p);
			assertThat(load).as("load with N=%d at p=%.1f", retries, p)
				.isCloseTo(expected, within(expected * StormReport.VALIDATION_TOLERANCE));
		}
	}

	@ParameterizedTest
	@ValueSource(doubles = { 0.3, 0.6, 0.9 })
	void successRateOfThreeRetriesMatchesTheClosedForm(double p) {
		BrookerValidation.Outcome outcome = BrookerValidation.run(Policies.immediate(3), p, DURATION, 7);
		assertThat(outcome.requests()).isBetween(9_500L, 10_500L);
		assertThat(outcome.success()).isCloseTo(BrookerValidation.expectedSuccess(3, p), within(0.01));
	}

	@ParameterizedTest
	@ValueSource(doubles = { 0.0, 0.5, 1.0 })
	void noRetryPutsExactlyOneAttemptPerRequest(double p) {
		assertThat(BrookerValidation.run(Policies.noRetry(), p, DURATION, 7).load()).isEqualTo(1.0);
	}

	@ParameterizedTest
	@ValueSource(doubles = { 0.0, 0.5, 0.9, 1.0 })
	void closedFormHasItsKnownValues(double p) {
		double expected = (p == 0.0) ? 1 : (p == 0.5) ? 1.875 : (p == 0.9) ? 3.439 : 4;
		assertThat(BrookerValidation.expectedLoad(3, p)).isCloseTo(expected, within(1e-9));
	}

}

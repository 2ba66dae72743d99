package dev.resilience.benchmarks.sim;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.resilience.benchmarks.sim.Recorder.Series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StormResultTests {

	private static final long BUCKET = 100_000_000L;

	private static final StormScenario SCENARIO = new StormScenario("synthetic", 1, 1, 10, 1, Duration.ofMillis(100),
			Duration.ofSeconds(1), new Slowdown(Duration.ofSeconds(10), Duration.ofSeconds(10), 10),
			Duration.ofSeconds(60), Duration.ofMillis(100), 0);

	/**
	 * Ten offered and {@code attempts} attempts per bucket throughout; goodput ten per
	 * bucket except from {@code outageFrom} (inclusive) to {@code outageTo} seconds.
	 */
	private static StormResult synthetic(int attempts, double outageFrom, double outageTo) {
		Recorder recorder = Recorder.create(BUCKET, SCENARIO.duration().toNanos());
		for (int bucket = 0; bucket < recorder.bucketCount(); bucket++) {
			long at = bucket * BUCKET;
			double second = bucket / 10.0;
			boolean down = second >= outageFrom && second < outageTo;
			for (int i = 0; i < 10; i++) {
				recorder.count(Series.OFFERED, at);
				if (!down) {
					recorder.count(Series.GOODPUT, at);
				}
			}
			for (int i = 0; i < attempts; i++) {
				recorder.count(Series.ORIGIN_ATTEMPTS, at);
			}
		}
		return new StormResult(SCENARIO, Policies.noRetry(), recorder, 0, 0);
	}

	@Test
	void recoveryIsMeasuredFromTheTriggersEnd() {
		StormResult result = synthetic(10, 10, 32);
		// Outage until 32 s, trigger ends at 20 s: 12 s, less at most a quarter second that
		// the five-second window lets through.
		assertThat(result.recoverySeconds().getAsDouble()).isCloseTo(12, within(0.3));
		assertThat(result.metastable()).isFalse();
	}

	@Test
	void aRunThatEndsCollapsedIsMetastable() {
		StormResult result = synthetic(10, 10, 60);
		assertThat(result.recoverySeconds()).isEmpty();
		assertThat(result.metastable()).isTrue();
		assertThat(result.goodputAfterTrigger()).isZero();
	}

	@Test
	void aRunThatNeverDipsRecoversAtOnce() {
		assertThat(synthetic(10, 0, 0).recoverySeconds().getAsDouble()).isZero();
	}

	@Test
	void amplificationIsAttemptsOverOffered() {
		StormResult result = synthetic(25, 0, 0);
		assertThat(result.meanAmplification()).isCloseTo(2.5, within(1e-9));
		assertThat(result.peakAmplification()).isCloseTo(2.5, within(1e-9));
	}

	@Test
	void goodputDuringTheTriggerCountsOnlyTheTriggersSpan() {
		StormResult result = synthetic(10, 10, 15);
		assertThat(result.goodputDuringTrigger()).isCloseTo(0.5, within(1e-9));
		assertThat(result.goodputAfterTrigger()).isCloseTo(1.0, within(1e-9));
	}

}

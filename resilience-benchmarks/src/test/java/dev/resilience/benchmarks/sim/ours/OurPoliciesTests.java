package dev.resilience.benchmarks.sim.ours;

import java.time.Duration;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.resilience.benchmarks.sim.BrookerValidation;
import dev.resilience.benchmarks.sim.ClientFleet;
import dev.resilience.benchmarks.sim.EventLoop;
import dev.resilience.benchmarks.sim.FlakyOrigin;
import dev.resilience.benchmarks.sim.LibraryPolicies;
import dev.resilience.benchmarks.sim.Policy;
import dev.resilience.benchmarks.sim.Recorder;
import dev.resilience.benchmarks.sim.Recorder.Series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Drives the library's RetryBudget, Backoff and CircuitBreaker through the simulator.
 * Compiled only once those classes are on the classpath (see the module's pom).
 */
class OurPoliciesTests {

	private static final long SECOND = 1_000_000_000L;

	private final OurPolicies policies = new OurPolicies();

	@Test
	void isFoundByTheSimulator() {
		assertThat(LibraryPolicies.load()).get().isInstanceOf(OurPolicies.class);
	}

	@ParameterizedTest
	@ValueSource(doubles = { 0.5, 0.7, 0.9, 1.0 })
	void tokenBucketHoldsTheLoadNearOnePointOneAtHighFailureRates(double p) {
		double load = BrookerValidation.run(policies.tokenBucket(), p, Duration.ofSeconds(30), 7).load();
		assertThat(load).isCloseTo(1.1, within(0.05));
	}

	@Test
	void tokenBucketLetsEveryRetryThroughWhenFailuresAreRare() {
		double load = BrookerValidation.run(policies.tokenBucket(), 0.02, Duration.ofSeconds(30), 7).load();
		assertThat(load).isCloseTo(BrookerValidation.expectedLoad(3, 0.02), within(0.01));
	}

	@Test
	void nestedInnermostRetriesOnlyOnceAcrossThreeLayers() {
		Policy nested = policies.storm()
			.stream()
			.filter(policy -> policy.layers() == 3)
			.findFirst()
			.orElseThrow();
		EventLoop loop = EventLoop.create();
		Recorder recorder = Recorder.create(SECOND, 100 * SECOND);
		FlakyOrigin alwaysFails = FlakyOrigin.create(loop, SECOND / 100, 1.0, new SplittableRandom(1), recorder);
		ClientFleet fleet = ClientFleet.create(loop, nested, 1, new SplittableRandom(2), alwaysFails, recorder, 0);
		fleet.startLogicalRequest(0);
		loop.runToCompletion();
		// 4 attempts at the innermost layer, 1 at each outer one: 4, not 64. The budget's
		// floor allows these few retries.
		assertThat(recorder.total(Series.ORIGIN_ATTEMPTS)).isEqualTo(4);
	}

}

package dev.resilience.benchmarks.sim.ours;

import java.time.Duration;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.resilience.benchmarks.sim.AttemptFailure;
import dev.resilience.benchmarks.sim.BrookerValidation;
import dev.resilience.benchmarks.sim.ClientFleet;
import dev.resilience.benchmarks.sim.EventLoop;
import dev.resilience.benchmarks.sim.FlakyOrigin;
import dev.resilience.benchmarks.sim.Policy;
import dev.resilience.benchmarks.sim.Recorder;
import dev.resilience.benchmarks.sim.Recorder.Series;
import dev.resilience.benchmarks.sim.RetryStrategy;
import dev.resilience.benchmarks.sim.StormResult;
import dev.resilience.benchmarks.sim.StormScenario;
import dev.resilience.benchmarks.sim.StormSimulation;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.retry.RetryConfig;
import dev.resilience.core.time.ManualTicker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * Drives the library's real RetryBudget, Backoff and CircuitBreaker through the simulator.
 */
class OurPoliciesTests {

	private static final long SECOND = 1_000_000_000L;

	private static final Duration THIRTY_SECONDS = Duration.ofSeconds(30);

	/** The report's 10 s storm, 1,000 single-client processes, cut short to keep the suite fast. */
	private static final StormScenario TEN_SECOND_STORM = StormScenario.postMortem(Duration.ofSeconds(10))
		.withDuration(Duration.ofSeconds(30));

	@ParameterizedTest
	@ValueSource(doubles = { 0.5, 0.7, 0.9, 1.0 })
	void aBudgetWithoutFloorHoldsTheLoadNearOnePointOneAtHighFailureRates(double p) {
		double load = BrookerValidation.run(OurPolicies.tokenBucket(0), p, THIRTY_SECONDS, 7).load();
		assertThat(load).isCloseTo(1.1, within(0.05));
	}

	@Test
	void aBudgetLetsEveryRetryThroughWhenFailuresAreRare() {
		double load = BrookerValidation.run(OurPolicies.tokenBucket(0), 0.02, THIRTY_SECONDS, 7).load();
		assertThat(load).isCloseTo(BrookerValidation.expectedLoad(3, 0.02), within(0.01));
	}

	@Test
	void theFloorIsAMinimumNotAddedToWhatTheRatioEarnsWhileAttemptsSucceed() {
		// 10 requests/s per client, 60% of attempts failing: successes keep restoring the floor.
		// A floor of 1 retry/s is exactly what the ratio earns (0.1 x 10), so it adds nothing; a
		// floor of 10 retries/s lets most of the retries through.
		double defaultFloor = BrookerValidation.run(OurPolicies.tokenBucket(OurPolicies.DEFAULT_FLOOR), 0.6,
				THIRTY_SECONDS, 7)
			.load();
		double floorTen = BrookerValidation.run(OurPolicies.tokenBucket(10), 0.6, THIRTY_SECONDS, 7).load();
		assertThat(OurPolicies.DEFAULT_FLOOR).isEqualTo(1);
		assertThat(defaultFloor).isCloseTo(1.1, within(0.01));
		assertThat(floorTen).isGreaterThan(1.5);
	}

	@Test
	void aFullOutageSuspendsTheFloorSoOnlyTheRatioCounts() {
		// No attempt succeeds: the first call that fails after retrying suspends the floor for good.
		double floorZero = BrookerValidation.run(OurPolicies.tokenBucket(0), 1.0, THIRTY_SECONDS, 7).load();
		double floorTen = BrookerValidation.run(OurPolicies.tokenBucket(10), 1.0, THIRTY_SECONDS, 7).load();
		assertThat(floorTen).isCloseTo(floorZero, within(0.005)).isLessThanOrEqualTo(1.1);
	}

	@Test
	void aTinyProcessSpendsAboutOneFailedCallsRetriesOnItsFloorInAFullOutage() {
		Duration minute = Duration.ofSeconds(60);
		int processes = 1000;
		// 1,000 processes of 0.4 requests/s: the ratio earns 0.4 token a window, so floor 0
		// almost never retries; with the default floor each process retries its first failed
		// call (2 retries) on the floor, which that call's failure then suspends.
		BrookerValidation.Outcome withFloor = BrookerValidation.run(OurPolicies.of(OurPolicies.DEFAULT_FLOOR, null),
				1.0, 1000, processes, 400, minute, 7);
		double floorZero = BrookerValidation.run(OurPolicies.of(0, null), 1.0, 1000, processes, 400, minute, 7).load();
		double retriesPerProcess = (withFloor.load() - 1) * withFloor.requests() / processes;
		assertThat(floorZero).isLessThan(1.01);
		assertThat(retriesPerProcess).isBetween((double) RetryConfig.defaults().maxAttempts() - 1,
				(double) RetryConfig.defaults().maxAttempts());
	}

	@Test
	void oneBudgetPerProcessHoldsAFullOutageToWhatTheRatioEarns() {
		// One process for all 400 requests/s: the ratio's 40 retries/s exceed the floor's 1,
		// which adds nothing (a floor added to the ratio would give 1.1 + 1/400).
		double perProcess = BrookerValidation
			.run(OurPolicies.of(OurPolicies.DEFAULT_FLOOR, null), 1.0, 1000, 1, 400, Duration.ofSeconds(60), 7)
			.load();
		assertThat(perProcess).isCloseTo(1.1, within(0.015)).isLessThanOrEqualTo(1.1 + 1e-9);
	}

	@Test
	void anOpenBreakerShedsTheLoadOfAFullOutage() {
		double load = BrookerValidation.run(OurPolicies.defaults(), 1.0, 1000, 10, 400, Duration.ofSeconds(60), 7)
			.load();
		assertThat(load).isLessThan(0.1);
	}

	@Test
	void aRefusalByTheBreakerIsNotRetriedAndCostsNoBudget() {
		ManualTicker ticker = ManualTicker.create();
		CircuitBreakerConfig opensAtOnce = CircuitBreakerConfig.builder().slidingWindowSize(1).minimumCalls(1).build();
		OurRetryStrategy strategy = new OurRetryStrategy(RetryConfig.defaults(), opensAtOnce, 0, 1, ticker,
				new SplittableRandom(1));
		strategy.onCallStarted();
		strategy.beforeAttempt(1).failed(SECOND / 10, AttemptFailure.ERROR);
		assertThat(strategy.onFailure(1, 0, AttemptFailure.ERROR)).isNotNegative();
		assertThat(strategy.beforeAttempt(2)).isNull();
		assertThat(strategy.onFailure(2, 0, AttemptFailure.REJECTED)).isEqualTo(RetryStrategy.NO_RETRY);
	}

	@Test
	void nestedInnermostRetriesOnlyOnceAcrossThreeLayers() {
		Policy nested = OurPolicies.nestedInnermost();
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

	@Test
	void aFleetBreakerGivesTheSameRunForTheSameSeed() {
		StormResult first = StormSimulation.run(TEN_SECOND_STORM, OurPolicies.fleetBreaker(Duration.ofSeconds(1)), 11);
		StormResult second = StormSimulation.run(TEN_SECOND_STORM, OurPolicies.fleetBreaker(Duration.ofSeconds(1)),
				11);
		assertSameRun(second, first);
	}

	@Test
	void aFleetBreakerPolicyCarriesNoOutcomesFromOneRunToTheNext() {
		Policy reused = OurPolicies.fleetBreaker(Duration.ofSeconds(1));
		// A short full outage leaves a store with failures in the buckets of the storm's first
		// seconds, before its trigger: a store kept in the policy would open its breakers early.
		BrookerValidation.run(reused, 1.0, 1000, 1000, 400, Duration.ofSeconds(5), 7);
		StormResult afterOutage = StormSimulation.run(TEN_SECOND_STORM, reused, 11);
		StormResult fresh = StormSimulation.run(TEN_SECOND_STORM, OurPolicies.fleetBreaker(Duration.ofSeconds(1)),
				11);
		assertSameRun(afterOutage, fresh);
	}

	@Test
	void breakersOpenedByTheFleetRefuseTheStormOfTinyProcessesThatTheirOwnWindowsLetThrough() {
		// 1,000 processes of 0.4 requests/s: a breaker of its own needs 20 calls, most of a
		// minute of its process's traffic, before it may open.
		StormResult own = StormSimulation.run(TEN_SECOND_STORM, OurPolicies.defaults(), 11);
		StormResult shared = StormSimulation.run(TEN_SECOND_STORM, OurPolicies.fleetBreaker(Duration.ofSeconds(1)),
				11);
		long from = 10 * SECOND;
		long to = 20 * SECOND;
		Recorder ownRecorder = own.recorder();
		Recorder sharedRecorder = shared.recorder();
		assertThat(ownRecorder.sum(Series.REJECTED, from, to)).isLessThan(ownRecorder.sum(Series.OFFERED, from, to) / 10);
		assertThat(sharedRecorder.sum(Series.REJECTED, from, to))
			.isGreaterThan(sharedRecorder.sum(Series.OFFERED, from, to) / 4);
		assertThat(sharedRecorder.sum(Series.ORIGIN_ATTEMPTS, from, to))
			.isLessThan(ownRecorder.sum(Series.ORIGIN_ATTEMPTS, from, to) * 3 / 4);
		assertThat(shared.peakAmplification()).isLessThan(own.peakAmplification() * 3 / 4);
	}

	@Test
	void earlyExchangesOpenTheFleetsBreakersSooner() {
		// 100 processes of 4 requests/s and the default interval: with exchanges on schedule
		// only, the time-outs that follow the slowdown reach the other processes up to two
		// intervals later.
		StormScenario hundred = StormScenario.postMortem(Duration.ofSeconds(1)).withProcesses(100);
		Duration interval = Duration.ofMillis(250);
		StormResult early = StormSimulation.run(hundred, OurPolicies.fleetBreaker(interval), 42);
		StormResult scheduled = StormSimulation.run(hundred,
				OurPolicies.fleetBreaker(interval, CircuitBreakerConfig.defaults(), "", false), 42);
		long from = 10 * SECOND;
		long to = 12 * SECOND;
		assertThat(early.recorder().sum(Series.ORIGIN_ATTEMPTS, from, to))
			.isLessThan(scheduled.recorder().sum(Series.ORIGIN_ATTEMPTS, from, to));
		assertThat(early.recoverySeconds().orElseThrow()).isLessThan(scheduled.recoverySeconds().orElseThrow());
	}

	@Test
	void aFleetBreakerPolicyIsOnlyDeployed() {
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> OurPolicies.fleetBreaker(Duration.ofSeconds(1))
				.newStrategy(0, ManualTicker.create(), new SplittableRandom(1)));
	}

	private static void assertSameRun(StormResult actual, StormResult expected) {
		for (Series series : Series.values()) {
			assertThat(actual.recorder().buckets(series)).as(series.name())
				.containsExactly(expected.recorder().buckets(series));
		}
		assertThat(actual.events()).isEqualTo(expected.events());
	}

	@Test
	void namesSayWhatDiffersFromTheDefaults() {
		assertThat(OurPolicies.defaults().name()).isEqualTo("ours (defaults)");
		assertThat(OurPolicies.of(0, null).name()).isEqualTo("ours (floor 0, no breaker)");
		assertThat(OurPolicies.of(OurPolicies.DEFAULT_FLOOR, OurPolicies.fixedOpen(Duration.ofSeconds(5))).name())
			.isEqualTo("ours (open 5 s fixed)");
		assertThat(OurPolicies
			.of(10, OurPolicies.growingOpen(Duration.ofMillis(500), 2, Duration.ofMinutes(1)))
			.name()).isEqualTo("ours (floor 10, open 0.5 s x2 to 60 s)");
		assertThat(OurPolicies.defaults().description())
			.contains("open 1 s, then x1.5 after each failed round of probes, up to 2 s");
		assertThat(OurPolicies.fleetBreaker(Duration.ofMillis(250)).name())
			.isEqualTo("ours (fleet breaker, sync 0.25 s)");
		assertThat(OurPolicies.fleetBreaker(Duration.ofMillis(250)).description())
			.contains("and sooner after a failed call or a probe (at most 3 exchanges an interval)");
		Policy scheduled = OurPolicies.fleetBreaker(Duration.ofMillis(250), CircuitBreakerConfig.defaults(), "", false);
		assertThat(scheduled.name()).isEqualTo("ours (fleet breaker, sync 0.25 s, on schedule only)");
		assertThat(scheduled.description()).endsWith("at a phase of its own, and on schedule only");
		assertThat(OurPolicies.defaults().description()).contains(", 1 half-open call)");
		CircuitBreakerConfig threeProbes = OurPolicies.halfOpen(CircuitBreakerConfig.defaults(), 3);
		assertThat(OurPolicies.of(OurPolicies.DEFAULT_FLOOR, threeProbes).name())
			.isEqualTo("ours (3 half-open calls)");
		assertThat(OurPolicies.of(OurPolicies.DEFAULT_FLOOR, threeProbes).description())
			.contains(", 3 half-open calls)");
		assertThat(OurPolicies
			.of(OurPolicies.DEFAULT_FLOOR, OurPolicies.halfOpen(OurPolicies.fixedOpen(Duration.ofSeconds(30)), 3))
			.name()).isEqualTo("ours (3 half-open calls, open 30 s fixed)");
		CircuitBreakerConfig defaults = CircuitBreakerConfig.defaults();
		assertThat(OurPolicies.of(OurPolicies.DEFAULT_FLOOR, OurPolicies.inARow(defaults, 1)).description())
			.contains("50% failures, or on any failure, open");
		assertThat(OurPolicies.of(OurPolicies.DEFAULT_FLOOR, OurPolicies.inARow(defaults, 2)).description())
			.contains("50% failures, or 2 failures in a row, open");
	}

	@Test
	void aGrowingOpenPeriodShedsAFullOutageBetweenAShortAndALongFixedOne() {
		Duration minute = Duration.ofSeconds(60);
		double oneSecond = BrookerValidation
			.run(OurPolicies.of(OurPolicies.DEFAULT_FLOOR, OurPolicies.fixedOpen(Duration.ofSeconds(1))), 1.0, 1000,
					10, 400, minute, 7)
			.load();
		double defaults = BrookerValidation.run(OurPolicies.defaults(), 1.0, 1000, 10, 400, minute, 7).load();
		double growingToThirty = BrookerValidation
			.run(OurPolicies.of(OurPolicies.DEFAULT_FLOOR,
					OurPolicies.growingOpen(Duration.ofSeconds(1), 1.5, Duration.ofSeconds(30))), 1.0, 1000, 10, 400,
					minute, 7)
			.load();
		double thirtySeconds = BrookerValidation
			.run(OurPolicies.of(OurPolicies.DEFAULT_FLOOR, OurPolicies.fixedOpen(Duration.ofSeconds(30))), 1.0, 1000,
					10, 400, minute, 7)
			.load();
		// Probes of 10 processes every second for a minute, against ever rarer ones: the
		// defaults' growth stops at 2 s, the same growth up to 30 s sheds far more.
		assertThat(defaults).isLessThan(oneSecond).isGreaterThan(growingToThirty);
		assertThat(growingToThirty).isLessThan(oneSecond / 2).isGreaterThan(thirtySeconds);
	}

}

package dev.resilience.benchmarks.sim;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.resilience.benchmarks.sim.Recorder.Series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class IdealSheddingTests {

	/** An origin whose queue the test sets. */
	private static final class Queue implements Origin {

		int length;

		@Override
		public void submit(Request request) {
		}

		@Override
		public int queueLength() {
			return length;
		}

	}

	private final Queue origin = new Queue();

	private final RetryStrategy shedding = Policies.idealShedding()
		.deploy(EventLoop.create(), origin)
		.newProcess(new java.util.SplittableRandom(1))[0];

	@Test
	void shedsFromATimeOutWhileTheOriginHasAQueueUntilTheQueueIsEmpty() {
		RetryStrategy.Permit first = shedding.beforeAttempt(1);
		assertThat(first).isNotNull();
		origin.length = 30;
		first.failed(1_000_000_000L, AttemptFailure.TIMEOUT);
		assertThat(shedding.beforeAttempt(1)).isNull();
		origin.length = 1;
		assertThat(shedding.beforeAttempt(1)).isNull();
		origin.length = 0;
		assertThat(shedding.beforeAttempt(1)).isNotNull();
		origin.length = 5;
		assertThat(shedding.beforeAttempt(1)).as("a queue alone starts nothing").isNotNull();
	}

	@Test
	void aTimeOutWithoutAQueueOrAnotherFailureStartsNothing() {
		shedding.beforeAttempt(1).failed(1_000_000_000L, AttemptFailure.TIMEOUT);
		origin.length = 10;
		shedding.beforeAttempt(1).failed(1_000_000L, AttemptFailure.ERROR);
		assertThat(shedding.beforeAttempt(1)).isNotNull();
		assertThat(shedding.onFailure(1, 0, AttemptFailure.TIMEOUT)).isEqualTo(RetryStrategy.NO_RETRY);
	}

	@Test
	void aBoundThatSeesTheQueueRecoversSoonerThanNoRetryAndShedsOnlyAfterTheTrigger() {
		StormScenario scenario = StormScenario.postMortem(Duration.ofSeconds(1)).withDuration(Duration.ofSeconds(45));
		StormResult ideal = StormSimulation.run(scenario, Policies.idealShedding(), 42);
		StormResult none = StormSimulation.run(scenario, Policies.noRetry(), 42);
		assertThat(ideal.recoverySeconds()).isPresent();
		assertThat(ideal.recoverySeconds().getAsDouble()).isLessThan(none.recoverySeconds().getAsDouble());
		long triggerStart = scenario.slowdown().start().toNanos();
		assertThat(ideal.recorder().sum(Series.REJECTED, 0, triggerStart)).isZero();
		assertThat(ideal.recorder().total(Series.REJECTED)).isPositive();
		assertThat(ideal.recorder().total(Series.ORIGIN_ATTEMPTS) + ideal.recorder().total(Series.REJECTED))
			.isEqualTo(ideal.recorder().total(Series.OFFERED));
	}

	@Test
	void itIsOnlyDeployedWithTheOrigin() {
		for (Policy ideal : List.of(Policies.idealShedding(), Policies.idealSheddingPerProcess())) {
			assertThatExceptionOfType(UnsupportedOperationException.class)
				.isThrownBy(() -> ideal.deploy(EventLoop.create()));
			assertThatExceptionOfType(UnsupportedOperationException.class)
				.isThrownBy(() -> ideal.newStrategy(0, EventLoop.create(), new java.util.SplittableRandom(1)));
		}
	}

	@Test
	void theFleetBoundShedsEveryProcessOnOneTimeOutThePerProcessBoundOnlyTheProcessThatSawIt() {
		Policy.Deployment fleet = Policies.idealShedding().deploy(EventLoop.create(), origin);
		Policy.Deployment perProcess = Policies.idealSheddingPerProcess().deploy(EventLoop.create(), origin);
		RetryStrategy fleetA = fleet.newProcess(new java.util.SplittableRandom(1))[0];
		RetryStrategy fleetB = fleet.newProcess(new java.util.SplittableRandom(2))[0];
		RetryStrategy ownA = perProcess.newProcess(new java.util.SplittableRandom(1))[0];
		RetryStrategy ownB = perProcess.newProcess(new java.util.SplittableRandom(2))[0];
		origin.length = 30;
		fleetA.beforeAttempt(1).failed(1_000_000_000L, AttemptFailure.TIMEOUT);
		ownA.beforeAttempt(1).failed(1_000_000_000L, AttemptFailure.TIMEOUT);
		assertThat(fleetA.beforeAttempt(1)).isNull();
		assertThat(fleetB.beforeAttempt(1)).isNull();
		assertThat(ownA.beforeAttempt(1)).isNull();
		assertThat(ownB.beforeAttempt(1)).as("another process has not seen a time-out").isNotNull();
		ownB.beforeAttempt(1).failed(1_000_000_000L, AttemptFailure.TIMEOUT);
		assertThat(ownB.beforeAttempt(1)).isNull();
		origin.length = 0;
		assertThat(ownA.beforeAttempt(1)).isNotNull();
		assertThat(ownB.beforeAttempt(1)).isNotNull();
	}

	@Test
	void withOneClientPerProcessThePerProcessBoundRecoversLaterThanTheFleetBound() {
		StormScenario scenario = StormScenario.postMortem(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(60));
		StormResult fleet = StormSimulation.run(scenario.withProcesses(scenario.clients()), Policies.idealShedding(), 42);
		StormResult perProcess = StormSimulation.run(scenario.withProcesses(scenario.clients()),
				Policies.idealSheddingPerProcess(), 42);
		StormResult oneProcess = StormSimulation.run(scenario.withProcesses(1), Policies.idealSheddingPerProcess(), 42);
		assertThat(perProcess.recoverySeconds()).isPresent();
		assertThat(perProcess.recoverySeconds().getAsDouble()).isGreaterThan(fleet.recoverySeconds().getAsDouble());
		assertThat(oneProcess.recoverySeconds()).as("one process is the whole fleet").isEqualTo(fleet.recoverySeconds());
	}

}

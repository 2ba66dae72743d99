package dev.resilience.benchmarks.sim;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.resilience.benchmarks.sim.Recorder.Series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StormSimulationTests {

	/** Shorter than the report's runs, to keep the suite fast; long enough to judge. */
	private static final StormScenario ONE_SECOND = StormScenario.postMortem(Duration.ofSeconds(1))
		.withDuration(Duration.ofSeconds(45));

	@Test
	void theSameSeedGivesTheSameRun() {
		StormResult first = StormSimulation.run(ONE_SECOND, Policies.exponentialFullJitter(), 11);
		StormResult second = StormSimulation.run(ONE_SECOND, Policies.exponentialFullJitter(), 11);
		for (Series series : Series.values()) {
			assertThat(second.recorder().buckets(series)).as(series.name())
				.containsExactly(first.recorder().buckets(series));
		}
		assertThat(second.events()).isEqualTo(first.events());
	}

	@Test
	void everyPolicyFacesTheSameArrivalsForTheSameSeed() {
		StormResult none = StormSimulation.run(ONE_SECOND, Policies.noRetry(), 11);
		StormResult immediate = StormSimulation.run(ONE_SECOND, Policies.immediate(3), 11);
		assertThat(immediate.recorder().buckets(Series.OFFERED))
			.containsExactly(none.recorder().buckets(Series.OFFERED));
	}

	@Test
	void withoutRetriesTheOriginRecoversSoonAfterAShortTrigger() {
		StormResult result = StormSimulation.run(ONE_SECOND, Policies.noRetry(), 11);
		assertThat(result.metastable()).isFalse();
		assertThat(result.recoverySeconds().getAsDouble()).isLessThan(10);
		assertThat(result.peakAmplification()).isEqualTo(1.0);
		assertThat(result.goodputAtEnd()).isGreaterThan(0.95);
	}

	@Test
	void immediateRetriesTurnAShortTriggerIntoAMetastableCollapse() {
		StormResult result = StormSimulation.run(ONE_SECOND, Policies.immediate(3), 11);
		assertThat(result.metastable()).isTrue();
		assertThat(result.goodputAtEnd()).isLessThan(0.05);
		assertThat(result.meanAmplification()).isGreaterThan(3);
		assertThat(result.wastedWork()).isGreaterThan(0.9);
	}

	@Test
	void withoutATriggerNothingCollapses() {
		StormScenario calm = new StormScenario("calm", 1000, 1000, 400, 50, Duration.ofMillis(100),
				Duration.ofSeconds(1), Slowdown.none(), Duration.ofSeconds(30), Duration.ofMillis(100), 0);
		StormResult result = StormSimulation.run(calm, Policies.immediate(3), 11);
		assertThat(result.meanAmplification()).isLessThan(1.01);
		assertThat(result.metastable()).isFalse();
	}

	@Test
	void theNumberOfProcessesDoesNotChangeTheTrafficNorAStatelessPolicy() {
		StormResult ownProcesses = StormSimulation.run(ONE_SECOND, Policies.immediate(3), 11);
		StormResult tenProcesses = StormSimulation.run(ONE_SECOND.withProcesses(10), Policies.immediate(3), 11);
		for (Series series : Series.values()) {
			assertThat(tenProcesses.recorder().buckets(series)).as(series.name())
				.containsExactly(ownProcesses.recorder().buckets(series));
		}
	}

	@Test
	void aScenarioHasBetweenOneProcessAndOnePerClient() {
		assertThat(ONE_SECOND.processes()).isEqualTo(ONE_SECOND.clients());
		assertThat(ONE_SECOND.withProcesses(1).processes()).isEqualTo(1);
		assertThatIllegalArgumentException().isThrownBy(() -> ONE_SECOND.withProcesses(1001))
			.withMessageContaining("processes must be in [1, clients (1000)] but was 1001");
	}

}

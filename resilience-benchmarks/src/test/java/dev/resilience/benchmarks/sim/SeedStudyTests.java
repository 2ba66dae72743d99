package dev.resilience.benchmarks.sim;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SeedStudyTests {

	private static final double NEVER = Double.NaN;

	@Test
	void aCellCountsTheRunsWithinTheTargetAndSpreadsTheRecoveredOnes() {
		SeedStudy.Spread spread = new SeedStudy.Spread(new double[] { 2.4, 1.8, NEVER, 2.0, 2.1 }, 2);
		assertThat(spread.met()).isEqualTo(2);
		assertThat(spread.never()).isEqualTo(1);
		assertThat(spread.recovered()).containsExactly(1.8, 2.0, 2.1, 2.4);
		assertThat(spread.median()).isCloseTo(2.05, within(1e-12));
		assertThat(spread.cell()).isEqualTo("2/5 met; 1.8 / 2.1 / 2.4 s; 1 **never**");
	}

	@Test
	void theMedianOfAnOddCountIsItsMiddleRun() {
		SeedStudy.Spread spread = new SeedStudy.Spread(new double[] { 3.0, 1.0, 2.0 }, 2);
		assertThat(spread.median()).isEqualTo(2.0);
		assertThat(spread.cell()).isEqualTo("2/3 met; 1.0 / 2.0 / 3.0 s");
	}

	@Test
	void aCellWhoseRunsAllCollapsedHasNoSpread() {
		SeedStudy.Spread spread = new SeedStudy.Spread(new double[] { NEVER, NEVER }, 2);
		assertThat(spread.met()).isZero();
		assertThat(spread.median()).isNaN();
		assertThat(spread.cell()).isEqualTo("0/2 met; 2 **never**");
	}

	@Test
	void theSeedsStartAtTheReportsSeed() {
		SeedStudy study = new SeedStudy(new Markdown(), 42, 2);
		assertThat(study.seeds()).hasSize(SeedStudy.SEEDS).startsWith(42, 43).endsWith(42 + SeedStudy.SEEDS - 1);
	}

	@Test
	void eachSeedIsARunOfItsOwnAndTheReportsSeedGivesTheReportsRun() {
		StormScenario scenario = StormScenario.postMortem(Duration.ofSeconds(1));
		SeedStudy study = new SeedStudy(new Markdown(), 42, 2);
		SeedStudy.Spread spread = study.spread(scenario, Policies.noRetry(), scenario.clients());
		double reported = StormSimulation.run(scenario.withProcesses(scenario.clients()), Policies.noRetry(), 42)
			.recoverySeconds()
			.orElseThrow();
		assertThat(spread.recoveries()[0]).isEqualTo(reported);
		assertThat(List.of(spread.recoveries()[0], spread.recoveries()[1], spread.recoveries()[2]))
			.as("different seeds give different arrivals")
			.doesNotHaveDuplicates();
	}

}

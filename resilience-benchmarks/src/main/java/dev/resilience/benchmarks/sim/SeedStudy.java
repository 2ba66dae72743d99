package dev.resilience.benchmarks.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

import static dev.resilience.benchmarks.sim.Markdown.number;

/**
 * How much the recovery verdicts of the targets depend on the seed: the target cells run
 * again with the report's seed and the seeds after it, and each cell gives how many runs
 * met the recovery target and the spread of their recovery times. A verdict of one seed
 * that sits a tenth of a second from the target says little until the other seeds agree.
 */
final class SeedStudy {

	/** Runs per cell: the report's seed and the ones after it. */
	static final int SEEDS = 10;

	private final Markdown markdown;

	private final long seed;

	private final double targetSeconds;

	SeedStudy(Markdown markdown, long seed, double targetSeconds) {
		this.markdown = markdown;
		this.seed = seed;
		this.targetSeconds = targetSeconds;
	}

	/**
	 * The recovery times of one cell over the seeds.
	 *
	 * @param recoveries seconds per seed, NaN for a run that never recovered
	 * @param target the recovery target in seconds
	 */
	record Spread(double[] recoveries, double target) {

		int met() {
			int met = 0;
			for (double recovery : recoveries) {
				if (!Double.isNaN(recovery) && recovery <= target) {
					met++;
				}
			}
			return met;
		}

		int never() {
			int never = 0;
			for (double recovery : recoveries) {
				if (Double.isNaN(recovery)) {
					never++;
				}
			}
			return never;
		}

		/**
		 * @return the recovered runs' times, sorted
		 */
		double[] recovered() {
			return Arrays.stream(recoveries).filter((recovery) -> !Double.isNaN(recovery)).sorted().toArray();
		}

		/**
		 * @return the median of the recovered runs (the mean of the middle two for an even
		 * count), NaN when none recovered
		 */
		double median() {
			double[] sorted = recovered();
			if (sorted.length == 0) {
				return Double.NaN;
			}
			int middle = sorted.length / 2;
			return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
		}

		/**
		 * @return {@code 7/10 met; 1.8 / 2.0 / 2.4 s} (shortest, median, longest), with the
		 * runs that never recovered named
		 */
		String cell() {
			double[] sorted = recovered();
			StringBuilder cell = new StringBuilder().append(met()).append('/').append(recoveries.length).append(" met");
			if (sorted.length > 0) {
				cell.append("; ")
					.append(number(sorted[0], 1))
					.append(" / ")
					.append(number(median(), 1))
					.append(" / ")
					.append(number(sorted[sorted.length - 1], 1))
					.append(" s");
			}
			if (never() > 0) {
				cell.append("; ").append(never()).append(" **never**");
			}
			return cell.toString();
		}

	}

	/**
	 * @return the seeds the study runs: the report's and the {@link #SEEDS} - 1 after it
	 */
	long[] seeds() {
		long[] seeds = new long[SEEDS];
		for (int i = 0; i < SEEDS; i++) {
			seeds[i] = seed + i;
		}
		return seeds;
	}

	Spread spread(StormScenario scenario, Policy policy, int processes) {
		long[] seeds = seeds();
		double[] recoveries = new double[seeds.length];
		for (int i = 0; i < seeds.length; i++) {
			OptionalDouble recovery = StormSimulation.run(scenario.withProcesses(processes), policy, seeds[i])
				.recoverySeconds();
			recoveries[i] = recovery.isPresent() ? recovery.getAsDouble() : Double.NaN;
		}
		return new Spread(recoveries, targetSeconds);
	}

	/**
	 * Writes the section: one table row per policy and trigger, one column per process count.
	 *
	 * @param section the section's number
	 * @param scenarios the storms
	 * @param policies the library's policies compared
	 * @param baselines policies whose rows do not depend on the process count: no retry,
	 * and bounds no client could run
	 * @param processCounts the columns
	 */
	void write(int section, List<StormScenario> scenarios, List<Policy> policies, List<Policy> baselines,
			int[] processCounts) {
		long[] seeds = seeds();
		markdown.line("## " + section + ". The recovery targets over " + seeds.length + " seeds");
		markdown.line();
		markdown.line(String.format(Locale.ROOT, "The target cells of the previous section again with seeds %d to %d (the report's "
				+ "and the %d after it): the arrivals, the service times and every random draw of the library's "
				+ "classes change with the seed. Each cell: the runs that met the %s s recovery target, then the "
				+ "shortest, median and longest recovery; runs that never recovered are counted apart. Recovery is "
				+ "measured to a tenth of a second on 5 s windows of Poisson traffic, so a verdict of one seed within "
				+ "a few tenths of the target is read here.", seeds[0], seeds[seeds.length - 1], seeds.length - 1,
				number(targetSeconds, 0)));
		markdown.line();
		StringBuilder header = new StringBuilder("| policy | trigger |");
		StringBuilder rule = new StringBuilder("|---|---|");
		for (int processes : processCounts) {
			header.append(' ').append(FleetStudy.processes(processes)).append(" |");
			rule.append("---|");
		}
		markdown.line(header.toString());
		markdown.line(rule.toString());
		List<String> findings = new ArrayList<>();
		for (StormScenario scenario : scenarios) {
			String trigger = number(scenario.slowdown().duration().toMillis() / 1000.0, 0) + " s";
			for (Policy baseline : baselines) {
				Spread none = spread(scenario, baseline, scenario.clients());
				StringBuilder noneRow = new StringBuilder("| " + baseline.name() + " (any number of processes) | "
						+ trigger + " |");
				for (int ignored : processCounts) {
					noneRow.append(' ').append(none.cell()).append(" |");
				}
				markdown.line(noneRow.toString());
			}
			for (Policy policy : policies) {
				StringBuilder row = new StringBuilder("| " + policy.name() + " | " + trigger + " |");
				int met = 0;
				for (int processes : processCounts) {
					Spread spread = spread(scenario, policy, processes);
					met += spread.met();
					row.append(' ').append(spread.cell()).append(" |");
				}
				markdown.line(row.toString());
				findings.add(String.format(Locale.ROOT, "%s after the %s trigger: %d of %d runs", policy.name(),
						trigger, met, processCounts.length * seeds.length));
			}
		}
		markdown.line();
		markdown.line("Runs that met the recovery target, over every process count: " + String.join("; ", findings)
				+ ".");
		markdown.line();
	}

}

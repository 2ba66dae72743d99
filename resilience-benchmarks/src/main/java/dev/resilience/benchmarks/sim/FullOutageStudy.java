package dev.resilience.benchmarks.sim;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.resilience.benchmarks.sim.ours.OurPolicies;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.retry.RetryBudgetConfig;
import dev.resilience.core.retry.RetryConfig;

import static dev.resilience.benchmarks.sim.Markdown.number;
import static dev.resilience.benchmarks.sim.Markdown.times;

/**
 * The full outage of the storm report's section 4: the storms' traffic against an origin
 * whose every attempt fails at once, run for each budget floor, breaker and process
 * count; its table, chart and paragraph, every figure taken from the runs. Each run runs
 * once per report and is kept for the sections that quote it.
 */
final class FullOutageStudy {

	/** Length of the full-outage runs. */
	static final Duration DURATION = Duration.ofSeconds(60);

	/** Caller processes in the full-outage chart. */
	private static final int[] CHART_PROCESSES = { 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1 };

	private static final Color[] COLORS = { new Color(200, 40, 40), new Color(230, 140, 20),
			new Color(30, 140, 60) };

	private static final Color FORMULA = new Color(60, 60, 60);

	private final Markdown markdown;

	private final long seed;

	private final Path directory;

	private final StormScenario traffic;

	private final Map<String, BrookerValidation.Outcome> outcomes = new HashMap<>();

	/**
	 * @param traffic the storm whose clients and rate the outage runs with
	 */
	FullOutageStudy(Markdown markdown, long seed, Path directory, StormScenario traffic) {
		this.markdown = markdown;
		this.seed = seed;
		this.directory = directory;
		this.traffic = traffic;
	}

	/**
	 * @return attempts per request when every attempt fails at once, the storm's traffic
	 * spread over {@code processes}
	 */
	double load(Policy policy, int processes) {
		return outcome(policy, processes).load();
	}

	private BrookerValidation.Outcome outcome(Policy policy, int processes) {
		return outcomes.computeIfAbsent(policy.name() + '|' + processes, (key) -> BrookerValidation.run(policy, 1.0,
				traffic.clients(), processes, traffic.ratePerSecond(), DURATION, seed));
	}

	/**
	 * @return how many more retries per process a floor costs in the full outage than
	 * floor 0, without a breaker; both runs see the same requests
	 */
	double floorRetriesPerProcess(int floor, int processes) {
		BrookerValidation.Outcome withFloor = outcome(OurPolicies.of(floor, null), processes);
		BrookerValidation.Outcome none = outcome(OurPolicies.of(0, null), processes);
		return (withFloor.load() - none.load()) * withFloor.requests() / processes;
	}

	void write() throws IOException {
		double rate = traffic.ratePerSecond();
		int maxAttempts = RetryConfig.defaults().maxAttempts();
		RetryBudgetConfig budget = RetryBudgetConfig.defaults();
		double ratio = budget.ratio();
		double window = budget.window().toSeconds();
		double run = DURATION.toSeconds();
		int tiniest = FleetStudy.PROCESSES[0];
		double startUp = 1 + ratio * (1 - window / (2 * run));
		double onlyRatio = load(OurPolicies.of(0, null), 1);
		StringBuilder text = new StringBuilder("**Full outage.** The same " + (int) rate + " requests/s, but every "
				+ "attempt fails at once (an origin answering errors in " + millis(BrookerValidation.LATENCY)
				+ ", p = 1), for " + (long) run
				+ " s; load = attempts per request over the whole run. Without a breaker only the budget bounds the "
				+ "load. No attempt succeeds, so once a process's first call that retried has failed, its floor "
				+ "stays suspended and only the ratio counts: ratio x r retries per second to a process of r "
				+ "requests/s, a load of 1 + ratio = " + times(1 + ratio) + " whatever the floor (the formula row). "
				+ (budgetAloneBelow(ratio) ? "The simulated rows sit below it" : "The simulated rows differ from it")
				+ ": the first window starts with no deposits, which costs about half "
				+ "a window's retries over the run (1 + ratio x (1 - window / (2 x run)) = " + times(startUp)
				+ "; one process, floor 0: " + times(onlyRatio) + ")");
		double tiniestEarned = ratio * rate / tiniest * window;
		if (tiniestEarned < 1) {
			text.append(", and a process whose window earns less than a whole token seldom retries at all (floor 0 "
					+ "at ")
				.append(String.format(Locale.ROOT, "%,d", tiniest))
				.append(" processes, ")
				.append(number(tiniestEarned, 1))
				.append(" token a window: ")
				.append(times(load(OurPolicies.of(0, null), tiniest)))
				.append(')');
		}
		text.append(". A floor adds the retries a process makes on it before the suspension: those of its first "
				+ "failed call (up to ")
			.append(maxAttempts - 1)
			.append(") and of any call in flight with it, less what the ratio would have allowed anyway, as a retry "
					+ "on the floor counts against the ratio's tokens of its window: ");
		int[] counts = { tiniest, FleetStudy.MANY_CLIENTS[0] };
		boolean floorsAlike = true;
		List<List<String>> extras = new ArrayList<>();
		for (int processes : counts) {
			List<String> floors = new ArrayList<>();
			for (int floor : FleetStudy.FLOORS) {
				if (floor > 0) {
					floors.add(number(floorRetriesPerProcess(floor, processes), 1));
				}
			}
			floorsAlike &= floors.stream().distinct().count() == 1;
			extras.add(floors);
		}
		for (int i = 0; i < counts.length; i++) {
			String values = floorsAlike ? extras.get(i).get(0) : String.join(" / ", extras.get(i));
			text.append((i == 0) ? "" : " and ")
				.append(values)
				.append((i == 0) ? " retries per process at " : " at ")
				.append(String.format(Locale.ROOT, "%,d", counts[i]))
				.append((i == 0) ? " processes" : "");
		}
		text.append(floorsAlike ? ", whichever floor" : " (floor " + floorList(" / ") + ")");
		int alike = 0;
		for (int i = FleetStudy.PROCESSES.length - 1; i >= 0 && floorsAlikeInOutage(FleetStudy.PROCESSES[i]); i--) {
			alike = FleetStudy.PROCESSES[i];
		}
		if (alike > 1) {
			text.append("; from ").append(alike).append(" processes down the floors' rows match floor 0's");
		}
		else if (alike == 1) {
			text.append("; with one process the floors' rows match floor 0's");
		}
		text.append(". With a breaker, what passes is what it lets through before it opens and its rounds of probes")
			.append(shorterOpensMore() ? ", so the shorter its open periods, the more." : ".");
		markdown.line(text.toString());
		markdown.line();
		StringBuilder header = new StringBuilder("| policy |");
		StringBuilder rule = new StringBuilder("|---|");
		for (int processes : FleetStudy.PROCESSES) {
			header.append(' ').append(FleetStudy.processes(processes)).append(" (").append(number(rate / processes, 1))
				.append("/s each) |");
			rule.append("---:|");
		}
		markdown.line(header.toString());
		markdown.line(rule.toString());
		List<Policy> policies = new ArrayList<>();
		for (CircuitBreakerConfig breaker : new CircuitBreakerConfig[] { null, CircuitBreakerConfig.defaults() }) {
			for (int floor : FleetStudy.FLOORS) {
				policies.add(OurPolicies.of(floor, breaker));
				if (breaker != null && floor == OurPolicies.DEFAULT_FLOOR) {
					policies.addAll(FleetStudy.fleetBreakers());
				}
			}
		}
		for (CircuitBreakerConfig breaker : FleetStudy.OPEN_VARIANTS) {
			policies.add(OurPolicies.of(OurPolicies.DEFAULT_FLOOR, breaker));
		}
		policies.addAll(FleetStudy.probeVariants());
		for (Policy policy : policies) {
			StringBuilder row = new StringBuilder("| " + policy.name() + " |");
			for (int processes : FleetStudy.PROCESSES) {
				row.append(' ').append(times(load(policy, processes))).append(" |");
			}
			markdown.line(row.toString());
		}
		StringBuilder formula = new StringBuilder("| formula: 1 + ratio, any floor |");
		for (int i = 0; i < FleetStudy.PROCESSES.length; i++) {
			formula.append(' ').append(times(outageFormula(ratio))).append(" |");
		}
		markdown.line(formula.toString());
		markdown.line();
		writeChart(rate, ratio);
		markdown.line("![full-outage load vs requests per process](full-outage.png)");
		markdown.line();
	}

	/** @return the floors above 0, joined: {@code 10 / 1} */
	private static String floorList(String separator) {
		List<String> floors = new ArrayList<>();
		for (int floor : FleetStudy.FLOORS) {
			if (floor > 0) {
				floors.add(Integer.toString(floor));
			}
		}
		return String.join(separator, floors);
	}

	/** @return whether, without a breaker, no floor's outage load exceeds {@code 1 + ratio} */
	private boolean budgetAloneBelow(double ratio) {
		for (int floor : FleetStudy.FLOORS) {
			for (int processes : FleetStudy.PROCESSES) {
				if (load(OurPolicies.of(floor, null), processes) > outageFormula(ratio)) {
					return false;
				}
			}
		}
		return true;
	}

	/** @return whether, without a breaker, every floor's outage load shows as floor 0's */
	private boolean floorsAlikeInOutage(int processes) {
		String none = times(load(OurPolicies.of(0, null), processes));
		for (int floor : FleetStudy.FLOORS) {
			if (!times(load(OurPolicies.of(floor, null), processes)).equals(none)) {
				return false;
			}
		}
		return true;
	}

	/** @return whether, of the fixed open periods compared, a shorter one never lets less through */
	private boolean shorterOpensMore() {
		List<CircuitBreakerConfig> fixed = new ArrayList<>();
		for (CircuitBreakerConfig breaker : FleetStudy.OPEN_VARIANTS) {
			if (OurPolicies.isFixed(breaker)) {
				fixed.add(breaker);
			}
		}
		fixed.sort((one, other) -> one.openDuration().compareTo(other.openDuration()));
		for (int i = 1; i < fixed.size(); i++) {
			for (int processes : FleetStudy.PROCESSES) {
				if (load(OurPolicies.of(OurPolicies.DEFAULT_FLOOR, fixed.get(i)), processes) > load(
						OurPolicies.of(OurPolicies.DEFAULT_FLOOR, fixed.get(i - 1)), processes)) {
					return false;
				}
			}
		}
		return fixed.size() > 1;
	}

	/** @return {@code 10 ms} */
	static String millis(Duration duration) {
		return duration.toMillis() + " ms";
	}

	private void writeChart(double rate, double ratio) throws IOException {
		Chart chart = Chart.of("Full outage, budget alone (no breaker): " + (int) rate + " requests/s over P processes",
				"log10(P): 0 = one process of " + (int) rate + "/s, 3 = 1,000 processes of " + rate / 1000 + "/s",
				"attempts per request");
		double[] xs = new double[CHART_PROCESSES.length];
		for (int i = 0; i < xs.length; i++) {
			xs[i] = Math.log10(CHART_PROCESSES[i]);
		}
		double[] ends = { 0, 3 };
		chart.add("1 + ratio (formula, any floor)", FORMULA, Chart.Style.LINE, ends,
				new double[] { outageFormula(ratio), outageFormula(ratio) });
		for (int fi = 0; fi < FleetStudy.FLOORS.length; fi++) {
			int floor = FleetStudy.FLOORS[fi];
			Policy policy = OurPolicies.of(floor, null);
			double[] loads = new double[xs.length];
			for (int i = 0; i < xs.length; i++) {
				loads[i] = load(policy, CHART_PROCESSES[i]);
			}
			chart.add("floor " + floor + " simulated", COLORS[fi], Chart.Style.POINTS, xs, loads);
		}
		Chart.writeGrid(List.of(chart), 1, 900, 420, directory.resolve("full-outage.png"));
	}

	/**
	 * @return the steady-state load of a full outage with the budget alone: the floor is
	 * suspended from the first call that fails after retrying and no attempt restores it,
	 * so every request makes one first attempt and {@code ratio} retries on average
	 */
	private static double outageFormula(double ratio) {
		return 1 + ratio;
	}

}

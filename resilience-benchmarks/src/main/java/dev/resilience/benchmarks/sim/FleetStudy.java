package dev.resilience.benchmarks.sim;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.resilience.benchmarks.sim.ours.OurPolicies;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.retry.RetryBudgetConfig;
import dev.resilience.core.retry.RetryConfig;

import static dev.resilience.benchmarks.sim.Markdown.number;
import static dev.resilience.benchmarks.sim.Markdown.recovery;
import static dev.resilience.benchmarks.sim.Markdown.times;

/**
 * The sections of the storm report about the library's own settings: how many caller
 * processes share one retry budget and breaker, the budget's per-second floor, and the
 * breaker's open duration; then the library's targets, met or not.
 */
final class FleetStudy {

	/** Caller processes in the matrices, from one client each to one process for all. */
	static final int[] PROCESSES = { 1000, 100, 20, 10, 1 };

	/** Caller processes in the full-outage chart. */
	private static final int[] CHART_PROCESSES = { 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1 };

	/** Budget floors compared: ten times the default, the default (1/s), none. */
	private static final int[] FLOORS = { 10, 1, 0 };

	/** A shorter open duration than the default, as a user may configure today. */
	static final Duration SHORT_OPEN = Duration.ofSeconds(5);

	/** Length of the full-outage runs. */
	private static final Duration OUTAGE_DURATION = Duration.ofSeconds(60);

	private static final double TARGET_AMPLIFICATION = 1.1;

	private static final double TARGET_RECOVERY_SECONDS = 2;

	private static final Color[] COLORS = { new Color(200, 40, 40), new Color(230, 140, 20),
			new Color(30, 140, 60) };

	private final Markdown markdown;

	private final long seed;

	private final Path directory;

	private final StormScenario shortTrigger = StormScenario.postMortem(Duration.ofSeconds(1));

	private final StormScenario longTrigger = StormScenario.postMortem(Duration.ofSeconds(10));

	FleetStudy(Markdown markdown, long seed, Path directory) {
		this.markdown = markdown;
		this.seed = seed;
		this.directory = directory;
	}

	void write(int section) throws IOException {
		double clients = shortTrigger.clients();
		double rate = shortTrigger.ratePerSecond();
		RetryBudgetConfig budget = RetryBudgetConfig.defaults();
		markdown.line("## " + section + ". Caller processes, the budget's floor and the breaker's open duration");
		markdown.line();
		markdown.line("The library keeps one retry budget and one circuit breaker per instance name **per process**. "
				+ "A budget earns `ratio` = " + budget.ratio() + " token per first attempt over a "
				+ budget.window().toSeconds() + " s window, and never allows fewer than "
				+ "`min-retries-per-second` x window retries per window (the floor, a minimum, not an addition: "
				+ "max(floor x window, ratio x first attempts) tokens; default " + OurPolicies.DEFAULT_FLOOR
				+ "/s, so " + (int) (OurPolicies.DEFAULT_FLOOR * budget.window().toSeconds()) + " tokens). With "
				+ (int) clients + " processes of one client each, every budget sees " + number(rate / clients, 1)
				+ " requests/s: it earns " + number(budget.ratio() * rate / clients * budget.window().toSeconds(), 1)
				+ " token per window and the floor dwarfs that, so the budget never binds; every breaker sees "
				+ "so few calls that it opens late, on stale windows. In a real deployment a process serves many "
				+ "requests: with 20 or 10 caller processes each budget and breaker sees 20 or 40 requests/s.");
		markdown.line();
		markdown.line("Each cell: recovery to 95% goodput after the trigger's end, then the peak load (attempts at "
				+ "the origin per offered request, highest whole second). Bold: never recovered (metastable). "
				+ "Defaults: floor " + OurPolicies.DEFAULT_FLOOR + ", breaker open "
				+ CircuitBreakerConfig.defaults().openDuration().toSeconds() + " s. `open " + SHORT_OPEN.toSeconds()
				+ " s` is a setting users can choose today (`open-duration`), not a default.");
		markdown.line();
		for (StormScenario scenario : List.of(shortTrigger, longTrigger)) {
			writeMatrix(scenario);
		}
		writeOutage();
	}

	private void writeMatrix(StormScenario scenario) {
		long trigger = scenario.slowdown().duration().toSeconds();
		StormResult none = StormSimulation.run(scenario, Policies.noRetry(), seed);
		markdown.line("**" + trigger + " s trigger** (no retry for comparison: " + recovery(none.recoverySeconds())
				+ ", peak " + times(none.peakAmplification()) + ")");
		markdown.line();
		StringBuilder header = new StringBuilder("| policy |");
		StringBuilder rule = new StringBuilder("|---|");
		for (int processes : PROCESSES) {
			header.append(' ').append(processes((processes)))
				.append(" (")
				.append(number(scenario.ratePerSecond() / processes, 1))
				.append("/s each) |");
			rule.append("---:|");
		}
		markdown.line(header.toString());
		markdown.line(rule.toString());
		for (Policy policy : matrixPolicies()) {
			StringBuilder row = new StringBuilder("| " + policy.name() + " |");
			for (int processes : PROCESSES) {
				StormResult result = StormSimulation.run(scenario.withProcesses(processes), policy, seed);
				row.append(' ').append(recovery(result.recoverySeconds())).append(" / ")
					.append(times(result.peakAmplification())).append(" |");
			}
			markdown.line(row.toString());
		}
		markdown.line();
	}

	private static List<Policy> matrixPolicies() {
		CircuitBreakerConfig shortOpen = CircuitBreakerConfig.defaults().toBuilder().openDuration(SHORT_OPEN).build();
		List<Policy> policies = new ArrayList<>();
		for (CircuitBreakerConfig breaker : new CircuitBreakerConfig[] { CircuitBreakerConfig.defaults(), null,
				shortOpen }) {
			for (int floor : FLOORS) {
				policies.add(OurPolicies.of(floor, breaker));
			}
		}
		return policies;
	}

	/**
	 * @return attempts per request when every attempt fails at once, the storm's traffic
	 * spread over {@code processes}
	 */
	private double outageLoad(Policy policy, int processes) {
		return BrookerValidation
			.run(policy, 1.0, shortTrigger.clients(), processes, shortTrigger.ratePerSecond(), OUTAGE_DURATION, seed)
			.load();
	}

	private void writeOutage() throws IOException {
		double rate = shortTrigger.ratePerSecond();
		int maxAttempts = RetryConfig.defaults().maxAttempts();
		double ratio = RetryBudgetConfig.defaults().ratio();
		markdown.line("**Full outage.** The same " + (int) rate + " requests/s, but every attempt fails at once (an "
				+ "origin answering errors in 10 ms, p = 1), for " + OUTAGE_DURATION.toSeconds()
				+ " s; load = attempts per request over the whole run. Without a breaker only the budget bounds "
				+ "the load; in steady state it allows max(ratio x r, floor) retries per second to a process of r "
				+ "requests/s, so the load tends to min(" + maxAttempts + ", 1 + max(" + ratio + ", floor / r)) "
				+ "(the formula rows; the simulated rows start with a bucket holding only the floor, so they "
				+ "may sit a little lower).");
		markdown.line();
		StringBuilder header = new StringBuilder("| policy |");
		StringBuilder rule = new StringBuilder("|---|");
		for (int processes : PROCESSES) {
			header.append(' ').append(processes(processes)).append(" (").append(number(rate / processes, 1))
				.append("/s each) |");
			rule.append("---:|");
		}
		markdown.line(header.toString());
		markdown.line(rule.toString());
		for (CircuitBreakerConfig breaker : new CircuitBreakerConfig[] { null, CircuitBreakerConfig.defaults() }) {
			for (int floor : FLOORS) {
				Policy policy = OurPolicies.of(floor, breaker);
				StringBuilder row = new StringBuilder("| " + policy.name() + " |");
				for (int processes : PROCESSES) {
					row.append(' ').append(times(outageLoad(policy, processes))).append(" |");
				}
				markdown.line(row.toString());
			}
		}
		for (int floor : FLOORS) {
			StringBuilder formula = new StringBuilder("| formula, floor " + floor + " |");
			for (int processes : PROCESSES) {
				formula.append(' ').append(times(outageFormula(maxAttempts, ratio, floor, rate / processes))).append(" |");
			}
			markdown.line(formula.toString());
		}
		markdown.line();
		writeOutageChart(rate, maxAttempts, ratio);
		markdown.line("![full-outage load vs requests per process](full-outage.png)");
		markdown.line();
		markdown.line("What the tables show:");
		markdown.line();
		markdown.line("- **One client per process: the floor decides, not the budget.** A floor of 1/s or more lets "
				+ "most retries through (its 10 tokens a window cover most of the ~8 retries a client of 0.4 "
				+ "request/s wants); floor 0 forbids every retry (0.4 request/s never earns a whole token in a "
				+ "window). Per-process budgets cannot bound the retries of a fleet of tiny callers; only their "
				+ "breakers, or a budget shared further up, can.");
		markdown.line("- **Processes serving many clients: the breaker's open duration decides recovery.** A 1 s "
				+ "slowdown fills each breaker's 100-call window with time-outs within seconds, the breaker opens "
				+ "and then refuses every call for its open duration, so recovery tracks that duration (section 2 "
				+ "and 3 charts: goodput is zero while the breakers are open). The floor changes only the peak.");
		markdown.line("- **Without a breaker the floor decides whether the budget prevents a collapse**: a floor of 10 "
				+ "leaves 10-20 processes metastable; the default floor of 1 is a minimum that a process of 10 "
				+ "requests/s or more already earns, so from 20 processes down it recovers exactly as floor 0 "
				+ "does. At 100 processes (4 requests/s each) the floor still exceeds what the ratio earns.");
		markdown.line("- **With 10-20 processes the first second after the trigger peaks near 1.8x, even with floor "
				+ "0**: a 10 s window saves ratio x 10 s = one second of a process's traffic in tokens, spent as "
				+ "the failures start (one process with a breaker opens it first). Averaged over a window, the "
				+ "load stays within 1 + max(ratio, floor / r).");
		markdown.line();
	}

	private void writeOutageChart(double rate, int maxAttempts, double ratio) throws IOException {
		Chart chart = Chart.of("Full outage, budget alone (no breaker): " + (int) rate + " requests/s over P processes",
				"log10(P): 0 = one process of " + (int) rate + "/s, 3 = 1,000 processes of " + rate / 1000 + "/s",
				"attempts per request");
		double[] xs = new double[CHART_PROCESSES.length];
		for (int i = 0; i < xs.length; i++) {
			xs[i] = Math.log10(CHART_PROCESSES[i]);
		}
		double[] fine = new double[61];
		for (int i = 0; i < fine.length; i++) {
			fine[i] = 3.0 * i / (fine.length - 1);
		}
		for (int fi = 0; fi < FLOORS.length; fi++) {
			int floor = FLOORS[fi];
			Policy policy = OurPolicies.of(floor, null);
			double[] loads = new double[xs.length];
			for (int i = 0; i < xs.length; i++) {
				loads[i] = outageLoad(policy, CHART_PROCESSES[i]);
			}
			double[] formula = new double[fine.length];
			for (int i = 0; i < fine.length; i++) {
				formula[i] = outageFormula(maxAttempts, ratio, floor, rate / Math.pow(10, fine[i]));
			}
			chart.add("floor " + floor + " formula", COLORS[fi], Chart.Style.LINE, fine, formula);
			chart.add("floor " + floor + " simulated", COLORS[fi], Chart.Style.POINTS, xs, loads);
		}
		Chart.writeGrid(List.of(chart), 1, 900, 420, directory.resolve("full-outage.png"));
	}

	/**
	 * @return the steady-state load of a full outage with the budget alone: every request
	 * makes one first attempt and as many retries as {@code max(ratio x r, floor)} allows
	 */
	private static double outageFormula(int maxAttempts, double ratio, int floor, double perProcess) {
		return Math.min(maxAttempts, 1 + Math.max(ratio, floor / perProcess));
	}

	void writeTargets(int section) {
		markdown.line("## " + section + ". The library's targets, with its defaults");
		markdown.line();
		markdown.line("Targets from the issue: amplification at most " + times(TARGET_AMPLIFICATION)
				+ " in a full outage, back to 95% goodput within " + number(TARGET_RECOVERY_SECONDS, 0)
				+ " s of the trigger's end, never metastable, in set-ups where naive retries stay collapsed.");
		markdown.line();
		int[] models = StormReport.PROCESS_MODELS;
		StringBuilder header = new StringBuilder("| target |");
		StringBuilder rule = new StringBuilder("|---|");
		for (int processes : models) {
			header.append(' ').append(processes(processes)).append(" |");
			rule.append("---|");
		}
		markdown.line(header.toString());
		markdown.line(rule.toString());
		Policy defaults = OurPolicies.defaults();
		Policy budgetOnly = OurPolicies.of(OurPolicies.DEFAULT_FLOOR, null);
		StringBuilder outage = new StringBuilder("| full outage <= " + times(TARGET_AMPLIFICATION) + " (defaults) |");
		StringBuilder outageBudget = new StringBuilder(
				"| full outage <= " + times(TARGET_AMPLIFICATION) + " (budget alone, no breaker) |");
		for (int processes : models) {
			outage.append(' ').append(verdict(outageLoad(defaults, processes), TARGET_AMPLIFICATION)).append(" |");
			outageBudget.append(' ')
				.append(verdict(outageLoad(budgetOnly, processes), TARGET_AMPLIFICATION))
				.append(" |");
		}
		markdown.line(outage.toString());
		markdown.line(outageBudget.toString());
		for (StormScenario scenario : List.of(shortTrigger, longTrigger)) {
			long trigger = scenario.slowdown().duration().toSeconds();
			StringBuilder row = new StringBuilder("| " + trigger + " s trigger: recovery <= "
					+ number(TARGET_RECOVERY_SECONDS, 0) + " s, never metastable |");
			for (int processes : models) {
				StormResult result = StormSimulation.run(scenario.withProcesses(processes), defaults, seed);
				String time = recovery(result.recoverySeconds());
				boolean fast = result.recoverySeconds().isPresent()
						&& result.recoverySeconds().getAsDouble() <= TARGET_RECOVERY_SECONDS;
				row.append(' ').append(time).append(fast ? " met" : " **missed**").append("; ")
					.append(result.metastable() ? "**metastable**" : "not metastable").append(" |");
			}
			markdown.line(row.toString());
		}
		markdown.line();
		int collapsed = 0;
		int naive = 0;
		for (Policy policy : Policies.all()) {
			if (policy.name().equals(Policies.noRetry().name())) {
				continue;
			}
			naive++;
			if (StormSimulation.run(shortTrigger, policy, seed).metastable()
					&& StormSimulation.run(longTrigger, policy, seed).metastable()) {
				collapsed++;
			}
		}
		StormResult none = StormSimulation.run(shortTrigger, Policies.noRetry(), seed);
		markdown.line(String.format(Locale.ROOT, "In both storms %d of the %d retrying policies without the library "
				+ "stay collapsed, so both are set-ups the targets speak of. Even with no retry at all the origin "
				+ "needs %s after the 1 s trigger to drain its queue (it serves requests whose clients gave up), "
				+ "so the %s s recovery target cannot be met there by any client-side policy that only reduces "
				+ "retries; only load the breakers refuse helps it drain faster (section 4, `open %d s`).", collapsed,
				naive, recovery(none.recoverySeconds()), number(TARGET_RECOVERY_SECONDS, 0), SHORT_OPEN.toSeconds()));
		markdown.line();
	}

	private static String processes(int count) {
		return count + ((count == 1) ? " process" : " processes");
	}

	private static String verdict(double load, double target) {
		return times(load) + ((load <= target) ? " met" : " **missed**");
	}

}

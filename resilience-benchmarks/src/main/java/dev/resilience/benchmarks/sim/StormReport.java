package dev.resilience.benchmarks.sim;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.resilience.benchmarks.sim.Recorder.Series;
import dev.resilience.benchmarks.sim.ours.OurPolicies;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.circuitbreaker.fleet.CircuitBreakerFleet;
import dev.resilience.core.retry.RetryBudgetConfig;

import static dev.resilience.benchmarks.sim.Markdown.number;
import static dev.resilience.benchmarks.sim.Markdown.percent;
import static dev.resilience.benchmarks.sim.Markdown.recovery;
import static dev.resilience.benchmarks.sim.Markdown.times;

/**
 * Runs the validation and every storm scenario and writes the Markdown report with its
 * PNG charts. The numbers depend only on the seed.
 * <p>
 * Usage: {@code StormReport [outputDirectory] [seed]}; see the module's README for the
 * Maven command.
 */
public final class StormReport {

	/** The command documented in the README that runs every benchmark, this report included. */
	public static final String COMMAND = "mvn -pl resilience-benchmarks -am -Pbenchmarks verify";

	/** The command that writes this report alone. */
	public static final String SIMULATION_COMMAND = "mvn -pl resilience-benchmarks -am -Psimulate verify";

	/** Largest relative error between simulated and analytical values that passes. */
	public static final double VALIDATION_TOLERANCE = 0.03;

	/** Failure probabilities of the validation. */
	static final double[] VALIDATION_P = { 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0 };

	/** Retry counts of the validation. */
	static final int[] VALIDATION_RETRIES = { 1, 2, 3 };

	/** Budget floors of the validation's budget columns: none, the default (1/s), ten times it. */
	static final int[] VALIDATION_FLOORS = { 0, 1, 10 };

	/** How many caller processes the library's rows of the storm tables run in. */
	static final int[] PROCESS_MODELS = { 1000, 20, 10 };

	private static final Duration VALIDATION_DURATION = Duration.ofSeconds(30);

	private static final Color LOAD = new Color(200, 40, 40);

	private static final Color GOODPUT = new Color(30, 140, 60);

	private static final Color OFFERED = new Color(90, 90, 90);

	private static final Color CAPACITY = new Color(40, 90, 200);

	private final Path directory;

	private final long seed;

	private final Markdown markdown = new Markdown();

	private StormReport(Path directory, long seed) {
		this.directory = directory;
		this.seed = seed;
	}

	/**
	 * @param args the output directory (default {@code results}) and the seed (default 42)
	 * @throws IOException when the report cannot be written
	 * @throws IllegalStateException when the validation fails (the report is written anyway)
	 */
	public static void main(String[] args) throws IOException {
		System.setProperty("java.awt.headless", "true");
		Path directory = Path.of((args.length > 0) ? args[0] : "results");
		long seed = (args.length > 1) ? Long.parseLong(args[1]) : 42;
		long started = System.nanoTime();
		boolean valid = new StormReport(directory, seed).write();
		System.out.printf(Locale.ROOT, "Report written to %s in %.1f s%n", directory.resolve("retry-storm.md"),
				(System.nanoTime() - started) / 1e9);
		if (!valid) {
			// Thrown rather than exiting, so that a Maven run in-process fails cleanly.
			throw new IllegalStateException("Validation FAILED: the storm results are not to be believed");
		}
	}

	/**
	 * One row of a storm table: a policy run by a number of caller processes.
	 */
	record Row(Policy policy, int processes, boolean stateless) {

		String label() {
			return stateless ? policy.name() : policy.name() + ", " + processes + " processes";
		}

	}

	/**
	 * @return whether the validation passed
	 */
	private boolean write() throws IOException {
		Files.createDirectories(directory);
		markdown.line("# Retry-storm simulation");
		markdown.line();
		markdown.line("Written by `" + COMMAND + "` (this report alone: `" + SIMULATION_COMMAND + "`; class `"
				+ StormReport.class.getName() + "`), seed " + seed
				+ ". Every number below follows from the seed: the same seed gives the same report. The library's "
				+ "rows drive its real `Backoff`, `RetryBudget` and `CircuitBreaker` on the simulation's clock.");
		markdown.line();
		markdown.line("Sections: 1. validation; 2-3. the storms; 4. caller processes, the budget's floor and the "
				+ "breaker's open period; 5. the targets; 6. the targets over " + SeedStudy.SEEDS + " seeds; "
				+ "7. an origin that sheds load; 8. modelling notes; definitions.");
		markdown.line();
		boolean valid = writeValidation();
		int section = 2;
		// Created first: it keeps every storm run, so the sections after the storms reuse them.
		FleetStudy fleet = new FleetStudy(markdown, seed, directory);
		for (Duration trigger : List.of(Duration.ofSeconds(1), Duration.ofSeconds(10))) {
			writeStorm(section++, StormScenario.postMortem(trigger), fleet);
		}
		fleet.write(section++);
		fleet.writeTargets(section++);
		fleet.writeSeeds(section++);
		writeSheddingOrigin(section++);
		writeModellingNotes(section);
		writeDefinitions();
		Files.writeString(directory.resolve("retry-storm.md"), markdown.toString(), StandardCharsets.UTF_8);
		return valid;
	}

	private boolean writeValidation() throws IOException {
		markdown.line("## 1. Validation against a published set-up");
		markdown.line();
		markdown.line("Set-up of M. Brooker, *Fixing retries with token buckets and circuit breakers* (2022): "
				+ BrookerValidation.CLIENTS + " clients x " + (int) BrookerValidation.RATE_PER_CLIENT
				+ " requests/s (Poisson), each request failing independently with probability p, "
				+ VALIDATION_DURATION.toSeconds() + " s of arrivals per cell, every call run to its end. "
				+ "Load = attempts at the service per request. With N immediate retries it must be "
				+ "(1 - p^(N+1)) / (1 - p); the check passes when every cell is within "
				+ percent(VALIDATION_TOLERANCE, 0) + " of it.");
		markdown.line();
		StringBuilder header = new StringBuilder("| p |");
		StringBuilder rule = new StringBuilder("|---|");
		for (int retries : VALIDATION_RETRIES) {
			header.append(" N=").append(retries).append(" simulated | N=").append(retries).append(" expected |");
			rule.append("---:|---:|");
		}
		List<Policy> bucketPolicies = new ArrayList<>();
		for (int floor : VALIDATION_FLOORS) {
			bucketPolicies.add(OurPolicies.tokenBucket(floor));
		}
		for (Policy policy : bucketPolicies) {
			header.append(' ').append(policy.name()).append(" |");
			rule.append("---:|");
		}
		markdown.line(header.toString());
		markdown.line(rule.toString());
		double worst = 0;
		double[][] simulated = new double[VALIDATION_RETRIES.length + bucketPolicies.size()][VALIDATION_P.length];
		for (int pi = 0; pi < VALIDATION_P.length; pi++) {
			double p = VALIDATION_P[pi];
			StringBuilder row = new StringBuilder("| " + number(p, 2) + " |");
			for (int ri = 0; ri < VALIDATION_RETRIES.length; ri++) {
				int retries = VALIDATION_RETRIES[ri];
				double load = BrookerValidation.run(Policies.immediate(retries), p, VALIDATION_DURATION, seed).load();
				double expected = BrookerValidation.expectedLoad(retries, p);
				worst = Math.max(worst, Math.abs(load - expected) / expected);
				simulated[ri][pi] = load;
				row.append(' ').append(number(load, 3)).append(" | ").append(number(expected, 3)).append(" |");
			}
			for (int bi = 0; bi < bucketPolicies.size(); bi++) {
				double load = BrookerValidation.run(bucketPolicies.get(bi), p, VALIDATION_DURATION, seed).load();
				simulated[VALIDATION_RETRIES.length + bi][pi] = load;
				row.append(' ').append(number(load, 3)).append(" |");
			}
			markdown.line(row.toString());
		}
		boolean valid = worst <= VALIDATION_TOLERANCE;
		markdown.line();
		markdown.line("Largest relative error: " + percent(worst, 2) + " - **" + (valid ? "PASSED" : "FAILED") + "**.");
		markdown.line();
		double[][] budgetLoads = Arrays.copyOfRange(simulated, VALIDATION_RETRIES.length, simulated.length);
		markdown.line(budgetParagraph(budgetLoads));
		markdown.line();
		Chart chart = Chart.of("Load per request vs failure probability", "failure probability p",
				"attempts per request");
		Color[] colors = { new Color(30, 110, 200), new Color(230, 140, 20), new Color(150, 60, 170),
				new Color(30, 150, 70), new Color(120, 120, 30), new Color(200, 40, 40) };
		double[] fine = new double[101];
		for (int i = 0; i < fine.length; i++) {
			fine[i] = i / 100.0;
		}
		for (int ri = 0; ri < VALIDATION_RETRIES.length; ri++) {
			int retries = VALIDATION_RETRIES[ri];
			double[] curve = new double[fine.length];
			for (int i = 0; i < fine.length; i++) {
				curve[i] = BrookerValidation.expectedLoad(retries, fine[i]);
			}
			chart.add("N=" + retries + " formula", colors[ri], Chart.Style.LINE, fine, curve);
			chart.add("N=" + retries + " simulated", colors[ri], Chart.Style.POINTS, VALIDATION_P, simulated[ri]);
		}
		for (int bi = 0; bi < bucketPolicies.size(); bi++) {
			chart.add(bucketPolicies.get(bi).name(), colors[VALIDATION_RETRIES.length + bi], Chart.Style.POINTS,
					VALIDATION_P, simulated[VALIDATION_RETRIES.length + bi]);
		}
		Chart.writeGrid(List.of(chart), 1, 1150, 420, directory.resolve("validation.png"));
		markdown.line("![load vs p](validation.png)");
		markdown.line();
		return valid;
	}

	/**
	 * @param loads per budget floor of {@link #VALIDATION_FLOORS}, the simulated load per
	 * value of {@link #VALIDATION_P}
	 * @return the paragraph on the budget columns, every figure and claim taken from them
	 */
	private static String budgetParagraph(double[][] loads) {
		RetryBudgetConfig budget = RetryBudgetConfig.defaults();
		double ratio = budget.ratio();
		double perClient = BrookerValidation.RATE_PER_CLIENT;
		int last = VALIDATION_P.length - 1;
		double bound = 1 + ratio;
		StringBuilder text = new StringBuilder("The `budget, floor f` columns are up to "
				+ VALIDATION_RETRIES[VALIDATION_RETRIES.length - 1] + " immediate retries limited by the library's "
				+ "real `RetryBudget` (ratio " + ratio + ", window " + budget.window().toSeconds()
				+ " s, floor f retries/s), one budget per client, no breaker. Brooker's token bucket holds the load "
				+ "near " + number(bound, 1) + "x at high p. The library's budget suspends its floor when a call fails "
				+ "although it retried and restores it at the next successful attempt, so at p = 1, where no "
				+ "attempt succeeds, only the ratio counts: ");
		boolean allAlike = true;
		double highest = 0;
		List<String> atFullFailure = new ArrayList<>();
		List<String> floors = new ArrayList<>();
		for (int fi = 0; fi < VALIDATION_FLOORS.length; fi++) {
			atFullFailure.add(times(loads[fi][last]) + " with floor " + VALIDATION_FLOORS[fi]);
			floors.add(Integer.toString(VALIDATION_FLOORS[fi]));
			allAlike &= times(loads[fi][last]).equals(times(loads[0][last]));
			highest = Math.max(highest, loads[fi][last]);
		}
		text.append(allAlike ? times(loads[0][last]) + " with floors " + and(floors) + " alike" : and(atFullFailure));
		if (withinRatio(highest, bound) && !times(highest).equals(times(bound))) {
			text.append(", a little under ").append(times(bound)).append(" because the first window starts with an "
					+ "empty bucket");
		}
		text.append(". ");
		List<String> unsuspended = new ArrayList<>();
		for (int floor : VALIDATION_FLOORS) {
			if (floor / perClient > ratio) {
				unsuspended.add(times(Math.min(VALIDATION_RETRIES[VALIDATION_RETRIES.length - 1] + 1,
						1 + floor / perClient)) + " with floor " + floor);
			}
		}
		if (!unsuspended.isEmpty()) {
			text.append("A floor that stayed in force would hold a client of r = ").append(number(perClient, 0))
				.append(" requests/s at 1 + max(").append(ratio).append(", f / r) there: ")
				.append(String.join(", ", unsuspended))
				.append(". ");
		}
		// Below p = 1 successes restore the floor between the calls that fail after retrying:
		// a floor up to what the ratio earns changes little, a larger one lets retries through.
		List<String> small = new ArrayList<>();
		boolean smallWithin = true;
		List<String> large = new ArrayList<>();
		boolean largeExceeds = true;
		for (int fi = 0; fi < VALIDATION_FLOORS.length; fi++) {
			int floor = VALIDATION_FLOORS[fi];
			int peak = 0;
			for (int pi = 0; pi < VALIDATION_P.length; pi++) {
				peak = (loads[fi][pi] > loads[fi][peak]) ? pi : peak;
			}
			if (floor <= ratio * perClient) {
				small.add(times(loads[fi][peak]) + " with floor " + floor);
				smallWithin &= withinRatio(loads[fi][peak], bound);
				continue;
			}
			largeExceeds &= peak < last && !withinRatio(loads[fi][peak], bound);
			boolean fallsBack = true;
			for (int pi = peak + 1; pi < VALIDATION_P.length; pi++) {
				fallsBack &= loads[fi][pi] <= loads[fi][pi - 1];
			}
			large.add("floor " + floor + " up to " + times(loads[fi][peak]) + " at p = " + number(VALIDATION_P[peak], 2)
					+ (fallsBack ? ", falling back to " + times(loads[fi][last]) + " at p = 1 as the calls that fail "
							+ "after retrying come to outnumber the successes that restore it"
							: ", then " + times(loads[fi][last]) + " at p = 1"));
		}
		text.append("Below p = 1 successes restore the floor between the calls that fail after retrying. ");
		double earned = ratio * perClient;
		if (!small.isEmpty()) {
			String defaultFloor = (OurPolicies.DEFAULT_FLOOR == earned) ? "equals what the ratio earns"
					: (OurPolicies.DEFAULT_FLOOR < earned) ? "is less than what the ratio earns"
							: "is more than what the ratio earns";
			text.append("With a floor of at most ratio x r (").append(number(earned, 0))
				.append((earned == 1) ? " retry/s" : " retries/s")
				.append(" here; the default floor of ")
				.append(OurPolicies.DEFAULT_FLOOR)
				.append(' ')
				.append(defaultFloor)
				.append(") the load stays at most ")
				.append(and(small))
				.append(", at every p")
				.append(smallWithin ? ": **the ~" + number(bound, 1) + "x holds**" : "")
				.append(". ");
		}
		if (!large.isEmpty()) {
			text.append(largeExceeds ? "A larger floor lets more retries through where successes and failures mix: "
					: "A larger floor: ")
				.append(String.join("; ", large))
				.append(". ");
		}
		text.append((!large.isEmpty() && largeExceeds) ? "So a floor above what the ratio earns matters where some "
				+ "attempts succeed; section 4 follows this up for processes of other sizes."
				: "Section 4 follows the floor up for processes of other sizes.");
		return text.toString();
	}

	/** @return {@code a, b and c} */
	static String and(List<String> items) {
		if (items.size() < 2) {
			return String.join("", items);
		}
		return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
	}

	/** @return whether a load shows, at the report's precision, at most the ratio's bound */
	private static boolean withinRatio(double load, double bound) {
		return Math.round(load * 100) <= Math.round(bound * 100);
	}

	private void writeStorm(int section, StormScenario scenario, FleetStudy fleet) throws IOException {
		Slowdown slowdown = scenario.slowdown();
		markdown.line("## " + section + ". Storm: " + slowdown.duration().toSeconds() + " s trigger");
		markdown.line();
		markdown.line(scenario.clients() + " clients offer " + (int) scenario.ratePerSecond()
				+ " requests/s (Poisson) to an origin of " + scenario.workers() + " workers x "
				+ scenario.serviceTime().toMillis() + " ms mean service time (" + (int) scenario.capacityPerSecond()
				+ " requests/s), FIFO queue, no load shedding; client timeout " + scenario.timeout().toMillis()
				+ " ms per attempt; the origin serves requests whose client gave up. At "
				+ slowdown.start().toSeconds() + " s the origin's dependency becomes " + (int) slowdown.factor()
				+ "x slower for " + slowdown.duration().toSeconds() + " s. Run length "
				+ scenario.duration().toSeconds() + " s.");
		markdown.line();
		int most = Arrays.stream(PROCESS_MODELS).max().orElseThrow();
		String perProcess = (scenario.clients() == most) ? " of one client each" : "";
		markdown.line("The library keeps its state (retry budget, circuit breaker) per caller process. Its rows run "
				+ "the same clients in " + processList() + " caller processes: "
				+ String.format(Locale.ROOT, "%,d", most)
				+ " processes" + perProcess + " (" + number(scenario.ratePerSecond() / most, 1) + " requests/s per "
				+ "budget and breaker), or a few processes each serving many clients (" + (int) scenario.ratePerSecond()
				+ " requests/s shared). The other policies keep no state across calls, so the number of processes "
				+ "does not change them. The defaults' breaker opens for "
				+ OurPolicies.openPeriodDescription(CircuitBreakerConfig.defaults()) + ", and lets "
				+ OurPolicies.probesPerRound(CircuitBreakerConfig.defaults()) + " through at the end of each period. "
				+ "The last rows are **not the defaults**: `" + FleetStudy.label(FleetStudy.formerDefault())
				+ "`, the SPEC's breaker, and `" + OurPolicies.openPeriodName(FleetStudy.LONG_GROWTH)
				+ "`, the defaults' growth up to a longer maximum; section 4 compares more, breakers that open on "
				+ "the whole fleet's outcomes among them.");
		markdown.line();
		markdown.line("| policy | peak load | mean load | goodput during | goodput after | recovery | metastable |"
				+ " wasted work | goodput, last 10 s |");
		markdown.line("|---|---:|---:|---:|---:|---:|:---:|---:|---:|");
		List<Chart> charts = new ArrayList<>();
		for (Row row : stormRows(scenario)) {
			StormResult result = fleet.storm(scenario, row.policy(), row.processes());
			markdown.line("| " + row.label() + " | " + times(result.peakAmplification()) + " | "
					+ times(result.meanAmplification()) + " | " + percent(result.goodputDuringTrigger(), 1) + " | "
					+ percent(result.goodputAfterTrigger(), 1) + " | " + recovery(result.recoverySeconds()) + " | "
					+ (result.metastable() ? "**yes**" : "no") + " | " + percent(result.wastedWork(), 1) + " | "
					+ percent(result.goodputAtEnd(), 1) + " |");
			charts.add(chart(row.label(), result));
		}
		String file = "storm-" + scenario.name() + ".png";
		Chart.writeGrid(charts, 2, 620, 300, directory.resolve(file));
		markdown.line();
		markdown.line("![load and goodput over time](" + file + ")");
		markdown.line();
		markdown.line("Each panel: attempts arriving at the origin per second (red), goodput per second (green), "
				+ "offered load (grey, dashed) and the origin's capacity (blue, dashed), as one-second trailing "
				+ "averages; the trigger is shaded. Vertical scales differ between panels.");
		markdown.line();
	}

	/** Requests in service and waiting together that the shedding origin admits: 50 may wait. */
	static final int ADMISSION_LIMIT = 100;

	/**
	 * The storms again, with the origin behind the library's bulkhead: not the issue's
	 * set-up, which keeps a queue of abandoned work, but what the library offers the origin.
	 */
	private void writeSheddingOrigin(int section) {
		StormScenario base = StormScenario.postMortem(Duration.ofSeconds(1));
		int waiting = ADMISSION_LIMIT - base.workers();
		double queueMillis = waiting * 1000.0 / base.capacityPerSecond();
		markdown.line("## " + section + ". An origin that sheds load");
		markdown.line();
		markdown.line("Not the set-up of the targets, which keeps the origin's queue unbounded: the same storms with "
				+ "the origin admitting requests through the library's real `Bulkhead` (a fixed limit of "
				+ ADMISSION_LIMIT + " requests in service and waiting together, no wait: `@Bulkhead` with "
				+ "`max-concurrent-calls: " + ADMISSION_LIMIT + "` and `max-wait: 0` on the origin's handler). Every policy without the library is a row (the number of processes does not "
				+ "change them), and the library's defaults at 1,000, 100, 20 and 10 processes. Its "
				+ base.workers() + " workers serve as before; at most " + waiting
				+ " requests wait, about " + number(queueMillis, 0) + " ms of work at full speed, and every "
				+ "request beyond is answered as a failure in " + (QueueingOrigin.REJECTION_NANOS / 1_000_000)
				+ " ms, without work. Recovery, metastability and peak load as in sections 2 and 3.");
		markdown.line();
		markdown.line("| policy | 1 s trigger: recovery | peak load | 10 s trigger: recovery | peak load | "
				+ "metastable |");
		markdown.line("|---|---:|---:|---:|---:|:---:|");
		double slowestNaive = 0;
		double slowestOurs = 0;
		double highestNaivePeak = 0;
		double highestOursPeak = 0;
		boolean anyMetastable = false;
		for (Row row : sheddingRows(base)) {
			StringBuilder line = new StringBuilder("| " + row.label() + " |");
			boolean metastable = false;
			for (Duration trigger : List.of(Duration.ofSeconds(1), Duration.ofSeconds(10))) {
				StormScenario scenario = StormScenario.postMortem(trigger)
					.withAdmissionLimit(ADMISSION_LIMIT)
					.withProcesses(row.processes());
				StormResult result = StormSimulation.run(scenario, row.policy(), seed);
				line.append(' ').append(recovery(result.recoverySeconds())).append(" | ")
					.append(times(result.peakAmplification())).append(" |");
				metastable |= result.metastable();
				double seconds = result.recoverySeconds().orElse(Double.POSITIVE_INFINITY);
				if (row.stateless()) {
					slowestNaive = Math.max(slowestNaive, seconds);
					highestNaivePeak = Math.max(highestNaivePeak, result.peakAmplification());
				}
				else {
					slowestOurs = Math.max(slowestOurs, seconds);
					highestOursPeak = Math.max(highestOursPeak, result.peakAmplification());
				}
			}
			anyMetastable |= metastable;
			line.append(' ').append(metastable ? "**yes**" : "no").append(" |");
			markdown.line(line.toString());
		}
		markdown.line();
		markdown.line("With the origin shedding load, " + (anyMetastable ? "some runs still end collapsed" : "no run "
				+ "ends collapsed, not even the naive retries'") + ": the policies without the library recover within "
				+ number(slowestNaive, 1) + " s of the trigger's end, at peak loads up to " + times(highestNaivePeak)
				+ " (in this model a rejection costs the origin no worker, so retrying it does no harm, and the queue of "
				+ "abandoned work that kept sections 2 and 3 collapsed never forms). The library's defaults "
				+ "recover within " + number(slowestOurs, 1) + " s at peak loads up to " + times(highestOursPeak)
				+ ": their breakers, opened by the rejections, refuse calls until a round of probes passes, which "
				+ "costs recovery time here but keeps their peak load lower."
				+ ((Math.max(slowestNaive, slowestOurs) <= 2)
						? " Every row recovers within the 2 s of the issue's target once the origin itself sheds load."
						: ""));
		markdown.line();
	}

	private static List<Row> sheddingRows(StormScenario scenario) {
		List<Row> rows = new ArrayList<>();
		for (Policy policy : Policies.all()) {
			rows.add(new Row(policy, scenario.clients(), true));
		}
		for (int processes : new int[] { 1000, 100, 20, 10 }) {
			rows.add(new Row(OurPolicies.defaults(), processes, false));
		}
		return rows;
	}

	private static String processList() {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < PROCESS_MODELS.length; i++) {
			text.append((i == 0) ? "" : (i == PROCESS_MODELS.length - 1) ? " or " : ", ")
				.append(String.format(Locale.ROOT, "%,d", PROCESS_MODELS[i]));
		}
		return text.toString();
	}

	private Chart chart(String title, StormResult result) {
		StormScenario scenario = result.scenario();
		double step = scenario.bucket().toNanos() / 1e9;
		double[] capacity = new double[result.recorder().bucketCount()];
		Arrays.fill(capacity, scenario.capacityPerSecond());
		Slowdown slowdown = scenario.slowdown();
		return Chart.of(title, "seconds", "requests / s")
			.shade(slowdown.start().toNanos() / 1e9, slowdown.endNanos() / 1e9)
			.add("origin attempts", LOAD, Chart.Style.LINE, step, result.ratePerSecond(Series.ORIGIN_ATTEMPTS))
			.add("goodput", GOODPUT, Chart.Style.LINE, step, result.ratePerSecond(Series.GOODPUT))
			.add("offered", OFFERED, Chart.Style.DASHED, step, result.ratePerSecond(Series.OFFERED))
			.add("capacity", CAPACITY, Chart.Style.DASHED, step, capacity);
	}

	private static List<Row> stormRows(StormScenario scenario) {
		List<Row> rows = new ArrayList<>();
		for (Policy policy : Policies.all()) {
			rows.add(new Row(policy, scenario.clients(), true));
		}
		for (Policy policy : libraryRows()) {
			for (int processes : PROCESS_MODELS) {
				rows.add(new Row(policy, processes, false));
			}
		}
		return rows;
	}

	/**
	 * @return the library's rows of the storm tables: its defaults, three nested layers,
	 * and, not defaults, the SPEC's fixed 30 s breaker and one growing to 30 s
	 */
	static List<Policy> libraryRows() {
		return List.of(OurPolicies.defaults(), OurPolicies.nestedInnermost(), FleetStudy.formerDefault(),
				FleetStudy.longGrowth());
	}

	private void writeModellingNotes(int section) {
		markdown.line("## " + section + ". Modelling notes");
		markdown.line();
		markdown.line("- **The library's classes are the real ones.** Each process of a row holds one `RetryBudget` "
				+ "and, unless stated, one `CircuitBreaker` per layer, and computes its waits with the real "
				+ "`Backoff`; all of them read the simulation's clock through `Ticker`. The retry loop itself is "
				+ "the simulator's (calls are events, not a thread that could sleep), written to decide as "
				+ "`Retry` does: the budget is asked only when a failed attempt is retryable and attempts remain; "
				+ "a refusal by the breaker is never retried and costs no budget; the breaker sits inside the "
				+ "retry, so every attempt asks it.");
		markdown.line("- **The budget hears what `Retry` tells it.** A call's first attempt deposits its tokens "
				+ "dated as the library dates them: with the clock reading the breaker takes anyway when a breaker is present, "
				+ "undated otherwise, so that the deposit counts from the slice of the budget's latest reading (it "
				+ "may expire early, never late). Every successful attempt is reported to the budget, which restores "
				+ "a suspended floor, and so is every call that fails although it retried, which suspends it.");
		markdown.line("- **`nested: innermost` is applied by layer position.** In the library the mode is decided "
				+ "at run time from the calling thread's nesting. Here nested calls are events without a call "
				+ "stack, so the innermost layer (the one calling the origin) retries and the outer layers make one "
				+ "attempt each, which is what the mode prescribes for three services calling one another with "
				+ "the library in each.");
		markdown.line("- **Caller processes.** Client c belongs to process c mod P; the clients of one process share "
				+ "its budget and breaker. Arrivals and the origin do not depend on P, so every row sees the same "
				+ "traffic for the same seed.");
		Duration slowCall = CircuitBreakerConfig.defaults().slowCallDuration();
		Duration timeout = StormScenario.postMortem(Duration.ofSeconds(1)).timeout();
		markdown.line("- **Time-outs are failures to the breaker**, as a `TimeoutException` would be; the default "
				+ "slow-call threshold (" + OurPolicies.seconds(slowCall) + ") "
				+ ((slowCall.compareTo(timeout) > 0) ? "never fires in these runs, whose attempts end by their "
						+ OurPolicies.seconds(timeout) + " time-out." : "also counts attempts as slow."));
		Duration sync = CircuitBreakerFleet.DEFAULT_SYNC_INTERVAL;
		markdown.line("- **Fleet-shared opening** (rows `fleet breaker, sync ...`). Each run has one "
				+ "`InMemoryFleetOutcomeStore` for all its processes, made afresh for the run; each process has its "
				+ "own `CircuitBreakerFleet` on the simulation's clock (in milliseconds), which hears its breaker's "
				+ "outcomes as its listener and calls `sync()` every sync interval (" + OurPolicies.seconds(sync)
				+ " by default, the bucket length too), starting at a phase of the interval drawn from the "
				+ "process's random stream, so the processes do not exchange in step. The store answers at once "
				+ "and never fails: no latency or outage of the store is modelled. A failed call or a probe "
				+ "schedules its process's early exchange on the simulation's clock, as the library schedules it on "
				+ "its exchange "
				+ "thread (`resilience.fleet.exchange-on-failure`, rows without `" + OurPolicies.ON_SCHEDULE_ONLY
				+ "`). What a process counted reaches the store at its next exchange, early or not, and the other "
				+ "processes at theirs; on schedule only, an outcome is up to two intervals old when it helps open "
				+ "another process's breaker. The processes' clocks agree exactly. "
				+ "Which processes probe while the fleet holds its breakers open is drawn from each process's own "
				+ "random stream, so it too follows from the seed.");
		markdown.line("- **Open periods run in step.** The processes' breakers see the same origin, so a slowdown trips "
				+ "them at nearly the same time; their open periods start together and, while their probes fail, "
				+ "grow together. Recovery after a slowdown therefore depends on how much of the period in force is "
				+ "left when the slowdown ends.");
		markdown.line();
	}

	private void writeDefinitions() {
		markdown.line("## Definitions");
		markdown.line();
		markdown.line("- **load**: attempts arriving at the origin divided by logical requests offered in the same "
				+ "time. *Peak*: the highest over whole seconds from the trigger's start; *mean*: from the "
				+ "trigger's start to the end of the run.");
		markdown.line("- **goodput**: logical requests answered before their attempt's timeout, divided by requests "
				+ "offered in the same span; *during* the trigger, *after* it to the end of the run, and over the "
				+ "*last 10 s*.");
		markdown.line("- **recovery**: seconds from the trigger's end until every "
				+ StormResult.RECOVERY_WINDOW_SECONDS + " s window has goodput of at least "
				+ percent(StormResult.RECOVERY_THRESHOLD, 0)
				+ " of offered, to the end of the run (resolution 0.1 s; the window smooths Poisson noise and "
				+ "can report up to a quarter second early). **Metastable**: no such time, the run ends collapsed "
				+ "although the trigger is long gone.");
		markdown.line("- **wasted work**: the share of requests the origin completed, from the trigger's start, "
				+ "whose client had already timed out.");
		markdown.line("- Nested layers: each attempt of a layer is a whole call of the layer below; only the "
				+ "innermost attempt has the client timeout. With 3 layers of 4 attempts, one request can cost 64 "
				+ "attempts.");
		markdown.line();
		markdown.line("### Policies");
		markdown.line();
		markdown.line("| policy | what it does |");
		markdown.line("|---|---|");
		List<Policy> policies = new ArrayList<>(Policies.all());
		policies.addAll(libraryRows());
		policies.addAll(FleetStudy.fleetBreakers());
		policies.add(Policies.idealShedding());
		policies.add(Policies.idealSheddingPerProcess());
		policies.addAll(FleetStudy.shortRows());
		for (Policy policy : policies) {
			markdown.line("| " + policy.name() + " | " + policy.description() + " |");
		}
		markdown.line();
	}

}

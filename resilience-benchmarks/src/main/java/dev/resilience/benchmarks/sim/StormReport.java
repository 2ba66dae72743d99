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
import java.util.Optional;
import java.util.OptionalDouble;

import dev.resilience.benchmarks.sim.Recorder.Series;

/**
 * Runs the validation and every storm scenario and writes the Markdown report with its
 * PNG charts. The numbers depend only on the seed.
 * <p>
 * Usage: {@code StormReport [outputDirectory] [seed]}; see the module's README for the
 * Maven command.
 */
public final class StormReport {

	/** The command documented in the README, quoted in the report. */
	public static final String COMMAND = "mvn -pl resilience-benchmarks -am -Psimulate verify";

	/** Largest relative error between simulated and analytical values that passes. */
	public static final double VALIDATION_TOLERANCE = 0.03;

	/** Failure probabilities of the validation. */
	static final double[] VALIDATION_P = { 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0 };

	/** Retry counts of the validation. */
	static final int[] VALIDATION_RETRIES = { 1, 2, 3 };

	private static final Duration VALIDATION_DURATION = Duration.ofSeconds(30);

	private static final Color LOAD = new Color(200, 40, 40);

	private static final Color GOODPUT = new Color(30, 140, 60);

	private static final Color OFFERED = new Color(90, 90, 90);

	private static final Color CAPACITY = new Color(40, 90, 200);

	private final Path directory;

	private final long seed;

	private final Optional<LibraryPolicies> library;

	private final StringBuilder markdown = new StringBuilder();

	private StormReport(Path directory, long seed, Optional<LibraryPolicies> library) {
		this.directory = directory;
		this.seed = seed;
		this.library = library;
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
		boolean valid = new StormReport(directory, seed, LibraryPolicies.load()).write();
		System.out.printf(Locale.ROOT, "Report written to %s in %.1f s%n", directory.resolve("retry-storm.md"),
				(System.nanoTime() - started) / 1e9);
		if (!valid) {
			// Thrown rather than exiting, so that a Maven run in-process fails cleanly.
			throw new IllegalStateException("Validation FAILED: the storm results are not to be believed");
		}
	}

	/**
	 * @return whether the validation passed
	 */
	private boolean write() throws IOException {
		Files.createDirectories(directory);
		line("# Retry-storm simulation");
		line();
		line("Written by `" + COMMAND + "` (class `" + StormReport.class.getName() + "`), seed " + seed
				+ ". Every number below follows from the seed: the same seed gives the same report.");
		if (library.isEmpty()) {
			line();
			line("**The library's own policies were not run**: its retry, retry budget and circuit breaker classes "
					+ "were not on the classpath when this report was written (see the module README). Their rows "
					+ "are missing below.");
		}
		line();
		boolean valid = writeValidation();
		for (Duration trigger : List.of(Duration.ofSeconds(1), Duration.ofSeconds(10))) {
			writeStorm(StormScenario.postMortem(trigger));
		}
		writeDefinitions();
		Files.writeString(directory.resolve("retry-storm.md"), markdown.toString(), StandardCharsets.UTF_8);
		return valid;
	}

	private boolean writeValidation() throws IOException {
		line("## 1. Validation against a published set-up");
		line();
		line("Set-up of M. Brooker, *Fixing retries with token buckets and circuit breakers* (2022): "
				+ BrookerValidation.CLIENTS + " clients x " + (int) BrookerValidation.RATE_PER_CLIENT
				+ " requests/s (Poisson), each request failing independently with probability p, "
				+ VALIDATION_DURATION.toSeconds() + " s of arrivals per cell, every call run to its end. "
				+ "Load = attempts at the service per request. With N immediate retries it must be "
				+ "(1 - p^(N+1)) / (1 - p); the check passes when every cell is within "
				+ percent(VALIDATION_TOLERANCE, 0) + " of it.");
		line();
		StringBuilder header = new StringBuilder("| p |");
		StringBuilder rule = new StringBuilder("|---|");
		for (int retries : VALIDATION_RETRIES) {
			header.append(" N=").append(retries).append(" simulated | N=").append(retries).append(" expected |");
			rule.append("---:|---:|");
		}
		List<Policy> bucketPolicies = new ArrayList<>();
		library.ifPresent(policies -> {
			bucketPolicies.add(policies.tokenBucket());
			bucketPolicies.add(policies.defaultBudget());
		});
		for (Policy policy : bucketPolicies) {
			header.append(' ').append(policy.name()).append(" |");
			rule.append("---:|");
		}
		line(header.toString());
		line(rule.toString());
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
			line(row.toString());
		}
		boolean valid = worst <= VALIDATION_TOLERANCE;
		line();
		line("Largest relative error: " + percent(worst, 2) + " - **" + (valid ? "PASSED" : "FAILED") + "**.");
		if (!bucketPolicies.isEmpty()) {
			line(" The budget columns are up to 3 retries limited by the library's `RetryBudget`: "
					+ bucketPolicies.get(0).description() + "; " + bucketPolicies.get(1).description()
					+ ". A token bucket should hold the load near 1.1x at high p.");
		}
		line();
		Chart chart = Chart.of("Load per request vs failure probability", "failure probability p",
				"attempts per request");
		Color[] colors = { new Color(30, 110, 200), new Color(230, 140, 20), new Color(150, 60, 170),
				new Color(30, 150, 70), new Color(200, 40, 40) };
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
			chart.add(bucketPolicies.get(bi).name(), colors[3 + bi], Chart.Style.POINTS, VALIDATION_P,
					simulated[VALIDATION_RETRIES.length + bi]);
		}
		Chart.writeGrid(List.of(chart), 1, 900, 420, directory.resolve("validation.png"));
		line("![load vs p](validation.png)");
		line();
		return valid;
	}

	private void writeStorm(StormScenario scenario) throws IOException {
		Slowdown slowdown = scenario.slowdown();
		line("## Storm: " + slowdown.duration().toSeconds() + " s trigger");
		line();
		line(scenario.clients() + " clients offer " + (int) scenario.ratePerSecond() + " requests/s (Poisson) to an "
				+ "origin of " + scenario.workers() + " workers x " + scenario.serviceTime().toMillis()
				+ " ms mean service time (" + (int) scenario.capacityPerSecond() + " requests/s), FIFO queue, "
				+ "no load shedding; client timeout " + scenario.timeout().toMillis() + " ms per attempt; the "
				+ "origin serves requests whose client gave up. At " + slowdown.start().toSeconds()
				+ " s the origin's dependency becomes " + (int) slowdown.factor() + "x slower for "
				+ slowdown.duration().toSeconds() + " s. Run length " + scenario.duration().toSeconds() + " s.");
		line();
		line("| policy | peak load | mean load | goodput during | goodput after | recovery | metastable | wasted work |"
				+ " goodput, last 10 s |");
		line("|---|---:|---:|---:|---:|---:|:---:|---:|---:|");
		List<Chart> charts = new ArrayList<>();
		for (Policy policy : stormPolicies()) {
			StormResult result = StormSimulation.run(scenario, policy, seed);
			OptionalDouble recovery = result.recoverySeconds();
			line("| " + policy.name() + " | " + number(result.peakAmplification(), 2) + "x | "
					+ number(result.meanAmplification(), 2) + "x | " + percent(result.goodputDuringTrigger(), 1) + " | "
					+ percent(result.goodputAfterTrigger(), 1) + " | "
					+ (recovery.isPresent() ? number(recovery.getAsDouble(), 1) + " s" : "never") + " | "
					+ (result.metastable() ? "**yes**" : "no") + " | " + percent(result.wastedWork(), 1) + " | "
					+ percent(result.goodputAtEnd(), 1) + " |");
			charts.add(chart(result));
		}
		String file = "storm-" + scenario.name() + ".png";
		Chart.writeGrid(charts, 2, 620, 300, directory.resolve(file));
		line();
		line("![load and goodput over time](" + file + ")");
		line();
		line("Each panel: attempts arriving at the origin per second (red), goodput per second (green), offered "
				+ "load (grey, dashed) and the origin's capacity (blue, dashed), as one-second trailing averages; "
				+ "the trigger is shaded. Vertical scales differ between panels.");
		line();
	}

	private Chart chart(StormResult result) {
		StormScenario scenario = result.scenario();
		double step = scenario.bucket().toNanos() / 1e9;
		double[] capacity = new double[result.recorder().bucketCount()];
		Arrays.fill(capacity, scenario.capacityPerSecond());
		Slowdown slowdown = scenario.slowdown();
		return Chart.of(result.policy().name(), "seconds", "requests / s")
			.shade(slowdown.start().toNanos() / 1e9, slowdown.endNanos() / 1e9)
			.add("origin attempts", LOAD, Chart.Style.LINE, step, result.ratePerSecond(Series.ORIGIN_ATTEMPTS))
			.add("goodput", GOODPUT, Chart.Style.LINE, step, result.ratePerSecond(Series.GOODPUT))
			.add("offered", OFFERED, Chart.Style.DASHED, step, result.ratePerSecond(Series.OFFERED))
			.add("capacity", CAPACITY, Chart.Style.DASHED, step, capacity);
	}

	private List<Policy> stormPolicies() {
		List<Policy> policies = new ArrayList<>(Policies.all());
		library.ifPresent(ours -> policies.addAll(ours.storm()));
		return policies;
	}

	private void writeDefinitions() {
		line("## Definitions");
		line();
		line("- **load**: attempts arriving at the origin divided by logical requests offered in the same time. "
				+ "*Peak*: the highest over whole seconds from the trigger's start; *mean*: from the trigger's start "
				+ "to the end of the run.");
		line("- **goodput**: logical requests answered before their attempt's timeout, divided by requests offered "
				+ "in the same span; *during* the trigger, *after* it to the end of the run, and over the *last 10 s*.");
		line("- **recovery**: seconds from the trigger's end until every " + StormResult.RECOVERY_WINDOW_SECONDS
				+ " s window has goodput of at least " + percent(StormResult.RECOVERY_THRESHOLD, 0)
				+ " of offered, to the end of the run (resolution 0.1 s; the window smooths Poisson noise and "
				+ "can report up to a quarter second early). **Metastable**: no such time, the run ends collapsed "
				+ "although the trigger is long gone.");
		line("- **wasted work**: the share of requests the origin completed, from the trigger's start, whose "
				+ "client had already timed out.");
		line("- Nested layers: each attempt of a layer is a whole call of the layer below; only the innermost "
				+ "attempt has the client timeout. With 3 layers of 4 attempts, one request can cost 64 attempts.");
		line();
		line("### Policies");
		line();
		line("| policy | what it does |");
		line("|---|---|");
		for (Policy policy : stormPolicies()) {
			line("| " + policy.name() + " | " + policy.description() + " |");
		}
		line();
	}

	private void line(String text) {
		markdown.append(text).append('\n');
	}

	private void line() {
		markdown.append('\n');
	}

	private static String number(double value, int decimals) {
		return String.format(Locale.ROOT, "%." + decimals + "f", value);
	}

	private static String percent(double ratio, int decimals) {
		return number(ratio * 100, decimals) + "%";
	}

}

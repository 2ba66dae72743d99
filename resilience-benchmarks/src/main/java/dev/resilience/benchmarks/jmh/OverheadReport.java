package dev.resilience.benchmarks.jmh;

import java.awt.Color;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Version;

/**
 * Runs the JMH overhead benchmarks with the GC profiler and writes
 * {@code results/overhead.md} and {@code results/overhead.png}: time per call, its ratio
 * to the direct call and to Resilience4j's equivalent, and bytes allocated per call.
 * <p>
 * Usage: {@code OverheadReport [outputDirectory]}, settings from system properties
 * {@code jmh.forks}, {@code jmh.warmups}, {@code jmh.iterations}, {@code jmh.time} (a JMH
 * time such as {@code 1s} or {@code 100ms}), {@code jmh.threads} (comma-separated) and
 * {@code jmh.include} (a regular expression over benchmark method names). See the module's
 * README for the Maven command.
 */
public final class OverheadReport {

	/** The command documented in the README that runs every benchmark, this report included. */
	public static final String COMMAND = "mvn -pl resilience-benchmarks -am -Pbenchmarks verify";

	/** A result of at most this many bytes per call counts as allocation-free (the profiler's noise). */
	static final double ZERO_BYTES = 0.5;

	private static final Color DIRECT = new Color(120, 120, 120);

	private static final Color OURS = new Color(200, 40, 40);

	private static final Color OTHER = new Color(40, 90, 200);

	/** Whose code a row measures. */
	enum Kind {

		/** The library's; compared with an equivalent. */
		OURS,

		/** Resilience4j's: the equivalent itself. */
		OTHER,

		/** Neither: a cost that helps read the others, such as one clock read. */
		REFERENCE

	}

	/**
	 * One line of a table: a benchmark method and, for the library's rows, the method of
	 * its Resilience4j equivalent.
	 */
	record Row(String label, String method, String equivalent, Kind kind) {

		static Row ours(String label, String method, String equivalent) {
			return new Row(label, method, equivalent, Kind.OURS);
		}

		static Row other(String label, String method) {
			return new Row(label, method, null, Kind.OTHER);
		}

		static Row reference(String label, String method) {
			return new Row(label, method, null, Kind.REFERENCE);
		}

		boolean ours() {
			return kind == Kind.OURS;
		}

	}

	/**
	 * A group of benchmarks that the report shows in one section, measured against one
	 * baseline method of the same class.
	 */
	record Section(String title, String intro, Class<?> benchmarks, String baseline, List<Row> rows) {
	}

	/** The core section: the policies without Spring. */
	static final Section CORE = new Section("Core: the library's policies and Resilience4j 2.4.0",
			"Class `" + CoreOverheadBenchmarks.class.getSimpleName() + "`: every benchmark runs the same call "
					+ "(returns a field) through the same interface; instances are shared by the benchmark's "
					+ "threads. Both libraries have the same settings: circuit breaker with a count window of 100 "
					+ "calls, minimum 20 calls, 50% failures, slow calls from 60 s, 30 s open, 3 half-open calls; "
					+ "bulkhead of 25 calls without waiting; retry of 3 attempts with exponential backoff from "
					+ "100 ms (never reached). The library's retry keeps its retry budget as well (on by default; "
					+ "Resilience4j has none). The full pipeline is retry, then breaker, then bulkhead, in both: "
					+ "`ResiliencePipeline.execute(CheckedSupplier)` and a Resilience4j supplier decorated three "
					+ "times, once, in the set-up. Both breakers time each call with two `System.nanoTime()` "
					+ "reads. The library's retry alone reads it once per call, to date the call's deposit in "
					+ "its budget; in the pipeline the retry reads it once per attempt and the breaker takes that "
					+ "reading as its start, so the pipeline reads it twice per call, as Resilience4j's chain "
					+ "does. The reference row shows what one such read costs on this machine.",
			CoreOverheadBenchmarks.class, "direct",
			List.of(Row.reference("one System.nanoTime() read (reference)", "clockRead"),
					Row.ours("ours: circuit breaker (closed)", "oursCircuitBreaker", "r4jCircuitBreaker"),
					Row.other("Resilience4j: circuit breaker (closed)", "r4jCircuitBreaker"),
					Row.ours("ours: bulkhead", "oursBulkhead", "r4jBulkhead"),
					Row.other("Resilience4j: bulkhead", "r4jBulkhead"),
					Row.ours("ours: retry (no failure)", "oursRetry", "r4jRetry"),
					Row.other("Resilience4j: retry (no failure)", "r4jRetry"),
					Row.ours("ours: full pipeline", "oursPipeline", "r4jPipeline"),
					Row.ours("ours: full pipeline via get(Supplier)", "oursPipelineSupplier", "r4jPipeline"),
					Row.other("Resilience4j: full chain", "r4jPipeline")));

	/**
	 * Every section the report runs, in order. Spring-level benchmarks (the annotations
	 * through the aspect, the MVC integration) belong in package
	 * {@code dev.resilience.benchmarks.jmh.spring} with a section of their own here.
	 */
	static final List<Section> SECTIONS = List.of(CORE);

	private final Path directory;

	private final Settings settings;

	private OverheadReport(Path directory, Settings settings) {
		this.directory = directory;
		this.settings = settings;
	}

	/**
	 * @param args the output directory (default {@code results})
	 * @throws Exception when a benchmark fails or the report cannot be written
	 */
	public static void main(String[] args) throws Exception {
		System.setProperty("java.awt.headless", "true");
		Path directory = Path.of((args.length > 0) ? args[0] : "results");
		long started = System.nanoTime();
		new OverheadReport(directory, Settings.fromSystemProperties()).write();
		System.out.printf(Locale.ROOT, "Report written to %s in %.0f s%n", directory.resolve("overhead.md"),
				(System.nanoTime() - started) / 1e9);
	}

	/**
	 * What JMH is asked to do.
	 */
	record Settings(int forks, int warmups, int iterations, TimeValue time, int[] threads, String include) {

		static Settings fromSystemProperties() {
			int[] threads = Arrays.stream(System.getProperty("jmh.threads", "1,2").split(","))
				.map(String::trim)
				.mapToInt(Integer::parseInt)
				.toArray();
			return new Settings(Integer.getInteger("jmh.forks", 1), Integer.getInteger("jmh.warmups", 3),
					Integer.getInteger("jmh.iterations", 5), TimeValue.fromString(System.getProperty("jmh.time", "1s")),
					threads, System.getProperty("jmh.include", ".*"));
		}

		String describe() {
			return forks + " fork, " + warmups + " warm-up x " + time + ", " + iterations + " measurement x " + time
					+ ", average time, GC profiler";
		}

	}

	/** One measured benchmark at one thread count. */
	record Measurement(double nanos, double error, double bytes) {
	}

	private void write() throws IOException, RunnerException {
		Files.createDirectories(directory);
		double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
		// Per thread count: method name -> measurement.
		Map<Integer, Map<String, Measurement>> measured = new LinkedHashMap<>();
		for (int threads : settings.threads()) {
			measured.put(threads, run(threads));
		}
		double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
		StringBuilder md = new StringBuilder();
		md.append("# Overhead benchmarks (JMH)\n\n");
		md.append("Written by `" + COMMAND + "` (this report alone: `-Poverhead` instead of `-Pbenchmarks`; class `")
			.append(OverheadReport.class.getName())
			.append("`). JMH ")
			.append(Version.getPlainVersion())
			.append(", ")
			.append(settings.describe())
			.append("; ")
			.append(System.getProperty("java.vm.name"))
			.append(' ')
			.append(System.getProperty("java.version"))
			.append(", ")
			.append(System.getProperty("os.name"))
			.append(' ')
			.append(System.getProperty("os.arch"))
			.append(", ")
			.append(Runtime.getRuntime().availableProcessors())
			.append(" CPUs; system load average (1 min) ")
			.append(load(loadBefore))
			.append(" before the run and ")
			.append(load(loadAfter))
			.append(" after it.\n\n");
		md.append("> **Error bars are wide.** These numbers come from a shared machine with 2 cores on which other "
				+ "work ran at the same time (a load average above 2 means other processes wanted the same cores), "
				+ "with one fork and short iterations so that the whole run takes a few minutes. Read differences "
				+ "of a few nanoseconds, and most of the 2-thread results, as noise; even a clock read varies "
				+ "with the load. The bytes per call do not depend on the load. For numbers to quote, rerun on a "
				+ "quiet machine with more forks (`-Djmh.forks=3 -Djmh.iterations=10`).\n\n");
		md.append("Columns: **ns/op**, average time per call per thread, with JMH's 99.9% confidence half-width; "
				+ "**vs direct**, that time over the direct call's at the same thread count; **vs R4j**, over "
				+ "Resilience4j's equivalent; **B/op**, bytes allocated per call (`gc.alloc.rate.norm`).\n\n");
		int number = 1;
		List<BarChart> charts = new ArrayList<>();
		for (Section section : SECTIONS) {
			md.append("## ").append(number++).append(". ").append(section.title()).append("\n\n");
			md.append(section.intro()).append("\n\n");
			for (Map.Entry<Integer, Map<String, Measurement>> entry : measured.entrySet()) {
				writeTable(md, section, entry.getKey(), entry.getValue());
				charts.add(chart(section, entry.getKey(), entry.getValue()));
			}
			writeTargets(md, section, measured);
		}
		BarChart.writeRow(charts, 640, directory.resolve("overhead.png"));
		md.append("![ns per call](overhead.png)\n\n");
		md.append("## ").append(number).append(". Spring level (to come)\n\n");
		md.append("Not measured yet. A later task adds the cost of the annotations through the Spring aspect (and of "
				+ "the MVC integration) against a plain bean call and against Resilience4j's Spring Boot starter, as "
				+ "benchmarks in package `dev.resilience.benchmarks.jmh.spring` and a section in "
				+ "`OverheadReport.SECTIONS`; this report then shows them here with the same columns.\n");
		Files.writeString(directory.resolve("overhead.md"), md.toString(), StandardCharsets.UTF_8);
	}

	private Map<String, Measurement> run(int threads) throws RunnerException {
		OptionsBuilder options = new OptionsBuilder();
		for (Section section : SECTIONS) {
			options.include(Pattern.quote(section.benchmarks().getName()) + "\\.(" + settings.include() + ")$");
		}
		options.forks(settings.forks())
			.warmupIterations(settings.warmups())
			.warmupTime(settings.time())
			.measurementIterations(settings.iterations())
			.measurementTime(settings.time())
			.threads(threads)
			.addProfiler(GCProfiler.class)
			.shouldFailOnError(true);
		Collection<RunResult> results = new Runner(options.build()).run();
		Map<String, Measurement> byMethod = new LinkedHashMap<>();
		for (RunResult result : results) {
			String benchmark = result.getParams().getBenchmark();
			String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
			Result<?> primary = result.getPrimaryResult();
			byMethod.put(method, new Measurement(primary.getScore(), primary.getScoreError(), allocation(result)));
		}
		return byMethod;
	}

	private static double allocation(RunResult result) {
		// The key has had a "·" prefix in older JMH versions; match its end.
		for (Map.Entry<String, Result> entry : result.getSecondaryResults().entrySet()) {
			if (entry.getKey().endsWith("gc.alloc.rate.norm")) {
				return entry.getValue().getScore();
			}
		}
		return Double.NaN;
	}

	private static void writeTable(StringBuilder md, Section section, int threads, Map<String, Measurement> results) {
		Measurement direct = results.get(section.baseline());
		md.append("**").append(threads).append((threads == 1) ? " thread**" : " threads**").append("\n\n");
		md.append("| benchmark | ns/op | vs direct | vs R4j | B/op |\n");
		md.append("|---|---:|---:|---:|---:|\n");
		if (direct != null) {
			md.append("| direct call | ").append(nanos(direct)).append(" | 1.00 | - | ").append(bytes(direct.bytes()))
				.append(" |\n");
		}
		for (Row row : section.rows()) {
			Measurement measurement = results.get(row.method());
			if (measurement == null) {
				continue;
			}
			Measurement equivalent = switch (row.kind()) {
				case OURS -> results.get(row.equivalent());
				case OTHER -> measurement;
				case REFERENCE -> null;
			};
			md.append("| ").append(row.label()).append(" | ").append(nanos(measurement)).append(" | ")
				.append((direct != null) ? ratio(measurement.nanos(), direct.nanos()) : "-")
				.append(" | ")
				.append((equivalent != null) ? ratio(measurement.nanos(), equivalent.nanos()) : "-")
				.append(" | ")
				.append(bytes(measurement.bytes()))
				.append(" |\n");
		}
		md.append('\n');
	}

	private static void writeTargets(StringBuilder md, Section section,
			Map<Integer, Map<String, Measurement>> measured) {
		md.append("**Targets.** Closed-state overhead (time over the direct call) below Resilience4j's in the same "
				+ "run, and 0 bytes per call on the success path of breaker, bulkhead and retry.\n\n");
		md.append("*Below R4j*: **yes** or **no** when the two 99.9% confidence intervals do not overlap, "
				+ "otherwise *within noise* and which mean is lower.\n\n");
		md.append("| | threads | ours, ns over direct | Resilience4j, ns over direct | below R4j | ours B/op |\n");
		md.append("|---|---:|---:|---:|:---:|---:|\n");
		for (Map.Entry<Integer, Map<String, Measurement>> entry : measured.entrySet()) {
			Map<String, Measurement> results = entry.getValue();
			Measurement direct = results.get(section.baseline());
			for (Row row : section.rows()) {
				Measurement ours = results.get(row.method());
				Measurement other = row.ours() ? results.get(row.equivalent()) : null;
				if (ours == null || other == null || direct == null) {
					continue;
				}
				double oursOverhead = ours.nanos() - direct.nanos();
				double otherOverhead = other.nanos() - direct.nanos();
				boolean allocationFree = ours.bytes() <= ZERO_BYTES;
				String below = below(ours, other);
				md.append("| ").append(row.label().replaceFirst("^ours: ", "")).append(" | ").append(entry.getKey())
					.append(" | ")
					.append(number(oursOverhead, 1))
					.append(" | ")
					.append(number(otherOverhead, 1))
					.append(" | ")
					.append(below)
					.append(" | ")
					.append(bytes(ours.bytes()))
					.append(allocationFree ? "" : " **(allocates)**")
					.append(" |\n");
			}
		}
		md.append('\n');
	}

	/**
	 * @return whether the library's time is below the other's, judged on the confidence
	 * intervals: the same direct call is subtracted from both, so comparing the times
	 * compares the overheads
	 */
	static String below(Measurement ours, Measurement other) {
		double oursError = Double.isFinite(ours.error()) ? ours.error() : 0;
		double otherError = Double.isFinite(other.error()) ? other.error() : 0;
		if (ours.nanos() + oursError < other.nanos() - otherError) {
			return "**yes**";
		}
		if (ours.nanos() - oursError > other.nanos() + otherError) {
			return "**no**";
		}
		return "within noise (" + ((ours.nanos() < other.nanos()) ? "ours" : "R4j") + " lower)";
	}

	private static BarChart chart(Section section, int threads, Map<String, Measurement> results) {
		BarChart chart = BarChart.of(section.title().replaceFirst(":.*", "") + ", " + threads
				+ ((threads == 1) ? " thread" : " threads"), "ns per call (average, per thread)");
		Measurement direct = results.get(section.baseline());
		if (direct != null) {
			chart.bar("direct call", direct.nanos(), direct.error(), DIRECT);
		}
		for (Row row : section.rows()) {
			Measurement measurement = results.get(row.method());
			if (measurement != null) {
				Color color = switch (row.kind()) {
					case OURS -> OURS;
					case OTHER -> OTHER;
					case REFERENCE -> DIRECT;
				};
				chart.bar(row.label().replace("Resilience4j", "R4j").replace(" (reference)", ""), measurement.nanos(),
						measurement.error(), color);
			}
		}
		return chart;
	}

	private static String load(double average) {
		return (average < 0) ? "unknown" : number(average, 1);
	}

	private static String nanos(Measurement measurement) {
		String error = Double.isFinite(measurement.error()) ? " ± " + number(measurement.error(), 1) : "";
		return number(measurement.nanos(), 1) + error;
	}

	private static String ratio(double value, double reference) {
		return number(value / reference, 2);
	}

	private static String bytes(double bytes) {
		if (Double.isNaN(bytes)) {
			return "n/a";
		}
		return (bytes <= ZERO_BYTES) ? "0" : number(bytes, 0);
	}

	private static String number(double value, int decimals) {
		return String.format(Locale.ROOT, "%." + decimals + "f", value);
	}

}

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

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Version;
import org.springframework.core.SpringVersion;

import dev.resilience.benchmarks.jmh.spring.MvcOverheadBenchmarks;
import dev.resilience.benchmarks.jmh.spring.SpringOverheadBenchmarks;

/**
 * Runs the JMH overhead benchmarks with the GC profiler and writes
 * {@code results/overhead.md} and {@code results/overhead.png}: time per call, its ratio
 * to the section's baseline (a direct call, a plain handler) and to Resilience4j's
 * equivalent, and bytes allocated per call.
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

	private static final Color FRAMEWORK = new Color(40, 150, 70);

	/** Whose code a row measures. */
	enum Kind {

		/** The library's; compared with an equivalent. */
		OURS,

		/** Resilience4j's: the equivalent itself. */
		OTHER,

		/**
		 * Spring Framework's own resilience annotations; compared with Resilience4j's
		 * equivalent where there is one, but not held to the library's targets.
		 */
		FRAMEWORK,

		/**
		 * The library with an option Resilience4j has no equivalent of (a fleet breaker);
		 * compared with Resilience4j's nearest policy, but not held to the targets.
		 */
		OPTION,

		/** Neither: a cost that helps read the others, such as one clock read. */
		REFERENCE

	}

	/**
	 * One line of a table: a benchmark method and, for the library's rows and Spring
	 * Framework's, the method of its Resilience4j equivalent ({@code null} when there is none).
	 */
	record Row(String label, String method, String equivalent, Kind kind) {

		static Row ours(String label, String method, String equivalent) {
			return new Row(label, method, equivalent, Kind.OURS);
		}

		static Row other(String label, String method) {
			return new Row(label, method, null, Kind.OTHER);
		}

		static Row framework(String label, String method, String equivalent) {
			return new Row(label, method, equivalent, Kind.FRAMEWORK);
		}

		static Row option(String label, String method, String nearest) {
			return new Row(label, method, nearest, Kind.OPTION);
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
	 * baseline method of the same class ({@code baselineLabel} names it in the tables), with
	 * its charts in one PNG file of the output directory. Each section runs on its own (the
	 * method names repeat across classes), with {@code warmupFactor} times the configured
	 * warm-up iterations and {@code measurementFactor} times the measurement ones, at every configured thread count or, with {@code firstThreadsOnly},
	 * at the first one only. {@code floor}, when not {@code null}, is the method of a
	 * reference row that allocates what the library's rows of the section allocate anyway (a
	 * Spring AOP proxy with a no-op interceptor): the allocation target applies to the bytes
	 * beyond it.
	 */
	record Section(String title, String intro, Class<?> benchmarks, String baseline, String baselineLabel,
			String floor, String chart, int warmupFactor, int measurementFactor, boolean firstThreadsOnly,
			List<Row> rows) {

		/** The thread counts the section runs at, of those configured. */
		int[] threads(int[] configured) {
			return (firstThreadsOnly && configured.length > 1) ? new int[] { configured[0] } : configured;
		}

		/** The baseline's short name, for column headers: {@code direct}, {@code plain}. */
		String baselineColumn() {
			return baselineLabel.split(" ")[0];
		}

	}

	/** The core section: the policies without Spring. */
	static final Section CORE = new Section("Core: the library's policies and Resilience4j 2.4.0",
			"Class `" + CoreOverheadBenchmarks.class.getSimpleName() + "`: every benchmark runs the same call "
					+ "(returns a field) through the same interface; instances are shared by the benchmark's "
					+ "threads. Both libraries have the same settings: circuit breaker with a count window of 100 "
					+ "calls, minimum 20 calls, 50% failures, slow calls from 60 s, open "
					+ dev.resilience.core.circuitbreaker.CircuitBreakerConfig.defaults().openDuration().toMillis()
					+ " ms (never reached), "
					+ dev.resilience.benchmarks.sim.ours.OurPolicies
						.probesName(dev.resilience.core.circuitbreaker.CircuitBreakerConfig.defaults())
					+ "; "
					+ "bulkhead of 25 calls without waiting; retry of 3 attempts with exponential backoff from "
					+ "100 ms (never reached). The library's retry keeps its retry budget as well (on by default; "
					+ "Resilience4j has none). The full pipeline is retry, then breaker, then bulkhead, in both: "
					+ "`ResiliencePipeline.execute(CheckedSupplier)` and a Resilience4j supplier decorated three "
					+ "times, once, in the set-up. Both breakers time each call with two `System.nanoTime()` "
					+ "reads. The library's retry alone does not read it (its budget dates a call's deposit by "
					+ "the budget's latest reading); in the pipeline the retry reads it once per attempt, that "
					+ "reading dates the deposit and the breaker takes it as its start, so the pipeline reads it "
					+ "twice per call, as Resilience4j's chain does. The reference row shows what one such read costs on this machine. "
					+ "The fleet member is the same breaker with `circuit-breaker.fleet` (a `CircuitBreakerFleet` as its "
					+ "listener, no exchange running): it counts each outcome in the bucket its call started in, "
					+ "which it takes from the breaker's own readings moved onto the wall clock by an offset (taken "
					+ "at each exchange; here once, when it joined), without a clock read of its own; Resilience4j "
					+ "has no such breaker.",
			CoreOverheadBenchmarks.class, "direct", "direct call", null, "overhead.png", 1, 1, false,
			List.of(Row.reference("one System.nanoTime() read (reference)", "clockRead"),
					Row.ours("ours: circuit breaker (closed)", "oursCircuitBreaker", "r4jCircuitBreaker"),
					Row.other("Resilience4j: circuit breaker (closed)", "r4jCircuitBreaker"),
					Row.option("ours: circuit breaker (closed), fleet member", "oursFleetCircuitBreaker",
							"r4jCircuitBreaker"),
					Row.ours("ours: bulkhead", "oursBulkhead", "r4jBulkhead"),
					Row.other("Resilience4j: bulkhead", "r4jBulkhead"),
					Row.ours("ours: retry (no failure)", "oursRetry", "r4jRetry"),
					Row.other("Resilience4j: retry (no failure)", "r4jRetry"),
					Row.ours("ours: full pipeline", "oursPipeline", "r4jPipeline"),
					Row.ours("ours: full pipeline via get(Supplier)", "oursPipelineSupplier", "r4jPipeline"),
					Row.other("Resilience4j: full chain", "r4jPipeline")));

	/** How many times the configured warm-up the Spring section gets. */
	static final int SPRING_WARMUP_FACTOR = 4;

	/** The Spring section: the annotations on a bean's method, through each integration's proxy. */
	static final Section SPRING = new Section(
			"Spring: annotated bean methods through the library's advisor, Resilience4j's and Spring Framework's",
			"Class `" + SpringOverheadBenchmarks.class.getSimpleName() + "`: every benchmark calls a bean method that "
					+ "returns a field. Five non-web application contexts, started once per trial, each with only "
					+ "what it needs and no metrics registry: the direct call is the same method on a bean without "
					+ "a proxy; the reference row is that method on a bean proxied, through Spring Boot's "
					+ "auto-proxy creator, with one interceptor that only proceeds; **ours** are `@Retryable`, "
					+ "`@CircuitBreaker` and `@Bulkhead` of `dev.resilience.annotation` through the starter's auto-configuration (one advisor), with the "
					+ "documented defaults, which are the core section's settings; **Resilience4j** are its `@Retry`, "
					+ "`@CircuitBreaker` and `@Bulkhead` through `resilience4j-spring-boot4` 2.4.0's aspects, set "
					+ "to the same settings through properties; **Spring Framework** (" + springVersion() + ") are "
					+ "`@Retryable` (2 retries, backoff never reached) and `@ConcurrencyLimit` (25, rejecting) of "
					+ "`org.springframework.resilience.annotation` with `@EnableResilientMethods`; it has no "
					+ "circuit breaker, so its two annotations together have no Resilience4j equivalent in this "
					+ "run (*vs R4j* shows -). All three annotations together run retry, then breaker, then "
					+ "bulkhead, in both libraries. Each single-annotation method has an instance of its own. "
					+ "This section warms up " + SPRING_WARMUP_FACTOR + " times as long as the core one: "
					+ "Resilience4j's aspect path took about ten 1 s iterations to settle on the loaded 2-core "
					+ "machine (from above 1 ms to under 10 µs per call), the library's about three; every "
					+ "benchmark here gets the same warm-up. A Spring AOP proxy allocates per call (at least its "
					+ "method invocation), so no row here reaches 0 B/op: what the reference row allocates is the "
					+ "floor of any advice, and the targets table counts the library's bytes beyond it. The core "
					+ "section shows what the policies themselves allocate.",
			SpringOverheadBenchmarks.class, "direct", "direct call", "proxyFloor", "overhead-spring.png",
			SPRING_WARMUP_FACTOR, 1, false,
			List.of(Row.reference("Spring AOP proxy, no-op interceptor (reference)", "proxyFloor"),
					Row.ours("ours: @Retryable @CircuitBreaker @Bulkhead", "oursAnnotations", "r4jAnnotations"),
					Row.other("Resilience4j: @Retry @CircuitBreaker @Bulkhead", "r4jAnnotations"),
					Row.framework("Spring Framework: @Retryable @ConcurrencyLimit (no breaker)",
							"springRetryableConcurrencyLimit", null),
					Row.ours("ours: @CircuitBreaker only", "oursCircuitBreaker", "r4jCircuitBreaker"),
					Row.other("Resilience4j: @CircuitBreaker only", "r4jCircuitBreaker"),
					Row.ours("ours: @Retryable only", "oursRetry", "r4jRetry"),
					Row.other("Resilience4j: @Retry only", "r4jRetry"),
					Row.framework("Spring Framework: @Retryable only", "springRetryable", "r4jRetry"),
					Row.ours("ours: @Bulkhead only", "oursBulkhead", "r4jBulkhead"),
					Row.other("Resilience4j: @Bulkhead only", "r4jBulkhead"),
					Row.framework("Spring Framework: @ConcurrencyLimit only", "springConcurrencyLimit",
							"r4jBulkhead")));

	/** How many times the configured warm-up the MVC section gets. */
	static final int MVC_WARMUP_FACTOR = 4;

	/** How many times the configured measurement iterations the MVC section gets. */
	static final int MVC_MEASUREMENT_FACTOR = 4;

	/** The MVC section: an HTTP endpoint through Spring MVC's dispatcher servlet. */
	static final Section MVC = new Section(
			"Spring MVC: an HTTP endpoint with the library's annotations, Resilience4j's and the Idempotency-Key "
					+ "adapter",
			"Class `" + MvcOverheadBenchmarks.class.getSimpleName() + "`: every benchmark sends `POST` with a "
					+ "4-byte text body to a `@RestController` method that reads it and answers `200` with a "
					+ "2-byte text, through Spring MVC's `DispatcherServlet` called in-process with spring-test's "
					+ "`MockHttpServletRequest` and `MockHttpServletResponse`, both new for every call in every "
					+ "row (no web server, no socket, no servlet filter: the library's load-shedding and HTTP "
					+ "error-budget filters are not on this path). Three web application contexts with Spring "
					+ "Boot's MVC auto-configuration, of which a trial starts the one its benchmark calls: **Spring "
					+ "MVC alone** for the plain handler (the baseline: *vs plain*) and the reference row, the same handler on a bean proxied "
					+ "with one interceptor that only proceeds (the floor of any advice on a handler); **the "
					+ "library's** auto-configurations as the starter applies them (advisor, `Idempotency-Key` "
					+ "handler adapter with the in-memory store, web exception resolver; no metrics registry) for "
					+ "a handler without annotations, the same handler with `@Retryable @CircuitBreaker "
					+ "@Bulkhead` (documented defaults) and `@Idempotent` handlers; **Resilience4j**'s "
					+ "auto-configurations of its three annotations, set as in section 2, for the handler with "
					+ "`@Retry @CircuitBreaker @Bulkhead`. The idempotent *replay* row sends one key per thread "
					+ "again and again: every call after the first is answered from the store. The *first call* "
					+ "row sends a new key each time, so each call claims it, runs the handler, stores the "
					+ "response and sends it; its keys come round again from a pool of "
					+ MvcOverheadBenchmarks.KEY_POOL + " per thread with a time to live of 1 ms, so that each has "
					+ "expired when it does and the store stays bounded. A response other than 200 fails the "
					+ "run. This section warms up " + MVC_WARMUP_FACTOR + " times as long as the core one, "
					+ "because a request through Spring MVC is up to a hundred times slower until the JIT has "
					+ "compiled it, which takes tens of thousands of requests, and measures "
					+ MVC_MEASUREMENT_FACTOR + " times as many iterations, because a request leaves some ten "
					+ "kilobytes of garbage and single iterations scatter with the collections; it runs at the "
					+ "first configured thread count only, to keep the section within the run's few minutes; a row with a wide "
					+ "error bar may not have settled (JMH's log shows each iteration). The rows share the "
					+ "cost of Spring MVC and of the mock request and response: read the differences from the "
					+ "plain handler, in ns. Read the bytes with care: the three contexts map different "
					+ "handlers, and the bytes per request differ between them by more than an advisor could "
					+ "add (the handler without annotations in the library's context may allocate less than the "
					+ "plain one), so the targets table's bytes beyond the floor compare two contexts, not the "
					+ "library's advisor with the proxy; section 2 measures that in one context.",
			MvcOverheadBenchmarks.class, "plainHandler", "plain handler", "proxyFloor", "overhead-mvc.png",
			MVC_WARMUP_FACTOR, MVC_MEASUREMENT_FACTOR, true,
			List.of(Row.reference("Spring AOP proxy, no-op interceptor (reference)", "proxyFloor"),
					Row.ours("ours: no annotation, library present", "oursUnannotated", null),
					Row.ours("ours: @Retryable @CircuitBreaker @Bulkhead", "oursAnnotations", "r4jAnnotations"),
					Row.other("Resilience4j: @Retry @CircuitBreaker @Bulkhead", "r4jAnnotations"),
					Row.ours("ours: @Idempotent, replay", "oursIdempotentReplay", null),
					Row.ours("ours: @Idempotent, first call", "oursIdempotentFirstCall", null)));

	/**
	 * Every section the report runs, in order. Further Spring-level benchmarks belong in
	 * package {@code dev.resilience.benchmarks.jmh.spring} with a section of their own here.
	 */
	static final List<Section> SECTIONS = List.of(CORE, SPRING, MVC);

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
	/** @return {@code 1 fork}, {@code 2 forks} */
	static String forkCount(int forks) {
		return forks + ((forks == 1) ? " fork" : " forks");
	}

	record Settings(int forks, int warmups, int iterations, TimeValue time, int[] threads, String include) {

		static Settings fromSystemProperties() {
			int[] threads = Arrays.stream(System.getProperty("jmh.threads", "1,2").split(","))
				.map(String::trim)
				.mapToInt(Integer::parseInt)
				.toArray();
			return new Settings(Integer.getInteger("jmh.forks", 2), Integer.getInteger("jmh.warmups", 3),
					Integer.getInteger("jmh.iterations", 5), TimeValue.fromString(System.getProperty("jmh.time", "1s")),
					threads, System.getProperty("jmh.include", ".*"));
		}

		String describe() {
			return forkCount(forks) + ", " + warmups + " warm-up x " + time + ", " + iterations + " measurement x " + time
					+ ", average time, GC profiler";
		}

	}

	/** One measured benchmark at one thread count. */
	record Measurement(double nanos, double error, double bytes) {
	}

	private void write() throws IOException, RunnerException {
		Files.createDirectories(directory);
		double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
		// Per section, per thread count: method name -> measurement.
		Map<Section, Map<Integer, Map<String, Measurement>>> bySection = new LinkedHashMap<>();
		for (Section section : SECTIONS) {
			Map<Integer, Map<String, Measurement>> measured = new LinkedHashMap<>();
			// JMH refuses a run that selects nothing; a section that jmh.include leaves out stays empty.
			int[] threads = selects(section, settings.include()) ? section.threads(settings.threads()) : new int[0];
			for (int count : threads) {
				measured.put(count, run(section, count));
			}
			bySection.put(section, measured);
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
			.append(" CPUs (")
			.append(cpuModel(Path.of("/proc/cpuinfo")))
			.append("); system load average (1 min) ")
			.append(load(loadBefore))
			.append(" before the run and ")
			.append(load(loadAfter))
			.append(" after it.\n\n");
		md.append("> **Error bars are wide.** These numbers come from a shared machine with 2 cores on which other "
				+ "work ran at the same time (a load average above 2 means other processes wanted the same cores), "
				+ "with " + forkCount(settings.forks()) + " and short iterations so that the whole run stays within "
				+ "about half an hour. Read differences "
				+ "of a few nanoseconds, and most of the 2-thread results, as noise; even a clock read varies "
				+ "with the load. The bytes per call do not depend on the load. For numbers to quote, rerun on a "
				+ "quiet machine with more forks (`-Djmh.forks=3 -Djmh.iterations=10`).\n\n");
		md.append("Columns: **ns/op**, average time per call per thread, with JMH's 99.9% confidence half-width; "
				+ "**vs direct** (**vs plain** in the MVC section), that time over the section's baseline at the "
				+ "same thread count, the direct call or the plain handler; **vs R4j**, over Resilience4j's "
				+ "equivalent; **B/op**, bytes allocated per call (`gc.alloc.rate.norm`).\n\n");
		int number = 1;
		for (Section section : SECTIONS) {
			Map<Integer, Map<String, Measurement>> measured = bySection.get(section);
			if (measured.isEmpty()) {
				continue;
			}
			md.append("## ").append(number++).append(". ").append(section.title()).append("\n\n");
			md.append(section.intro()).append("\n\n");
			List<BarChart> charts = new ArrayList<>();
			for (Map.Entry<Integer, Map<String, Measurement>> entry : measured.entrySet()) {
				writeTable(md, section, entry.getKey(), entry.getValue());
				charts.add(chart(section, entry.getKey(), entry.getValue()));
			}
			writeTargets(md, section, measured);
			BarChart.writeRow(charts, 640, directory.resolve(section.chart()));
			md.append("![ns per call](").append(section.chart()).append(")\n\n");
		}
		Files.writeString(directory.resolve("overhead.md"), md.toString(), StandardCharsets.UTF_8);
	}

	private Map<String, Measurement> run(Section section, int threads) throws RunnerException {
		OptionsBuilder options = new OptionsBuilder();
		options.include(Pattern.quote(section.benchmarks().getName()) + "\\.(" + settings.include() + ")$");
		options.forks(settings.forks())
			.warmupIterations(settings.warmups() * section.warmupFactor())
			.warmupTime(settings.time())
			.measurementIterations(settings.iterations() * section.measurementFactor())
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

	/**
	 * @return whether {@code include} (a regular expression over method names, as the
	 * JMH include pattern built in {@code run} applies it) selects a benchmark of the section
	 */
	static boolean selects(Section section, String include) {
		Pattern pattern = Pattern.compile("(" + include + ")");
		return Arrays.stream(section.benchmarks().getMethods())
			.filter((method) -> method.isAnnotationPresent(Benchmark.class))
			.anyMatch((method) -> pattern.matcher(method.getName()).matches());
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
		md.append("| benchmark | ns/op | vs ").append(section.baselineColumn()).append(" | vs R4j | B/op |\n");
		md.append("|---|---:|---:|---:|---:|\n");
		if (direct != null) {
			md.append("| ").append(section.baselineLabel()).append(" | ").append(nanos(direct)).append(" | 1.00 | - | ").append(bytes(direct.bytes()))
				.append(" |\n");
		}
		for (Row row : section.rows()) {
			Measurement measurement = results.get(row.method());
			if (measurement == null) {
				continue;
			}
			Measurement equivalent = switch (row.kind()) {
				case OURS, OPTION, FRAMEWORK -> (row.equivalent() != null) ? results.get(row.equivalent()) : null;
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
		String column = section.baselineColumn();
		md.append("**Targets.** Closed-state overhead (time over the ").append(section.baselineLabel())
			.append(") below Resilience4j's in the same run, and 0 bytes per call on the success path of breaker, "
					+ "bulkhead and retry.\n\n");
		md.append("*Below R4j*: **yes** or **no** when the two 99.9% confidence intervals do not overlap, "
				+ "otherwise *within noise* and which mean is lower.");
		if (section.floor() != null) {
			md.append(" *Ours B/op*: bytes per call and, in parentheses, those beyond the no-op interceptor's "
					+ "proxy of the same run, which the allocation target applies to.");
		}
		md.append("\n\n");
		md.append("| | threads | ours, ns over ").append(column).append(" | Resilience4j, ns over ").append(column)
			.append(" | below R4j | ours B/op |\n");
		md.append("|---|---:|---:|---:|:---:|---:|\n");
		for (Map.Entry<Integer, Map<String, Measurement>> entry : measured.entrySet()) {
			Map<String, Measurement> results = entry.getValue();
			Measurement direct = results.get(section.baseline());
			Measurement floor = (section.floor() != null) ? results.get(section.floor()) : null;
			for (Row row : section.rows()) {
				Measurement ours = results.get(row.method());
				Measurement other = row.ours() ? results.get(row.equivalent()) : null;
				if (ours == null || other == null || direct == null) {
					continue;
				}
				double oursOverhead = ours.nanos() - direct.nanos();
				double otherOverhead = other.nanos() - direct.nanos();
				double oursBytes = (floor != null) ? ours.bytes() - floor.bytes() : ours.bytes();
				boolean allocationFree = oursBytes <= ZERO_BYTES;
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
					.append((floor != null) ? " (" + bytes(oursBytes) + ")" : "")
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
			chart.bar(section.baselineLabel(), direct.nanos(), direct.error(), DIRECT);
		}
		for (Row row : section.rows()) {
			Measurement measurement = results.get(row.method());
			if (measurement != null) {
				Color color = switch (row.kind()) {
					case OURS, OPTION -> OURS;
					case OTHER -> OTHER;
					case FRAMEWORK -> FRAMEWORK;
					case REFERENCE -> DIRECT;
				};
				// Short labels: a chart is one panel of a row of them.
				String label = row.label()
					.replace("Resilience4j", "R4j")
					.replace("Spring Framework", "Spring")
					.replace(" (reference)", "");
				chart.bar(label, measurement.nanos(), measurement.error(), color);
			}
		}
		return chart;
	}

	/** The Spring Framework version on the class path, as the report's reader needs it. */
	private static String springVersion() {
		String version = SpringVersion.getVersion();
		return (version != null) ? version : "7.0";
	}

	/**
	 * The processor's model as the operating system names it: the standings of the
	 * multi-threaded rows differ from one processor to another.
	 */
	static String cpuModel(Path cpuinfo) {
		try {
			return cpuModel(Files.readAllLines(cpuinfo, StandardCharsets.UTF_8));
		}
		catch (IOException | RuntimeException ex) {
			return "model not known";
		}
	}

	/**
	 * @param cpuinfo the lines of {@code /proc/cpuinfo}
	 * @return the first processor's {@code model name}, with its {@code cpu family} and
	 * {@code model} numbers when given (a virtual machine may name only the product line),
	 * or "model not known" without a name
	 */
	static String cpuModel(List<String> cpuinfo) {
		Map<String, String> first = new LinkedHashMap<>();
		for (String line : cpuinfo) {
			int colon = line.indexOf(':');
			if (colon > 0) {
				String key = line.substring(0, colon).trim();
				if (key.equals("processor") && !first.isEmpty()) {
					break;
				}
				first.putIfAbsent(key, line.substring(colon + 1).trim());
			}
		}
		String name = first.getOrDefault("model name", "");
		if (name.isEmpty()) {
			return "model not known";
		}
		String family = first.get("cpu family");
		String model = first.get("model");
		return (family != null && model != null) ? name + ", family " + family + " model " + model : name;
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

package dev.resilience.benchmarks.sim;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

import dev.resilience.benchmarks.sim.ours.OurPolicies;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.circuitbreaker.fleet.CircuitBreakerFleet;
import dev.resilience.core.retry.RetryBudgetConfig;
import dev.resilience.core.retry.RetryConfig;

import static dev.resilience.benchmarks.sim.Markdown.number;
import static dev.resilience.benchmarks.sim.Markdown.recovery;
import static dev.resilience.benchmarks.sim.Markdown.times;

/**
 * The sections of the storm report about the library's own settings: how many caller
 * processes share one retry budget and breaker, the budget's per-second floor, and the
 * breaker's open period; then the library's targets, met or not. Every figure in the prose
 * is taken from the runs, and the runs are kept, so that each one runs once per report.
 */
final class FleetStudy {

	/** Caller processes in the matrices, from one client each to one process for all. */
	static final int[] PROCESSES = { 1000, 100, 20, 10, 1 };

	/** Caller processes of the targets' table. */
	static final int[] TARGET_PROCESSES = { 1000, 100, 20, 10 };

	/** Processes that each serve many clients: where the breaker's open period decides recovery. */
	static final int[] MANY_CLIENTS = { 100, 20, 10 };

	/** The largest processes of the storm tables that still serve many clients each. */
	private static final int[] LARGEST = { 20, 10 };

	/** Budget floors compared: ten times the default, the default (1/s), none. */
	static final int[] FLOORS = { 10, 1, 0 };

	/** Probes per round of the SPEC's breaker, before a round became one probe. */
	static final int FORMER_PROBES = 3;

	/**
	 * The breaker as the SPEC states it: open 30 s, fixed, no consecutive-failure trip,
	 * {@value #FORMER_PROBES} probes a round.
	 */
	static final CircuitBreakerConfig FORMER_DEFAULT = OurPolicies
		.halfOpen(OurPolicies.inARow(OurPolicies.fixedOpen(Duration.ofSeconds(30)), 0), FORMER_PROBES);

	/** A short fixed open period, the shortest the defaults start with. */
	private static final CircuitBreakerConfig ONE_SECOND_FIXED = OurPolicies.fixedOpen(Duration.ofSeconds(1));

	/** The defaults' growth, from the same first period, up to 30 s instead of the defaults' maximum. */
	static final CircuitBreakerConfig LONG_GROWTH = OurPolicies.growingOpen(
			CircuitBreakerConfig.DEFAULT_OPEN_DURATION, CircuitBreakerConfig.DEFAULT_OPEN_DURATION_MULTIPLIER,
			Duration.ofSeconds(30));

	/** Growing twice as fast as the defaults' multiplier, up to 30 s. */
	static final CircuitBreakerConfig DOUBLING = OurPolicies.growingOpen(Duration.ofSeconds(1), 2,
			Duration.ofSeconds(30));

	/** Open periods compared with the defaults, each at the default floor; none is a default. */
	static final List<CircuitBreakerConfig> OPEN_VARIANTS = List.of(FORMER_DEFAULT,
			OurPolicies.fixedOpen(Duration.ofSeconds(5)), ONE_SECOND_FIXED, LONG_GROWTH, DOUBLING,
			OurPolicies.growingOpen(Duration.ofSeconds(2), 1.5, Duration.ofSeconds(30)));

	/** A shorter count window than the defaults' 100 calls (minimum 20): trips sooner. */
	static final CircuitBreakerConfig SHORT_WINDOW = OurPolicies.window(CircuitBreakerConfig.defaults(), 20, 10);

	/** Windows compared with the defaults, each with the default open period; none is a default. */
	static final List<CircuitBreakerConfig> WINDOW_VARIANTS = List.of(SHORT_WINDOW,
			OurPolicies.window(CircuitBreakerConfig.defaults(), 50, 10),
			OurPolicies.inARow(CircuitBreakerConfig.defaults(), 0),
			OurPolicies.inARow(CircuitBreakerConfig.defaults(), 5),
			OurPolicies.inARow(CircuitBreakerConfig.defaults(), 20));

	/** The defaults with the SPEC's probes per round: not a default. */
	static final CircuitBreakerConfig THREE_PROBES = OurPolicies.halfOpen(CircuitBreakerConfig.defaults(),
			FORMER_PROBES);

	/**
	 * @return the policies that change only the probes per round from the defaults, at the
	 * default floor; none is a default
	 */
	static List<Policy> probeVariants() {
		return List.of(OurPolicies.of(OurPolicies.DEFAULT_FLOOR, THREE_PROBES));
	}

	/**
	 * @return breakers that open on the first one or two failures in a row, the only
	 * per-process settings that come near the per-process bound with processes of a few
	 * calls a second, and which open on stray failures too; none is a default
	 */
	static List<Policy> shortRows() {
		CircuitBreakerConfig defaults = CircuitBreakerConfig.defaults();
		return List.of(OurPolicies.of(OurPolicies.DEFAULT_FLOOR, OurPolicies.inARow(defaults, 1)),
				OurPolicies.of(OurPolicies.DEFAULT_FLOOR, OurPolicies.inARow(defaults, 2)));
	}

	/**
	 * The exchange intervals of the breakers that open on the fleet's outcomes: a longer one
	 * and the default, last.
	 */
	static final List<Duration> FLEET_SYNCS = List.of(Duration.ofSeconds(1),
			CircuitBreakerFleet.DEFAULT_SYNC_INTERVAL);

	/** The background failure rate at which the windows' false trips are compared. */
	private static final double BACKGROUND_FAILURES = 0.1;

	/** @return how the rows of the SPEC's breaker are labelled: the part of its name in brackets */
	private static String formerLabel() {
		return label(formerDefault());
	}

	/** @return the part of a policy's name in brackets: {@code fleet breaker, sync 1 s} */
	static String label(Policy policy) {
		String name = policy.name();
		return name.substring(name.indexOf('(') + 1, name.lastIndexOf(')'));
	}

	private static final double TARGET_AMPLIFICATION = 1.1;

	private static final double TARGET_RECOVERY_SECONDS = 2;

	private final Markdown markdown;

	private final long seed;

	private final StormScenario shortTrigger = StormScenario.postMortem(Duration.ofSeconds(1));

	private final StormScenario longTrigger = StormScenario.postMortem(Duration.ofSeconds(10));

	private final Map<String, StormResult> storms = new HashMap<>();

	private final FullOutageStudy outage;

	FleetStudy(Markdown markdown, long seed, Path directory) {
		this.markdown = markdown;
		this.seed = seed;
		this.outage = new FullOutageStudy(markdown, seed, directory, shortTrigger);
	}

	/**
	 * @return the run of a policy in a scenario spread over {@code processes}, run once
	 * per report
	 */
	StormResult storm(StormScenario scenario, Policy policy, int processes) {
		String key = scenario.name() + '|' + processes + '|' + policy.name();
		StormResult result = storms.get(key);
		if (result == null) {
			result = StormSimulation.run(scenario.withProcesses(processes), policy, seed);
			storms.put(key, result);
		}
		return result;
	}

	/** The library's defaults (growing open period). */
	static Policy defaults() {
		return OurPolicies.defaults();
	}

	/** The defaults with the breaker of the SPEC: open 30 s, fixed. */
	static Policy formerDefault() {
		return OurPolicies.of(OurPolicies.DEFAULT_FLOOR, FORMER_DEFAULT);
	}

	/**
	 * The defaults with breakers that also open on the fleet's outcomes: one policy per
	 * {@link #FLEET_SYNCS}, and at the default interval one with the SPEC's
	 * {@value #FORMER_PROBES} probes per round and one whose processes exchange on schedule
	 * only, without the early exchanges after failed calls and probes.
	 */
	static List<Policy> fleetBreakers() {
		List<Policy> policies = new ArrayList<>();
		for (Duration sync : FLEET_SYNCS) {
			policies.add(OurPolicies.fleetBreaker(sync));
		}
		Duration standard = FLEET_SYNCS.get(FLEET_SYNCS.size() - 1);
		policies.add(OurPolicies.fleetBreaker(standard, THREE_PROBES, OurPolicies.probesName(THREE_PROBES)));
		policies.add(OurPolicies.fleetBreaker(standard, CircuitBreakerConfig.defaults(), "", false));
		return policies;
	}

	/** The defaults with an open period growing up to 30 s. */
	static Policy longGrowth() {
		return OurPolicies.of(OurPolicies.DEFAULT_FLOOR, LONG_GROWTH);
	}

	void write(int section) throws IOException {
		double clients = shortTrigger.clients();
		double rate = shortTrigger.ratePerSecond();
		RetryBudgetConfig budget = RetryBudgetConfig.defaults();
		markdown.line("## " + section + ". Caller processes, the budget's floor and the breaker's open period");
		markdown.line();
		CircuitBreakerConfig breakerDefaults = CircuitBreakerConfig.defaults();
		double window = budget.window().toSeconds();
		double perClient = rate / clients;
		double earned = budget.ratio() * perClient * window;
		markdown.line("The library keeps one retry budget and one circuit breaker per instance name **per process**. "
				+ "A budget earns `ratio` = " + budget.ratio() + " token per first attempt over a "
				+ budget.window().toSeconds() + " s window, and while its retries work it never allows fewer than "
				+ "`min-retries-per-second` x window retries per window (the floor, a minimum, not an addition: "
				+ "max(floor x window, ratio x first attempts) tokens; default " + OurPolicies.DEFAULT_FLOOR
				+ "/s, so " + (int) (OurPolicies.DEFAULT_FLOOR * window) + " tokens). The tokens are spent at a bounded "
				+ "pace: in each tenth of the window at most twice that tenth's share of them, or the ratio of the "
				+ "tenth's own first attempts if more, or, while the floor holds, the retries of one call. A call "
				+ "that fails although it retried suspends the floor, and the process's next successful attempt restores it; while it is "
				+ "suspended only what the ratio earns counts. With " + String.format(Locale.ROOT, "%,d", (int) clients)
				+ " processes of one client each, every budget sees " + number(perClient, 1) + " requests/s: it earns "
				+ number(earned, 1) + " token per window"
				+ ((earned < 1) ? ", on average less than one retry, so nearly all its retries come from its floor" : "")
				+ "; every breaker must record " + breakerDefaults.minimumCalls() + " attempts before it may open, "
				+ number(breakerDefaults.minimumCalls() / perClient, 0) + " s of one client's requests without "
				+ "retries, so it opens late, on stale windows. In a real deployment a process serves many "
				+ "requests: with " + manyClientsRates() + ". A breaker can also open on the whole fleet's outcomes "
				+ "(the core's `CircuitBreakerFleet`, the rows `fleet breaker, sync ...`, not a default): with "
				+ String.format(Locale.ROOT, "%,d", PROCESSES[0]) + " processes " + fleetSummary(PROCESSES[0])
				+ " (last finding).");
		markdown.line();
		CircuitBreakerConfig breaker = CircuitBreakerConfig.defaults();
		markdown.line("Each cell: recovery to 95% goodput after the trigger's end, then the peak load (attempts at "
				+ "the origin per offered request, highest whole second). Bold: never recovered (metastable). "
				+ "Defaults: floor " + OurPolicies.DEFAULT_FLOOR + ", breaker open "
				+ OurPolicies.openPeriodDescription(breaker) + " (`open-duration` "
				+ OurPolicies.seconds(breaker.openDuration()) + ", `open-duration-multiplier` "
				+ breaker.openDurationMultiplier() + ", `max-open-duration` "
				+ OurPolicies.seconds(breaker.maxOpenDuration()) + "). The rows named `open ...` change only the "
				+ "open period, and those named `window ...` only the breaker's sliding window ("
				+ OurPolicies.windowDescription(CircuitBreakerConfig.defaults()) + " by default), at the default "
				+ "floor; they are settings users can choose, not defaults; those named `... in a row` or "
				+ "`no row` change only the consecutive-failure threshold (default "
				+ CircuitBreakerConfig.defaults().consecutiveFailureThreshold() + "), and those named `... half-open "
				+ "calls` only the probes let through when the open period ends (default "
				+ CircuitBreakerConfig.defaults().halfOpenCalls() + "). `" + formerLabel()
				+ "` is the SPEC's breaker: a fixed 30 s open period, no consecutive-failure trip and "
				+ FORMER_PROBES + " probes a round.");
		markdown.line();
		for (StormScenario scenario : List.of(shortTrigger, longTrigger)) {
			writeMatrix(scenario);
		}
		outage.write();
		writeFindings();
	}

	/**
	 * @return {@code recovery after the 1 s trigger goes from 25.5 s with the defaults to 6.5 s
	 * (sync 1 s) and 1.5 s (sync 0.25 s), ...}
	 */
	private String fleetSummary(int processes) {
		List<String> parts = new ArrayList<>();
		for (StormScenario scenario : List.of(shortTrigger, longTrigger)) {
			List<String> fleets = new ArrayList<>();
			for (Policy fleet : fleetBreakers()) {
				fleets.add(recovery(storm(scenario, fleet, processes).recoverySeconds()) + " (" + syncLabel(fleet)
						+ ")");
			}
			parts.add("after the " + OurPolicies.seconds(scenario.slowdown().duration()) + " trigger goes from "
					+ recovery(storm(scenario, defaults(), processes).recoverySeconds()) + " to "
					+ StormReport.and(fleets));
		}
		return "recovery " + String.join(", ", parts) + "; the full-outage load from "
				+ times(outage.load(defaults(), processes)) + " to " + fleetOutages(processes);
	}

	/** @return {@code 0.86x (sync 1 s) and 0.86x (sync 0.25 s)} */
	private String fleetOutages(int processes) {
		List<String> loads = new ArrayList<>();
		for (Policy fleet : fleetBreakers()) {
			loads.add(times(outage.load(fleet, processes)) + " (" + syncLabel(fleet) + ")");
		}
		return StormReport.and(loads);
	}

	/** @return {@code sync 1 s}: what tells a fleet breaker's rows apart */
	private static String syncLabel(Policy fleet) {
		String label = label(fleet);
		return label.substring(label.indexOf("sync"));
	}

	/** @return {@code 20 or 10 caller processes each budget and breaker sees 20 or 40 requests/s} */
	private String manyClientsRates() {
		List<String> counts = new ArrayList<>();
		List<String> rates = new ArrayList<>();
		for (int processes : StormReport.PROCESS_MODELS) {
			if (processes < shortTrigger.clients()) {
				counts.add(Integer.toString(processes));
				rates.add(number(shortTrigger.ratePerSecond() / processes, 0));
			}
		}
		return String.join(" or ", counts) + " caller processes each budget and breaker sees "
				+ String.join(" or ", rates) + " requests/s";
	}

	private void writeMatrix(StormScenario scenario) {
		long trigger = scenario.slowdown().duration().toSeconds();
		StormResult none = storm(scenario, Policies.noRetry(), scenario.clients());
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
				StormResult result = storm(scenario, policy, processes);
				row.append(' ').append(recovery(result.recoverySeconds())).append(" / ")
					.append(times(result.peakAmplification())).append(" |");
			}
			markdown.line(row.toString());
		}
		markdown.line();
	}

	private static List<Policy> matrixPolicies() {
		List<Policy> policies = new ArrayList<>();
		for (CircuitBreakerConfig breaker : new CircuitBreakerConfig[] { CircuitBreakerConfig.defaults(), null }) {
			for (int floor : FLOORS) {
				policies.add(OurPolicies.of(floor, breaker));
				if (breaker != null && floor == OurPolicies.DEFAULT_FLOOR) {
					policies.addAll(fleetBreakers());
				}
			}
		}
		for (CircuitBreakerConfig breaker : OPEN_VARIANTS) {
			policies.add(OurPolicies.of(OurPolicies.DEFAULT_FLOOR, breaker));
		}
		for (CircuitBreakerConfig breaker : WINDOW_VARIANTS) {
			policies.add(OurPolicies.of(OurPolicies.DEFAULT_FLOOR, breaker));
		}
		policies.addAll(probeVariants());
		return policies;
	}

	private void writeFindings() {
		markdown.line("What the tables show:");
		markdown.line();
		markdown.line(tinyCallersFinding());
		markdown.line(openPeriodFinding());
		markdown.line(growthFinding());
		markdown.line(rowFinding());
		markdown.line(windowFinding());
		markdown.line(probeFinding());
		markdown.line(floorWithoutBreakerFinding());
		markdown.line(peakFinding());
		markdown.line(fleetFinding());
		markdown.line(earlyExchangeFinding());
		markdown.line();
	}

	private String tinyCallersFinding() {
		RetryBudgetConfig budget = RetryBudgetConfig.defaults();
		int tiniest = PROCESSES[0];
		double perProcess = shortTrigger.ratePerSecond() / tiniest;
		double earned = budget.ratio() * perProcess * budget.window().toSeconds();
		int maxAttempts = RetryConfig.defaults().maxAttempts();
		Policy defaults = defaults();
		Policy floorZero = OurPolicies.of(0, CircuitBreakerConfig.defaults());
		List<StormScenario> scenarios = List.of(shortTrigger, longTrigger);
		List<String> costs = new ArrayList<>();
		boolean costsRecovery = true;
		for (StormScenario scenario : scenarios) {
			double cost = seconds(storm(scenario, defaults, tiniest)) - seconds(storm(scenario, floorZero, tiniest));
			costsRecovery &= cost > 0 && Double.isFinite(cost);
			costs.add(number(cost, 1) + " s");
		}
		StringBuilder text = new StringBuilder("- **One client per process: the floor's retries before its suspension"
				+ (costsRecovery ? " cost " + String.join(" and ", costs) + " of recovery.** " : ".** ")
				+ "A process of " + number(perProcess, 1) + " requests/s earns " + number(earned, 1)
				+ " token a window, so with floor 0 it " + ((earned < 1) ? "seldom retries" : "retries what it earns")
				+ ": floor 0 with the default breaker recovers in " + both(scenarios, floorZero, tiniest, false)
				+ ", peak "
				+ both(scenarios, floorZero, tiniest, true) + ", against "
				+ both(scenarios, Policies.noRetry(), shortTrigger.clients(), false) + " with no retry at all. With a "
				+ "floor, its retries depend on how soon it learns that they fail. In the full outage an attempt "
				+ "fails in " + FullOutageStudy.millis(BrookerValidation.LATENCY) + ", so its first call that retried "
				+ "fails within a fraction of a second and suspends the floor: the default floor costs "
				+ number(outage.floorRetriesPerProcess(OurPolicies.DEFAULT_FLOOR, tiniest), 1)
				+ " retries per process over the run (" + times(outage.load(OurPolicies.of(OurPolicies.DEFAULT_FLOOR,
						null), tiniest))
				+ " against " + times(outage.load(OurPolicies.of(0, null), tiniest)) + " with floor 0, no breaker). In "
				+ "the storms an attempt fails only at its " + OurPolicies.seconds(shortTrigger.timeout())
				+ " time-out, so a failing call gives up at least "
				+ OurPolicies.seconds(shortTrigger.timeout().multipliedBy(maxAttempts)) + " after it started, and "
				+ "every call the process starts meanwhile retries on the floor too: the default floor makes "
				+ extraRetries(scenarios, OurPolicies.DEFAULT_FLOOR, tiniest) + " more retries per process than floor 0 "
				+ "in the " + triggers(scenarios) + " storms ("
				+ (extraRetries(scenarios, 10, tiniest).equals(extraRetries(scenarios, OurPolicies.DEFAULT_FLOOR,
						tiniest)) ? "as many with floor 10" : "floor 10: " + extraRetries(scenarios, 10, tiniest))
				+ "), and with it the load peaks at "
				+ both(scenarios, defaults, tiniest, true) + " and the fleet recovers in "
				+ both(scenarios, defaults, tiniest, false) + " (without breakers: "
				+ both(scenarios, OurPolicies.of(OurPolicies.DEFAULT_FLOOR, null), tiniest, false) + ").");
		if (earned < 1) {
			text.append(" Per-process budgets cannot bound the first retries of a fleet of tiny callers; floor 0 does, "
					+ "but then such a process almost never retries a sporadic failure either, the very case the "
					+ "floor exists for.");
		}
		List<String> shared = new ArrayList<>();
		boolean lower = true;
		for (Policy fleet : fleetBreakers()) {
			shared.add(both(scenarios, fleet, tiniest, true) + " with `" + syncLabel(fleet) + "`");
			for (StormScenario scenario : scenarios) {
				lower &= storm(scenario, fleet, tiniest).peakAmplification() < storm(scenario, defaults, tiniest)
					.peakAmplification();
			}
		}
		text.append(lower ? " Breakers that open on the fleet's outcomes refuse more of those retries: the peaks are "
				: " With breakers that open on the fleet's outcomes the peaks are ")
			.append(StormReport.and(shared))
			.append(" (last finding).");
		return text.toString();
	}

	/** @return {@code 2.6 s and 34.0 s}: recoveries, or peaks, of a policy in the scenarios */
	private String both(List<StormScenario> scenarios, Policy policy, int processes, boolean peak) {
		List<String> values = new ArrayList<>();
		for (StormScenario scenario : scenarios) {
			StormResult result = storm(scenario, policy, processes);
			values.add(peak ? times(result.peakAmplification()) : recovery(result.recoverySeconds()));
		}
		return String.join(" and ", values);
	}

	/** @return {@code 3.4 and 3.3}: retries per process a floor adds to floor 0's, with the default breaker */
	private String extraRetries(List<StormScenario> scenarios, int floor, int processes) {
		List<String> values = new ArrayList<>();
		for (StormScenario scenario : scenarios) {
			long with = retries(storm(scenario, OurPolicies.of(floor, CircuitBreakerConfig.defaults()), processes));
			long without = retries(storm(scenario, OurPolicies.of(0, CircuitBreakerConfig.defaults()), processes));
			values.add(number((double) (with - without) / processes, 1));
		}
		return String.join(" and ", values);
	}

	/**
	 * @return the retries a one-layer policy's budget granted in a run: every attempt made,
	 * sent or refused by the breaker, beyond the first attempts
	 */
	private static long retries(StormResult result) {
		Recorder recorder = result.recorder();
		return recorder.total(Recorder.Series.ORIGIN_ATTEMPTS) + recorder.total(Recorder.Series.REJECTED)
				- recorder.total(Recorder.Series.OFFERED);
	}

	/** @return {@code 1 s and 10 s} */
	private static String triggers(List<StormScenario> scenarios) {
		List<String> values = new ArrayList<>();
		for (StormScenario scenario : scenarios) {
			values.add(OurPolicies.seconds(scenario.slowdown().duration()));
		}
		return String.join(" and ", values);
	}

	/** @return the recovery in seconds, infinite when the run never recovered */
	private static double seconds(StormResult result) {
		OptionalDouble seconds = result.recoverySeconds();
		return seconds.isPresent() ? seconds.getAsDouble() : Double.POSITIVE_INFINITY;
	}

	private String openPeriodFinding() {
		Policy defaults = defaults();
		Policy former = formerDefault();
		Policy oneSecond = OurPolicies.of(OurPolicies.DEFAULT_FLOOR, ONE_SECOND_FIXED);
		StringBuilder text = new StringBuilder("- **Processes serving many clients: how soon the breaker opens and its "
				+ "open period decide recovery.** A slowdown fills each breaker's window with time-outs within "
				+ "seconds, or a row of them opens it sooner (next finding); the breaker "
				+ "opens and refuses every call until a round of probes passes, so recovery follows the open period "
				+ "in force when the slowdown ends (section 2 and 3 charts: goodput is zero while the breakers are "
				+ "open). With " + processRange(MANY_CLIENTS) + " processes, `" + formerLabel()
				+ "` (the SPEC's default) recovers in " + recoveries(former, shortTrigger, MANY_CLIENTS)
				+ " after the 1 s trigger and " + recoveries(former, longTrigger, MANY_CLIENTS)
				+ " after the 10 s trigger; the defaults in " + recoveries(defaults, shortTrigger, MANY_CLIENTS)
				+ " and " + recoveries(defaults, longTrigger, MANY_CLIENTS) + ". `"
				+ OurPolicies.openPeriodName(ONE_SECOND_FIXED) + "` recovers in "
				+ recoveries(oneSecond, shortTrigger, MANY_CLIENTS) + " and "
				+ recoveries(oneSecond, longTrigger, MANY_CLIENTS) + ", but probes a dead dependency every second: ");
		boolean metastable = storm(shortTrigger, oneSecond, 1000).metastable()
				|| storm(longTrigger, oneSecond, 1000).metastable();
		if (metastable) {
			text.append("with 1,000 single-client processes it stays **metastable**");
		}
		else {
			text.append("with 1,000 single-client processes it recovers in ")
				.append(recovery(storm(shortTrigger, oneSecond, 1000).recoverySeconds()))
				.append(" and ")
				.append(recovery(storm(longTrigger, oneSecond, 1000).recoverySeconds()))
				.append(" (the defaults ")
				.append(recovery(storm(shortTrigger, defaults, 1000).recoverySeconds()))
				.append(" and ")
				.append(recovery(storm(longTrigger, defaults, 1000).recoverySeconds()))
				.append(')');
		}
		text.append(", and in the full outage it sends ")
			.append(outages(oneSecond))
			.append(" (the defaults ")
			.append(outages(defaults))
			.append("; `")
			.append(formerLabel())
			.append("` ")
			.append(outages(former))
			.append("). At ")
			.append(processRange(LARGEST))
			.append(" processes the floor changes the defaults' recovery by at most ")
			.append(number(floorSpread(LARGEST), 1))
			.append(" s.");
		return text.toString();
	}

	private String growthFinding() {
		CircuitBreakerConfig breaker = CircuitBreakerConfig.defaults();
		Duration slowdown = longTrigger.slowdown().duration();
		Policy longer = longGrowth();
		boolean slower = true;
		for (int processes : MANY_CLIENTS) {
			slower &= seconds(storm(longTrigger, longer, processes)) > seconds(
					storm(longTrigger, defaults(), processes));
		}
		return "- **" + (slower ? "The longest open period decides how long a longer slowdown lingers."
				: "The longest open period.") + "** A breaker whose rounds of probes all fail is, "
				+ slowdown.toSeconds() + " s after it first opened (the length of the long slowdown), in a period of "
				+ OurPolicies.seconds(periodInForce(LONG_GROWTH, slowdown)) + " when the defaults' growth goes on "
				+ "to " + OurPolicies.seconds(LONG_GROWTH.maxOpenDuration()) + " (`"
				+ OurPolicies.openPeriodName(LONG_GROWTH) + "`), against "
				+ OurPolicies.seconds(periodInForce(breaker, slowdown)) + " with the defaults' maximum of "
				+ OurPolicies.seconds(breaker.maxOpenDuration()) + "; with " + processRange(MANY_CLIENTS)
				+ " processes the first recovers in " + recoveries(longer, longTrigger, MANY_CLIENTS)
				+ " after the " + slowdown.toSeconds() + " s trigger, the defaults in "
				+ recoveries(defaults(), longTrigger, MANY_CLIENTS) + ". The price of the short maximum is probing "
				+ "a dead dependency more often: after " + roundsToReach(breaker) + " rounds of probes in its first "
				+ OurPolicies.seconds(timeToReach(breaker)) + " a breaker with the defaults probes every "
				+ OurPolicies.seconds(breaker.maxOpenDuration()) + ", where `" + OurPolicies.openPeriodName(LONG_GROWTH)
				+ "` reaches " + OurPolicies.seconds(LONG_GROWTH.maxOpenDuration()) + " after "
				+ roundsToReach(LONG_GROWTH) + " rounds in " + OurPolicies.seconds(timeToReach(LONG_GROWTH))
				+ "; in the full outage the defaults send " + outages(defaults()) + ", `"
				+ OurPolicies.openPeriodName(LONG_GROWTH) + "` " + outages(longer) + ".";
	}

	private String rowFinding() {
		CircuitBreakerConfig defaults = CircuitBreakerConfig.defaults();
		Policy noRow = OurPolicies.of(OurPolicies.DEFAULT_FLOOR, OurPolicies.inARow(defaults, 0));
		Policy five = OurPolicies.of(OurPolicies.DEFAULT_FLOOR, OurPolicies.inARow(defaults, 5));
		Policy twenty = OurPolicies.of(OurPolicies.DEFAULT_FLOOR, OurPolicies.inARow(defaults, 20));
		int threshold = defaults.consecutiveFailureThreshold();
		double peakRow = 0;
		double peakNoRow = 0;
		for (int processes : LARGEST) {
			peakRow = Math.max(peakRow, storm(shortTrigger, defaults(), processes).peakAmplification());
			peakNoRow = Math.max(peakNoRow, storm(shortTrigger, noRow, processes).peakAmplification());
		}
		boolean sooner = true;
		for (int processes : MANY_CLIENTS) {
			sooner &= seconds(storm(shortTrigger, defaults(), processes)) < seconds(
					storm(shortTrigger, noRow, processes));
		}
		return "- **" + (sooner ? "Failures in a row open the breaker before its window trips"
				: "Failures in a row") + ".** With " + processRange(MANY_CLIENTS) + " processes the defaults open "
				+ "after " + threshold + " failures in a row (`consecutive-failure-threshold`) instead of waiting for half of "
				+ "a " + defaults.slidingWindowSize() + "-call window: after the 1 s trigger they recover in "
				+ recoveries(defaults(), shortTrigger, MANY_CLIENTS) + " against "
				+ recoveries(noRow, shortTrigger, MANY_CLIENTS) + " without the row (`no row`), and the first "
				+ "second peaks at " + times(peakRow) + " against " + times(peakNoRow) + " with "
				+ processRange(LARGEST) + " processes; after the 10 s trigger "
				+ recoveries(defaults(), longTrigger, MANY_CLIENTS) + " against "
				+ recoveries(noRow, longTrigger, MANY_CLIENTS) + ". A shorter row is faster (`5 in a row`: "
				+ recoveries(five, shortTrigger, MANY_CLIENTS) + "), a longer one slower (`20 in a row`: "
				+ recoveries(twenty, shortTrigger, MANY_CLIENTS) + "). Independent failures seldom line up: with "
				+ number(BACKGROUND_FAILURES * 100, 0) + "% of calls failing, a given call ends a row of "
				+ threshold + " with probability " + scientific(Math.pow(BACKGROUND_FAILURES, threshold))
				+ " (a row of 5: " + scientific(Math.pow(BACKGROUND_FAILURES, 5)) + ").";
	}

	private String probeFinding() {
		CircuitBreakerConfig defaults = CircuitBreakerConfig.defaults();
		Policy three = probeVariants().get(0);
		boolean faster = true;
		for (StormScenario scenario : List.of(shortTrigger, longTrigger)) {
			for (int processes : MANY_CLIENTS) {
				faster &= seconds(storm(scenario, defaults(), processes)) <= seconds(storm(scenario, three, processes));
			}
		}
		double threshold = defaults.failureRateThreshold() / 100.0;
		String threeName = OurPolicies.probesName(THREE_PROBES);
		String perRound = OurPolicies.probesPerRound(defaults);
		return "- **" + Character.toUpperCase(perRound.charAt(0)) + perRound.substring(1) + " a round"
				+ (faster ? " recovers sooner than " + FORMER_PROBES : " against " + FORMER_PROBES) + "** (`"
				+ threeName + "` is the SPEC's `half-open-calls`, not a default). A breaker that opened lets "
				+ perRound + " through when its open period ends. After the 10 s trigger, with "
				+ processRange(MANY_CLIENTS) + " processes, the defaults recover in " + recoveries(defaults(), longTrigger, MANY_CLIENTS)
				+ " against " + recoveries(three, longTrigger, MANY_CLIENTS) + " with `" + threeName
				+ "`; after the 1 s trigger " + recoveries(defaults(), shortTrigger, MANY_CLIENTS) + " against "
				+ recoveries(three, shortTrigger, MANY_CLIENTS) + "; with " + processes(PROCESSES[0]) + " "
				+ both(List.of(shortTrigger, longTrigger), defaults(), PROCESSES[0], false) + " against "
				+ both(List.of(shortTrigger, longTrigger), three, PROCESSES[0], false) + ". While the dependency "
				+ "is slow every probe waits for its time-out and the round's verdict for its last probe, and "
				+ "every process's probes join the origin's queue: with " + FORMER_PROBES + " a round, "
				+ processes(MANY_CLIENTS[0]) + " probing once every "
				+ OurPolicies.seconds(defaults.maxOpenDuration()) + " (the longest open period) send "
				+ number((double) MANY_CLIENTS[0] * FORMER_PROBES / defaults.maxOpenDuration().toSeconds(), 0)
				+ " requests/s, more than the slowed origin serves (" + number(slowedCapacity(), 0)
				+ "/s). In the full outage the defaults send " + outageLoads(defaults()) + " against "
				+ outageLoads(three) + " with `" + threeName + "` (" + processRange(MANY_CLIENTS) + " processes). "
				+ "A round of " + FORMER_PROBES + " at the " + number(threshold * 100, 0) + "% threshold "
				+ "judges a partly failing dependency little better than one probe: with 60% of calls failing it "
				+ "closes with probability " + number(closeProbability(FORMER_PROBES, threshold, 0.6), 2)
				+ " against " + number(closeProbability(1, threshold, 0.6), 2) + ", and with "
				+ number(BACKGROUND_FAILURES * 100, 0) + "% failing it stays open with probability "
				+ number(1 - closeProbability(FORMER_PROBES, threshold, BACKGROUND_FAILURES), 3) + " against "
				+ number(1 - closeProbability(1, threshold, BACKGROUND_FAILURES), 3)
				+ ", costing one more open period.";
	}

	/** @return {@code 0.32x, 0.08x and 0.04x}: a policy's full-outage loads over {@link #MANY_CLIENTS} */
	private String outageLoads(Policy policy) {
		List<String> loads = new ArrayList<>();
		for (int processes : MANY_CLIENTS) {
			loads.add(times(outage.load(policy, processes)));
		}
		return StormReport.and(loads);
	}

	/** @return what the origin serves per second while its dependency is slow */
	private double slowedCapacity() {
		return shortTrigger.capacityPerSecond() / shortTrigger.slowdown().factor();
	}

	/**
	 * @param probes probes in a round
	 * @param threshold the failure share at or above which the round fails
	 * @param failing the probability that one probe fails, independently
	 * @return the probability that the round passes and the breaker closes
	 */
	static double closeProbability(int probes, double threshold, double failing) {
		double passes = 0;
		for (int failed = 0; failed <= probes; failed++) {
			if ((double) failed / probes < threshold) {
				passes += Math.exp(logChoose(probes, failed)) * Math.pow(failing, failed)
						* Math.pow(1 - failing, probes - failed);
			}
		}
		return passes;
	}

	private String windowFinding() {
		CircuitBreakerConfig defaults = CircuitBreakerConfig.defaults();
		Policy shortWindow = OurPolicies.of(OurPolicies.DEFAULT_FLOOR, SHORT_WINDOW);
		List<Integer> meets = new ArrayList<>();
		for (int processes : MANY_CLIENTS) {
			if (seconds(storm(shortTrigger, shortWindow, processes)) <= TARGET_RECOVERY_SECONDS) {
				meets.add(processes);
			}
		}
		double peakShort = 0;
		double peakDefaults = 0;
		for (int processes : LARGEST) {
			peakShort = Math.max(peakShort, storm(shortTrigger, shortWindow, processes).peakAmplification());
			peakDefaults = Math.max(peakDefaults, storm(shortTrigger, defaults(), processes).peakAmplification());
		}
		boolean sooner = true;
		for (int processes : MANY_CLIENTS) {
			sooner &= seconds(storm(shortTrigger, shortWindow, processes)) < seconds(
					storm(shortTrigger, defaults(), processes));
		}
		String shortName = OurPolicies.windowName(SHORT_WINDOW);
		return "- **" + (sooner ? "A shorter window trips sooner" : "The window's length") + "** (not a default: `"
				+ shortName + "` sets `sliding-window-size` " + SHORT_WINDOW.slidingWindowSize()
				+ " and `minimum-calls` " + SHORT_WINDOW.minimumCalls() + "). After the 1 s trigger, with "
				+ processRange(MANY_CLIENTS) + " processes, it recovers in "
				+ recoveries(shortWindow, shortTrigger, MANY_CLIENTS) + " against "
				+ recoveries(defaults(), shortTrigger, MANY_CLIENTS) + " with the defaults' "
				+ defaults.slidingWindowSize() + "-call window, and the first second peaks at " + times(peakShort)
				+ " against " + times(peakDefaults) + " with " + processRange(LARGEST) + " processes"
				+ (meets.isEmpty() ? "; it meets the 2 s target at none of them"
						: "; it meets the 2 s target with " + list(meets) + " processes")
				+ ". After the 10 s trigger: " + recoveries(shortWindow, longTrigger, MANY_CLIENTS) + " against "
				+ recoveries(defaults(), longTrigger, MANY_CLIENTS) + ". The price is sensitivity to background "
				+ "failures: with " + number(BACKGROUND_FAILURES * 100, 0) + "% of calls failing independently, a "
				+ "full window reaches the " + number(defaults.failureRateThreshold(), 0) + "% threshold with "
				+ "probability " + scientific(windowTripProbability(SHORT_WINDOW.slidingWindowSize(),
						defaults.failureRateThreshold()))
				+ " with " + SHORT_WINDOW.slidingWindowSize() + " calls, against "
				+ scientific(windowTripProbability(defaults.slidingWindowSize(), defaults.failureRateThreshold()))
				+ " with " + defaults.slidingWindowSize() + " (binomial tail), which is why the defaults keep "
				+ "the longer window.";
	}

	/**
	 * @return the probability that {@code size} independent calls failing with
	 * {@link #BACKGROUND_FAILURES} hold at least {@code thresholdPercent} failures
	 */
	static double windowTripProbability(int size, double thresholdPercent) {
		int needed = (int) Math.ceil(size * thresholdPercent / 100);
		double p = BACKGROUND_FAILURES;
		double total = 0;
		for (int k = needed; k <= size; k++) {
			double logTerm = logChoose(size, k) + k * Math.log(p) + (size - k) * Math.log(1 - p);
			total += Math.exp(logTerm);
		}
		return total;
	}

	private static double logChoose(int n, int k) {
		double sum = 0;
		for (int i = 1; i <= k; i++) {
			sum += Math.log(n - k + i) - Math.log(i);
		}
		return sum;
	}

	private static String scientific(double value) {
		return String.format(java.util.Locale.ROOT, "%.1e", value);
	}

	private String floorWithoutBreakerFinding() {
		Policy floorTen = OurPolicies.of(10, null);
		Policy defaultFloor = OurPolicies.of(OurPolicies.DEFAULT_FLOOR, null);
		Policy floorZero = OurPolicies.of(0, null);
		double ratio = RetryBudgetConfig.defaults().ratio();
		// Cells of a floor above 0 without a breaker, split by whether the ratio earns at least
		// the floor: the largest gap in recovery to floor 0 in each part.
		double earnsFloor = 0;
		double exceedsRatio = 0;
		boolean exceedsNever = false;
		for (int floor : FLOORS) {
			if (floor == 0) {
				continue;
			}
			for (int processes : PROCESSES) {
				boolean earns = ratio * shortTrigger.ratePerSecond() / processes >= floor;
				for (StormScenario scenario : List.of(shortTrigger, longTrigger)) {
					double gap = seconds(storm(scenario, OurPolicies.of(floor, null), processes))
							- seconds(storm(scenario, floorZero, processes));
					if (earns) {
						earnsFloor = Math.max(earnsFloor, Math.abs(gap));
					}
					else if (Double.isInfinite(gap)) {
						exceedsNever = true;
					}
					else {
						exceedsRatio = Math.max(exceedsRatio, gap);
					}
				}
			}
		}
		boolean lengthens = exceedsNever || exceedsRatio > earnsFloor;
		StringBuilder text = new StringBuilder("- **" + (lengthens
				? "Without a breaker, a floor above what the ratio earns lengthens recovery.**"
				: "Without a breaker, the floor.**")
				+ " Metastable runs without a breaker: floor 10 " + metastableAt(floorTen) + "; the default floor of "
				+ OurPolicies.DEFAULT_FLOOR + " " + metastableAt(defaultFloor) + "; floor 0 " + metastableAt(floorZero)
				+ ". While its floor is in force a process may retry floor x window times a window whatever it "
				+ "earns, and it is in force until one of the process's calls that retried has failed, and again "
				+ "from its next success. Where a process's ratio earns at least the floor (floor f <= ratio x r), "
				+ "recovery is within " + number(earnsFloor, 1) + " s of floor 0's; where the floor is larger, up to "
				+ number(exceedsRatio, 1) + " s longer");
		text.append(exceedsNever ? ", or never." : ".");
		return text.toString();
	}

	private String peakFinding() {
		Policy floorZero = OurPolicies.of(0, CircuitBreakerConfig.defaults());
		double lowest = Double.MAX_VALUE;
		double highest = 0;
		for (StormScenario scenario : List.of(shortTrigger, longTrigger)) {
			for (int processes : LARGEST) {
				double peak = storm(scenario, floorZero, processes).peakAmplification();
				lowest = Math.min(lowest, peak);
				highest = Math.max(highest, peak);
			}
		}
		RetryBudgetConfig budget = RetryBudgetConfig.defaults();
		double onePeak = Math.max(storm(shortTrigger, floorZero, 1).peakAmplification(),
				storm(longTrigger, floorZero, 1).peakAmplification());
		return "- **With " + processRange(LARGEST) + " processes the first second after the trigger peaks at "
				+ range(lowest, highest, 2, "x") + " with floor 0**: a " + budget.window().toSeconds()
				+ " s window saves ratio x window = " + number(budget.ratio() * budget.window().toSeconds(), 0)
				+ " s of a process's traffic in tokens, but the budget spends them at most twice as fast as the "
				+ "ratio earns them (2 x ratio x r retries a second for a process of r requests/s), and the breaker "
				+ "opens within that second (one process, whose breaker opens first, peaks at " + times(onePeak)
				+ "). Averaged over a window, a process's load stays within 1 + max(ratio, floor / r), and within "
				+ "1 + ratio while its floor is suspended.";
	}

	private String fleetFinding() {
		Policy defaults = defaults();
		List<Policy> fleets = fleetBreakers();
		CircuitBreakerConfig breaker = CircuitBreakerConfig.defaults();
		int tiniest = PROCESSES[0];
		double perProcess = shortTrigger.ratePerSecond() / tiniest;
		boolean smallestMost = true;
		for (StormScenario scenario : List.of(shortTrigger, longTrigger)) {
			double most = seconds(storm(scenario, defaults, tiniest)) - seconds(storm(scenario, fleets.get(0), tiniest));
			for (int processes : PROCESSES) {
				smallestMost &= seconds(storm(scenario, defaults, processes))
						- seconds(storm(scenario, fleets.get(0), processes)) <= most;
			}
		}
		StringBuilder text = new StringBuilder("- **Breakers that open on the fleet's outcomes"
				+ (smallestMost ? " help most where the processes are smallest" : "") + "** (not a default: the "
				+ "core's `CircuitBreakerFleet`, one store for all processes, rows `fleet breaker, sync ...`). Each "
				+ "process keeps its own budget and breaker and adds its breaker's outcomes to the store at every "
				+ "exchange, and a failed call or a probe brings its process's next exchange forward (next "
				+ "finding; `" + OurPolicies.ON_SCHEDULE_ONLY + "` without); a closed breaker opens at its "
				+ "process's exchange when the fleet's recent outcomes reach its own thresholds (modelling notes). "
				+ "Recovery / peak at "
				+ processCounts() + " processes:");
		for (StormScenario scenario : List.of(shortTrigger, longTrigger)) {
			text.append(" after the ").append(OurPolicies.seconds(scenario.slowdown().duration())).append(" trigger");
			for (Policy fleet : fleets) {
				text.append(", `").append(syncLabel(fleet)).append("` ").append(cells(fleet, scenario));
			}
			text.append(", the defaults ").append(cells(defaults, scenario)).append(';');
		}
		text.append(" full-outage load");
		for (Policy fleet : fleets) {
			text.append(", `").append(syncLabel(fleet)).append("` ").append(outageCells(fleet));
		}
		text.append(", the defaults ").append(outageCells(defaults)).append('.');
		int probes = breaker.halfOpenCalls();
		Policy standard = standardFleet();
		text.append(" The fleet opens a half-open breaker again too, when the fleet's calls since it went half-open "
				+ "trip (its probes would take a process of ")
			.append(number(perProcess, 1))
			.append(" requests/s ")
			.append(number(probes / perProcess, 1))
			.append(" s to send), and every outcome counts in the bucket its call started in, so the time-outs of "
					+ "calls from before a state change do not count after it. The fleet also shares the probing: "
					+ "it holds the breakers it opened while a few processes probe (at least a quarter of the fleet "
					+ "in the first round, then about one process per exchange, drawn in proportion to its part of "
					+ "the fleet's calls), closes them when the fleet's newest probes pass and opens the half-open "
					+ "ones again when they fail, so ")
			.append(String.format(Locale.ROOT, "%,d", tiniest))
			.append(" processes do not send the slow origin a round of probes each every few seconds, a backlog "
					+ "it would have to drain after the slowdown: after the ")
			.append(OurPolicies.seconds(longTrigger.slowdown().duration()))
			.append(" trigger `")
			.append(syncLabel(fleets.get(0)))
			.append("` recovers in ")
			.append(recovery(storm(longTrigger, fleets.get(0), tiniest).recoverySeconds()))
			.append(" and `")
			.append(syncLabel(standard))
			.append("` in ")
			.append(recovery(storm(longTrigger, standard, tiniest).recoverySeconds()))
			.append(" (the defaults: ")
			.append(recovery(storm(longTrigger, defaults, tiniest).recoverySeconds()))
			.append("). Holding costs the short trigger a little: the held processes wait for the probes' "
					+ "verdict, about two exchanges after the probes end, where every process probing at once "
					+ "would have let all the traffic through as soon as the origin was well again.");
		text.append(' ').append(worseThanDefaults(fleets));
		return text.toString();
	}

	/** @return the fleet breaker at the default interval, with the defaults otherwise */
	private static Policy standardFleet() {
		return fleetBreakers().get(FLEET_SYNCS.size() - 1);
	}

	/** @return the fleet breaker at the default interval whose processes exchange on schedule only */
	private static Policy onScheduleOnly() {
		List<Policy> fleets = fleetBreakers();
		return fleets.get(fleets.size() - 1);
	}

	/**
	 * @return how the early exchanges after failed calls change the fleet breaker at the
	 * default interval, at every process count of the matrix
	 */
	private String earlyExchangeFinding() {
		Policy early = standardFleet();
		Policy scheduled = onScheduleOnly();
		long gapMillis = CircuitBreakerFleet.earlyExchangeGap(CircuitBreakerFleet.DEFAULT_SYNC_INTERVAL).toMillis();
		StringBuilder text = new StringBuilder("- **Failed calls and probes exchange early.** With `"
				+ syncLabel(scheduled) + "` an outcome reaches the store at its process's next exchange and the "
				+ "other processes at theirs, up to two intervals after the call ended, and every call sent "
				+ "meanwhile joins the slow origin's queue. By default a failed or slow call, and every probe, "
				+ "brings its process's next exchange forward, to " + gapMillis
				+ " ms (a fifth of the interval) after the last one, at "
				+ "most " + CircuitBreakerFleet.EARLY_EXCHANGES_PER_INTERVAL + " times between two scheduled "
				+ "exchanges: the processes that see the time-outs add them at once and read the fleet's counts "
				+ "back in the same exchange, so they open as soon as those reach the thresholds, and a probe's "
				+ "verdict reaches the processes the fleet holds open at their next exchange. Recovery at ");
		text.append(processCounts()).append(" processes");
		for (StormScenario scenario : List.of(shortTrigger, longTrigger)) {
			text.append(scenario == shortTrigger ? ": after the " : "; after the ")
				.append(OurPolicies.seconds(scenario.slowdown().duration()))
				.append(" trigger ")
				.append(recoveryCells(early, scenario))
				.append(" against ")
				.append(recoveryCells(scheduled, scenario));
		}
		text.append("; full-outage load ")
			.append(outageCells(early))
			.append(" against ")
			.append(outageCells(scheduled))
			.append(". A process whose calls succeed exchanges on schedule only; one that sees failures in every "
					+ "interval at most ")
			.append(CircuitBreakerFleet.EARLY_EXCHANGES_PER_INTERVAL + 1)
			.append(" times an interval, which bounds what the store pays for it.");
		return text.toString();
	}

	/** @return {@code 1,000, 100, 20, 10 and 1}: the {@link #PROCESSES} */
	private static String processCounts() {
		List<String> counts = new ArrayList<>();
		for (int processes : PROCESSES) {
			counts.add(String.format(Locale.ROOT, "%,d", processes));
		}
		return StormReport.and(counts);
	}

	/** @return {@code 1.7 s, 1.8 s, ...}: recovery at each of {@link #PROCESSES} */
	private String recoveryCells(Policy policy, StormScenario scenario) {
		List<String> cells = new ArrayList<>();
		for (int processes : PROCESSES) {
			cells.add(recovery(storm(scenario, policy, processes).recoverySeconds()));
		}
		return String.join(", ", cells);
	}

	/** @return {@code 6.5 s / 1.74x, 2.7 s / 1.39x, ...}: recovery and peak at each of {@link #PROCESSES} */
	private String cells(Policy policy, StormScenario scenario) {
		List<String> cells = new ArrayList<>();
		for (int processes : PROCESSES) {
			StormResult result = storm(scenario, policy, processes);
			cells.add(recovery(result.recoverySeconds()) + " / " + times(result.peakAmplification()));
		}
		return String.join(", ", cells);
	}

	/** @return {@code 0.86x, 0.30x, ...}: full-outage loads at each of {@link #PROCESSES} */
	private String outageCells(Policy policy) {
		List<String> cells = new ArrayList<>();
		for (int processes : PROCESSES) {
			cells.add(times(outage.load(policy, processes)));
		}
		return String.join(", ", cells);
	}

	/** @return the cells, as the tables show them, where sharing the opening did worse than the defaults */
	private String worseThanDefaults(List<Policy> fleets) {
		Policy defaults = defaults();
		List<String> worse = new ArrayList<>();
		for (Policy fleet : fleets) {
			for (int processes : PROCESSES) {
				String where = "`" + syncLabel(fleet) + "` at " + processes(processes);
				for (StormScenario scenario : List.of(shortTrigger, longTrigger)) {
					String trigger = OurPolicies.seconds(scenario.slowdown().duration()) + " trigger";
					StormResult shared = storm(scenario, fleet, processes);
					StormResult own = storm(scenario, defaults, processes);
					String sharedRecovery = recovery(shared.recoverySeconds());
					String ownRecovery = recovery(own.recoverySeconds());
					if (seconds(shared) > seconds(own) && !sharedRecovery.equals(ownRecovery)) {
						worse.add(where + ", " + trigger + ": recovery " + sharedRecovery + " against " + ownRecovery);
					}
					if (shared.peakAmplification() > own.peakAmplification()
							&& !times(shared.peakAmplification()).equals(times(own.peakAmplification()))) {
						worse.add(where + ", " + trigger + ": peak " + times(shared.peakAmplification()) + " against "
								+ times(own.peakAmplification()));
					}
				}
				double sharedLoad = outage.load(fleet, processes);
				double ownLoad = outage.load(defaults, processes);
				if (sharedLoad > ownLoad && !times(sharedLoad).equals(times(ownLoad))) {
					worse.add(where + ", full outage: " + times(sharedLoad) + " against " + times(ownLoad));
				}
			}
		}
		if (worse.isEmpty()) {
			return "In no cell is it slower, nor its peak or full-outage load higher, than the defaults'.";
		}
		return "Where it does worse than the defaults: " + String.join("; ", worse) + ".";
	}

	/**
	 * @return the open period in force {@code elapsed} after a breaker first opened, if
	 * every round of probes until then failed, to a tenth of a second
	 */
	private static Duration periodInForce(CircuitBreakerConfig breaker, Duration elapsed) {
		Duration period = breaker.openDuration();
		Duration end = period;
		while (end.compareTo(elapsed) < 0) {
			period = grow(breaker, period);
			end = end.plus(period);
		}
		return tenths(period);
	}

	/** @return the rounds of probes a breaker that never closes makes before its period reaches the maximum */
	private static int roundsToReach(CircuitBreakerConfig breaker) {
		Duration period = breaker.openDuration();
		int rounds = 0;
		while (period.compareTo(breaker.maxOpenDuration()) < 0) {
			period = grow(breaker, period);
			rounds++;
		}
		return rounds;
	}

	/** @return how long a breaker that never closes stays open before its period reaches the maximum */
	private static Duration timeToReach(CircuitBreakerConfig breaker) {
		Duration period = breaker.openDuration();
		Duration total = Duration.ZERO;
		while (period.compareTo(breaker.maxOpenDuration()) < 0) {
			total = total.plus(period);
			period = grow(breaker, period);
		}
		return tenths(total);
	}

	private static Duration tenths(Duration duration) {
		return Duration.ofMillis(Math.round(duration.toNanos() / 1e8) * 100);
	}

	private static Duration grow(CircuitBreakerConfig breaker, Duration period) {
		Duration grown = Duration.ofNanos((long) (period.toNanos() * breaker.openDurationMultiplier()));
		return (grown.compareTo(breaker.maxOpenDuration()) > 0) ? breaker.maxOpenDuration() : grown;
	}

	/** @return the largest difference in recovery between the floors, defaults otherwise */
	private double floorSpread(int[] processCounts) {
		double spread = 0;
		for (StormScenario scenario : List.of(shortTrigger, longTrigger)) {
			for (int processes : processCounts) {
				double lowest = Double.MAX_VALUE;
				double highest = 0;
				for (int floor : FLOORS) {
					OptionalDouble seconds = storm(scenario, OurPolicies.of(floor, CircuitBreakerConfig.defaults()),
							processes)
						.recoverySeconds();
					double value = seconds.isPresent() ? seconds.getAsDouble() : Double.POSITIVE_INFINITY;
					lowest = Math.min(lowest, value);
					highest = Math.max(highest, value);
				}
				spread = Math.max(spread, highest - lowest);
			}
		}
		return spread;
	}

	/** @return where the policy stays metastable, by trigger: {@code at 1000 and 100 processes (1 s trigger) ...} */
	private String metastableAt(Policy policy) {
		boolean ever = false;
		for (int processes : PROCESSES) {
			ever |= storm(shortTrigger, policy, processes).metastable() || storm(longTrigger, policy, processes).metastable();
		}
		if (!ever) {
			return "never";
		}
		List<String> parts = new ArrayList<>();
		for (StormScenario scenario : List.of(shortTrigger, longTrigger)) {
			List<Integer> counts = new ArrayList<>();
			for (int processes : PROCESSES) {
				if (storm(scenario, policy, processes).metastable()) {
					counts.add(processes);
				}
			}
			parts.add((counts.isEmpty() ? "never" : "at " + list(counts) + " processes") + " ("
					+ scenario.slowdown().duration().toSeconds() + " s trigger)");
		}
		return String.join(", ", parts);
	}

	/** @return the recoveries of a policy over the process counts: {@code 3.4-4.9 s} */
	private String recoveries(Policy policy, StormScenario scenario, int[] processCounts) {
		double lowest = Double.MAX_VALUE;
		double highest = 0;
		List<Integer> never = new ArrayList<>();
		for (int processes : processCounts) {
			OptionalDouble seconds = storm(scenario, policy, processes).recoverySeconds();
			if (seconds.isEmpty()) {
				never.add(processes);
				continue;
			}
			lowest = Math.min(lowest, seconds.getAsDouble());
			highest = Math.max(highest, seconds.getAsDouble());
		}
		if (never.size() == processCounts.length) {
			return "**never**";
		}
		String text = range(lowest, highest, 1, " s");
		return never.isEmpty() ? text : text + " (**never** at " + list(never) + " processes)";
	}

	/** @return the full-outage loads of a policy with 1,000 and 100 processes */
	private String outages(Policy policy) {
		return times(outage.load(policy, 1000)) + " with 1,000 processes and " + times(outage.load(policy, 100))
				+ " with 100";
	}

	/** @return {@code 1.2 s}, or {@code 1.2-3.4 s} from the first to the second */
	private static String range(double from, double to, int decimals, String unit) {
		String first = number(from, decimals);
		String second = number(to, decimals);
		return first.equals(second) ? first + unit : first + "-" + second + unit;
	}

	private static String processRange(int[] processCounts) {
		int lowest = Integer.MAX_VALUE;
		int highest = 0;
		for (int processes : processCounts) {
			lowest = Math.min(lowest, processes);
			highest = Math.max(highest, processes);
		}
		return lowest + "-" + highest;
	}

	private static String list(List<Integer> counts) {
		List<String> names = new ArrayList<>();
		for (int count : counts) {
			names.add(String.format(Locale.ROOT, "%,d", count));
		}
		if (names.size() == 1) {
			return names.get(0);
		}
		return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
	}

	void writeTargets(int section) {
		markdown.line("## " + section + ". The library's targets, with its defaults");
		markdown.line();
		markdown.line("Targets from the issue: amplification at most " + times(TARGET_AMPLIFICATION)
				+ " in a full outage, back to 95% goodput within " + number(TARGET_RECOVERY_SECONDS, 0)
				+ " s of the trigger's end, never metastable, in set-ups where naive retries stay collapsed. The "
				+ "rows marked `" + formerLabel() + "` are the same with the SPEC's "
				+ "breaker, for comparison, and those marked `fleet breaker, sync ...` the defaults with breakers "
				+ "that also open on the whole fleet's outcomes (section 4); neither is the defaults.");
		markdown.line();
		StringBuilder header = new StringBuilder("| target |");
		StringBuilder rule = new StringBuilder("|---|");
		for (int processes : TARGET_PROCESSES) {
			header.append(' ').append(processes(processes)).append(" |");
			rule.append("---|");
		}
		markdown.line(header.toString());
		markdown.line(rule.toString());
		Policy defaults = defaults();
		Policy former = formerDefault();
		Policy budgetOnly = OurPolicies.of(OurPolicies.DEFAULT_FLOOR, null);
		String formerName = formerLabel();
		List<Object[]> compared = new ArrayList<>();
		compared.add(new Object[] { "defaults", defaults });
		for (Policy fleet : fleetBreakers()) {
			compared.add(new Object[] { label(fleet), fleet });
		}
		compared.add(new Object[] { formerName, former });
		List<Object[]> outageRows = new ArrayList<>(compared);
		outageRows.add(new Object[] { "budget alone, no breaker", budgetOnly });
		for (Object[] row : outageRows) {
			Policy policy = (Policy) row[1];
			StringBuilder line = new StringBuilder(
					"| full outage <= " + times(TARGET_AMPLIFICATION) + " (" + row[0] + ") |");
			for (int processes : TARGET_PROCESSES) {
				line.append(' ').append(verdict(outage.load(policy, processes), TARGET_AMPLIFICATION)).append(" |");
			}
			markdown.line(line.toString());
		}
		for (StormScenario scenario : List.of(shortTrigger, longTrigger)) {
			long trigger = scenario.slowdown().duration().toSeconds();
			for (Object[] named : compared) {
				StringBuilder row = new StringBuilder("| " + trigger + " s trigger: recovery <= "
						+ number(TARGET_RECOVERY_SECONDS, 0) + " s, never metastable (" + named[0] + ") |");
				for (int processes : TARGET_PROCESSES) {
					StormResult result = storm(scenario, (Policy) named[1], processes);
					row.append(' ').append(recovery(result.recoverySeconds()))
						.append(meetsRecovery(result) ? " met" : " **missed**")
						.append("; ")
						.append(result.metastable() ? "**metastable**" : "not metastable")
						.append(" |");
				}
				markdown.line(row.toString());
			}
		}
		markdown.line();
		int collapsed = 0;
		int naive = 0;
		for (Policy policy : Policies.all()) {
			if (policy.name().equals(Policies.noRetry().name())) {
				continue;
			}
			naive++;
			if (storm(shortTrigger, policy, shortTrigger.clients()).metastable()
					&& storm(longTrigger, policy, longTrigger.clients()).metastable()) {
				collapsed++;
			}
		}
		StormResult none = storm(shortTrigger, Policies.noRetry(), shortTrigger.clients());
		StringBuilder closing = new StringBuilder(String.format(Locale.ROOT, "In both storms %d of the %d retrying "
				+ "policies without the library stay collapsed, so both are set-ups the targets speak of. Even with "
				+ "no retry at all the origin needs %s after the 1 s trigger to drain its queue (it serves requests "
				+ "whose clients gave up)", collapsed, naive, recovery(none.recoverySeconds())));
		boolean noneMisses = !meetsRecovery(none);
		closing.append(noneMisses ? ", so the " + number(TARGET_RECOVERY_SECONDS, 0) + " s recovery target cannot "
				+ "be met there by a client-side policy that only reduces retries; only load the breakers refuse "
				+ "helps it drain faster (one process with the defaults: "
				+ recovery(storm(shortTrigger, defaults, 1).recoverySeconds()) + ")." : ".");
		Policy ideal = Policies.idealShedding();
		closing.append(" What refusing can do at best shows in `" + ideal.name() + "`, a bound no client can "
				+ "reach: every client refuses its calls, at once, from a time-out any client sees while the origin "
				+ "has a queue until that queue is empty; it recovers in "
				+ recovery(storm(shortTrigger, ideal, shortTrigger.clients()).recoverySeconds()) + " and "
				+ recovery(storm(longTrigger, ideal, longTrigger.clients()).recoverySeconds())
				+ " after the 1 s and 10 s triggers. Breakers learn later (a row of failures, or the fleet's "
				+ "exchanges) and let traffic back only when a probe has passed.");
		Policy perProcess = Policies.idealSheddingPerProcess();
		closing.append(" Each process knowing only its own calls, the same rule (`" + perProcess.name()
				+ "`: a process refuses its calls from its own first time-out while the origin has a queue) "
				+ "recovers in ")
			.append(recoveryCells(perProcess, shortTrigger))
			.append(" after the 1 s trigger and in ")
			.append(recoveryCells(perProcess, longTrigger))
			.append(" after the 10 s one, at ")
			.append(processCounts())
			.append(" processes: a process of few calls hears of a slowdown late from its own time-outs. "
					+ "Breakers that open on the first failure or two (`1 in a row`, `2 in a row`: they also open "
					+ "on every stray failure, so neither is a default) are in the next section beside it.");
		int met = 0;
		int cells = 0;
		for (StormScenario scenario : List.of(shortTrigger, longTrigger)) {
			for (int processes : TARGET_PROCESSES) {
				cells++;
				if (meetsRecovery(storm(scenario, defaults, processes))) {
					met++;
				}
			}
		}
		closing.append(" The defaults meet the recovery target in ")
			.append(met)
			.append(" of the ")
			.append(cells)
			.append(" storm cells above; with ")
			.append(processRange(MANY_CLIENTS))
			.append(" processes they take ")
			.append(recoveries(defaults, shortTrigger, MANY_CLIENTS))
			.append(" and ")
			.append(recoveries(defaults, longTrigger, MANY_CLIENTS))
			.append(" against ")
			.append(recoveries(former, shortTrigger, MANY_CLIENTS))
			.append(" and ")
			.append(recoveries(former, longTrigger, MANY_CLIENTS))
			.append(" with `")
			.append(formerName)
			.append("` (1 s and 10 s trigger).");
		List<String> fleetCells = new ArrayList<>();
		for (Policy fleet : fleetBreakers()) {
			fleetCells.add(targetCellsMet(fleet) + (fleetCells.isEmpty() ? " of the " + cells + " cells" : "")
					+ " with `" + label(fleet) + "`" + missedAt(fleet));
		}
		closing.append(" With breakers that open on the fleet's outcomes it is met in ")
			.append(StormReport.and(fleetCells))
			.append('.');
		double defaultsOutage = outage.load(defaults, 1000);
		double formerOutage = outage.load(former, 1000);
		if (defaultsOutage > TARGET_AMPLIFICATION && formerOutage <= TARGET_AMPLIFICATION) {
			closing.append(" The growing period costs the full-outage target with 1,000 single-client processes (")
				.append(times(defaultsOutage))
				.append(" against ")
				.append(times(formerOutage))
				.append("): each of those breakers sees one call every few seconds, opens late and is probed after "
						+ "short periods at first, so in the ")
				.append(FullOutageStudy.DURATION.toSeconds())
				.append(" s outage it lets more attempts through.");
		}
		closing.append(" These verdicts are those of the report's seed; the next section runs the same storm cells "
				+ "over ")
			.append(SeedStudy.SEEDS)
			.append(" seeds.");
		markdown.line(closing.toString());
		markdown.line();
	}

	/**
	 * Writes the target cells' recovery over several seeds, for the defaults and the
	 * fleet breakers.
	 */
	void writeSeeds(int section) {
		List<Policy> policies = new ArrayList<>();
		policies.add(Policies.idealSheddingPerProcess());
		policies.add(defaults());
		policies.addAll(shortRows());
		policies.addAll(probeVariants());
		policies.addAll(fleetBreakers());
		new SeedStudy(markdown, seed, TARGET_RECOVERY_SECONDS).write(section, List.of(shortTrigger, longTrigger),
				policies, List.of(Policies.noRetry(), Policies.idealShedding()), TARGET_PROCESSES);
	}

	/** @return how many of the targets' storm cells a policy meets the recovery target in */
	private int targetCellsMet(Policy policy) {
		int met = 0;
		for (StormScenario scenario : List.of(shortTrigger, longTrigger)) {
			for (int processes : TARGET_PROCESSES) {
				if (meetsRecovery(storm(scenario, policy, processes))) {
					met++;
				}
			}
		}
		return met;
	}

	/** @return {@code  (missed at 1,000 and 100 processes after the 1 s trigger, ...)}, or nothing */
	private String missedAt(Policy policy) {
		List<String> parts = new ArrayList<>();
		for (StormScenario scenario : List.of(shortTrigger, longTrigger)) {
			List<Integer> missed = new ArrayList<>();
			for (int processes : TARGET_PROCESSES) {
				if (!meetsRecovery(storm(scenario, policy, processes))) {
					missed.add(processes);
				}
			}
			if (!missed.isEmpty()) {
				parts.add("at " + list(missed) + " processes after the "
						+ OurPolicies.seconds(scenario.slowdown().duration()) + " trigger");
			}
		}
		return parts.isEmpty() ? "" : " (missed " + String.join(", ", parts) + ")";
	}

	private static boolean meetsRecovery(StormResult result) {
		return result.recoverySeconds().isPresent()
				&& result.recoverySeconds().getAsDouble() <= TARGET_RECOVERY_SECONDS;
	}

	static String processes(int count) {
		return count + ((count == 1) ? " process" : " processes");
	}

	private static String verdict(double load, double target) {
		return times(load) + ((load <= target) ? " met" : " **missed**");
	}

}

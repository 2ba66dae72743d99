package dev.resilience.benchmarks.sim;

import java.util.OptionalDouble;

import dev.resilience.benchmarks.sim.Recorder.Series;

/**
 * The outcome of one storm run and the measures the report compares.
 * <p>
 * Definitions, all from the recorded 100 ms buckets:
 * <ul>
 * <li>load amplification: attempts reaching the origin divided by logical requests
 * offered; the peak is the highest over whole seconds from the trigger's start, the mean
 * is over the whole span from the trigger's start to the end of the run;</li>
 * <li>goodput: logical requests answered in time divided by those offered, over the same
 * span, during the trigger and after it;</li>
 * <li>recovery: the first time after the trigger's end from which every
 * {@value #RECOVERY_WINDOW_SECONDS} s window has goodput of at least
 * {@value #RECOVERY_THRESHOLD} of the offered load until the end of the run, measured
 * from the trigger's end; a window this long hides the Poisson noise of single
 * seconds;</li>
 * <li>metastable: no such time exists, the run is still collapsed at its end.</li>
 * </ul>
 */
public final class StormResult {

	/** Goodput, as a share of the offered load, that counts as recovered. */
	public static final double RECOVERY_THRESHOLD = 0.95;

	/** Length of the windows in which recovery is judged. */
	public static final int RECOVERY_WINDOW_SECONDS = 5;

	private static final long SECOND = 1_000_000_000L;

	private final StormScenario scenario;

	private final Policy policy;

	private final Recorder recorder;

	private final long events;

	private final int finalQueueLength;

	StormResult(StormScenario scenario, Policy policy, Recorder recorder, long events, int finalQueueLength) {
		this.scenario = scenario;
		this.policy = policy;
		this.recorder = recorder;
		this.events = events;
		this.finalQueueLength = finalQueueLength;
	}

	public StormScenario scenario() {
		return scenario;
	}

	public Policy policy() {
		return policy;
	}

	public Recorder recorder() {
		return recorder;
	}

	/**
	 * @return how many simulation events fired
	 */
	public long events() {
		return events;
	}

	/**
	 * @return requests still waiting at the origin when the run ended
	 */
	public int finalQueueLength() {
		return finalQueueLength;
	}

	private long triggerStart() {
		return scenario.slowdown().start().toNanos();
	}

	private long triggerEnd() {
		return scenario.slowdown().endNanos();
	}

	private long end() {
		return scenario.duration().toNanos();
	}

	/**
	 * @return the highest attempts/offered over any whole second from the trigger's start
	 */
	public double peakAmplification() {
		double peak = 0;
		for (long from = triggerStart(); from + SECOND <= end(); from += SECOND) {
			peak = Math.max(peak, ratio(Series.ORIGIN_ATTEMPTS, from, from + SECOND));
		}
		return peak;
	}

	/**
	 * @return attempts/offered from the trigger's start to the end of the run
	 */
	public double meanAmplification() {
		return ratio(Series.ORIGIN_ATTEMPTS, triggerStart(), end());
	}

	/**
	 * @return goodput/offered while the trigger lasts
	 */
	public double goodputDuringTrigger() {
		return ratio(Series.GOODPUT, triggerStart(), triggerEnd());
	}

	/**
	 * @return goodput/offered from the trigger's end to the end of the run
	 */
	public double goodputAfterTrigger() {
		return ratio(Series.GOODPUT, triggerEnd(), end());
	}

	/**
	 * @return goodput/offered over the last 10 s of the run
	 */
	public double goodputAtEnd() {
		return ratio(Series.GOODPUT, end() - 10 * SECOND, end());
	}

	/**
	 * @return the share of the origin's completed work, from the trigger's start, done for
	 * clients that had already given up
	 */
	public double wastedWork() {
		long completions = recorder.sum(Series.ORIGIN_COMPLETIONS, triggerStart(), end());
		return (completions == 0) ? 0 : (double) recorder.sum(Series.WASTED, triggerStart(), end()) / completions;
	}

	/**
	 * @return seconds from the trigger's end until goodput is back, or empty when the run
	 * ends collapsed
	 */
	public OptionalDouble recoverySeconds() {
		long bucket = recorder.bucketNanos();
		long window = RECOVERY_WINDOW_SECONDS * SECOND;
		long lastStart = end() - window;
		long recoveredFrom = -1;
		// Walk backwards: the answer is the start of the final unbroken run of good windows.
		for (long from = lastStart; from >= triggerEnd(); from -= bucket) {
			if (ratio(Series.GOODPUT, from, from + window) < RECOVERY_THRESHOLD) {
				break;
			}
			recoveredFrom = from;
		}
		return (recoveredFrom < 0) ? OptionalDouble.empty()
				: OptionalDouble.of((recoveredFrom - triggerEnd()) / (double) SECOND);
	}

	/**
	 * @return whether the run is still collapsed at its end
	 */
	public boolean metastable() {
		return recoverySeconds().isEmpty();
	}

	/**
	 * @param series what
	 * @param fromNanos start, inclusive
	 * @param toNanos end, exclusive
	 * @return the count of {@code series} over the offered load in that span
	 */
	public double ratio(Series series, long fromNanos, long toNanos) {
		long offered = recorder.sum(Series.OFFERED, fromNanos, toNanos);
		return (offered == 0) ? 0 : (double) recorder.sum(series, fromNanos, toNanos) / offered;
	}

	/**
	 * @param series what
	 * @return a per-second rate at each bucket, averaged over the surrounding second
	 */
	public double[] ratePerSecond(Series series) {
		int[] counts = recorder.buckets(series);
		int perSecond = (int) Math.max(1, SECOND / recorder.bucketNanos());
		double[] rates = new double[counts.length];
		long sum = 0;
		// A trailing one-second window: each point is the rate over the second before it.
		for (int i = 0; i < counts.length; i++) {
			sum += counts[i];
			if (i >= perSecond) {
				sum -= counts[i - perSecond];
			}
			int width = Math.min(i + 1, perSecond);
			rates[i] = sum * (SECOND / (double) recorder.bucketNanos()) / width;
		}
		return rates;
	}

}

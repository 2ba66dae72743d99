package dev.resilience.core.bulkhead;

/**
 * The estimate behind an adaptive bulkhead: a concurrency limit that follows the ratio of
 * the no-load latency to the current latency (a gradient). Not thread-safe: its bulkhead
 * calls it under one lock.
 * <p>
 * Calls are measured in windows of about one round trip: as many calls as the limit, at
 * least ten. At the end of each window, with {@code average} its mean latency and
 * {@code baseline} the lowest window mean since the last probe (the latency of calls that
 * did not queue):
 * <pre>
 * gradient = clamp(rttTolerance * baseline / average, 0.5, 1)
 * target   = estimate * gradient             when gradient &lt; 1 (calls queue: shrink)
 *          = estimate + sqrt(estimate)       when gradient = 1 (no queueing: grow)
 * estimate = clamp(estimate * (1 - smoothing) + target * smoothing, minLimit, maxLimit)
 * </pre>
 * Updating once per round trip, not per call, matters: a limit change shows in latency
 * only one round trip later, and per-call updates overshoot and oscillate. On a server that
 * serves C calls at once and queues the rest, the limit settles near
 * {@code rttTolerance * C}, where latency is {@code rttTolerance} times the no-load latency.
 * <p>
 * While fewer than half the limit's calls were in flight during a window the estimate does
 * not grow: the traffic, not the server, bounds concurrency, and latency says nothing about
 * more. A failed call faster than the baseline is no sample at all (a quick error says
 * nothing about capacity); a slower one is, so timeouts push the limit down.
 * <p>
 * A baseline learnt under load would drift upwards with the load, and the limit with it.
 * So every {@code probeInterval} windows the baseline is forgotten and the limit halved for
 * two windows of the old size: the first drains the calls admitted under the old limit,
 * the second measures calls that did not queue. Then the old estimate is restored and the
 * fresh baseline steers it.
 */
final class AdaptiveLimit {

	/** Floor of the gradient: one window can cut the target by half at most. */
	private static final double MIN_GRADIENT = 0.5;

	/** Fewest samples a window averages, so that small limits are not steered by a few calls. */
	private static final int MIN_WINDOW = 10;

	/** The share the limit keeps while it probes. */
	private static final double PROBE_CUT = 0.5;

	/** Windows a probe lasts: the first drains the calls queued before it, the second measures. */
	private static final int PROBE_WINDOWS = 2;

	private final AdaptiveLimitConfig config;

	private double estimate;

	/** Lowest window average since the last probe, nanoseconds. */
	private double baseline = Double.POSITIVE_INFINITY;

	private double windowSum;

	private int windowCount;

	private int windowMaxInFlight;

	private int windowsUntilProbe;

	/** Windows left in the probe under way, 0 when none is. */
	private int probeWindowsLeft;

	/** The estimate before the probe under way, restored when it ends. */
	private double estimateBeforeProbe;

	AdaptiveLimit(AdaptiveLimitConfig config) {
		this.config = config;
		this.estimate = config.initialLimit();
		this.windowsUntilProbe = config.probeInterval();
	}

	/**
	 * @return the limit now: the estimate, rounded down
	 */
	int limit() {
		return (int) this.estimate;
	}

	/**
	 * Takes one call's latency into the estimate.
	 * @param rttNanos how long the call held its permit
	 * @param inFlight calls holding a permit when it ended, itself included
	 * @param failed whether the call failed
	 * @return the limit now
	 */
	int onSample(long rttNanos, int inFlight, boolean failed) {
		double rtt = Math.max(1, rttNanos);
		if (failed && rtt < this.baseline) {
			return limit();
		}
		this.windowSum += rtt;
		this.windowCount++;
		this.windowMaxInFlight = Math.max(this.windowMaxInFlight, inFlight);
		// A probe's windows keep the size of the limit before it, so that the first one lasts
		// as long as the calls admitted under that limit take to drain.
		int windowSize = (this.probeWindowsLeft > 0) ? (int) this.estimateBeforeProbe : limit();
		if (this.windowCount < Math.max(MIN_WINDOW, windowSize)) {
			return limit();
		}
		double average = this.windowSum / this.windowCount;
		int maxInFlight = this.windowMaxInFlight;
		this.windowSum = 0;
		this.windowCount = 0;
		this.windowMaxInFlight = 0;
		this.baseline = Math.min(this.baseline, average);
		if (this.probeWindowsLeft > 0) {
			if (--this.probeWindowsLeft == 0) {
				// The baseline is measured again; the gradient corrects the old estimate from here.
				this.estimate = this.estimateBeforeProbe;
			}
			return limit();
		}
		if (--this.windowsUntilProbe <= 0) {
			startProbe();
			return limit();
		}
		double gradient = Math.max(MIN_GRADIENT, Math.min(1.0, this.config.rttTolerance() * this.baseline / average));
		double target;
		if (gradient < 1.0) {
			target = this.estimate * gradient;
		}
		else if (maxInFlight >= this.estimate / 2) {
			target = this.estimate + Math.sqrt(this.estimate);
		}
		else {
			return limit();
		}
		double smoothing = this.config.smoothing();
		double next = this.estimate * (1 - smoothing) + target * smoothing;
		this.estimate = Math.max(this.config.minLimit(), Math.min(this.config.maxLimit(), next));
		return limit();
	}

	private void startProbe() {
		this.baseline = Double.POSITIVE_INFINITY;
		this.estimateBeforeProbe = this.estimate;
		this.estimate = Math.max(this.config.minLimit(), this.estimate * PROBE_CUT);
		this.probeWindowsLeft = PROBE_WINDOWS;
		this.windowsUntilProbe = this.config.probeInterval();
	}

}

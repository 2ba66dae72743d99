package dev.resilience.core.bulkhead;

import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.internal.Checks;

/**
 * Settings of a bulkhead limit that follows observed latency instead of staying fixed,
 * validated on construction.
 * <p>
 * The limit is a gradient limit. Calls are measured in windows of about one round trip
 * (as many calls as the limit, at least ten); after each window, with {@code average} its
 * mean latency and {@code baseline} the lowest window mean since the last probe:
 * <pre>
 * gradient = clamp(rttTolerance * baseline / average, 0.5, 1)
 * target   = limit * gradient         while calls queue (gradient &lt; 1)
 *          = limit + sqrt(limit)      otherwise, if at least half the limit was in use
 * limit    = clamp(limit * (1 - smoothing) + target * smoothing, minLimit, maxLimit)
 * </pre>
 * On a service that handles C calls at once and queues the rest, the limit settles near
 * {@code rttTolerance * C}: the goodput of C concurrent calls with little queueing, the
 * rest shed. Failed calls teach the limit only that latency rose, never that it fell. Every
 * {@code probeInterval} windows the limit is halved for two windows to measure the no-load
 * latency again, so that the baseline does not drift upwards with sustained load.
 *
 * @param initialLimit the limit before any call has been measured
 * @param minLimit the limit never goes below this floor
 * @param maxLimit the limit never goes above this ceiling
 * @param smoothing how much of each new estimate is taken into the limit, in (0, 1]:
 * smaller is steadier and slower
 * @param rttTolerance how much slower than the no-load latency calls may become before the
 * limit shrinks, at least 1: 1.25 tolerates 25% queueing delay, and the limit settles near
 * 1.25 times the concurrency the server handles without queueing. Values near 1 keep
 * queueing lowest but let latency noise hold the limit down
 * @param probeInterval how often the no-load latency is measured again, in round trips
 * (windows of as many calls as the limit): the limit is halved for two round trips so that
 * calls run without queueing
 */
public record AdaptiveLimitConfig(int initialLimit, int minLimit, int maxLimit, double smoothing,
		double rttTolerance, int probeInterval) {

	public AdaptiveLimitConfig {
		Checks.atLeast("minLimit", 1, minLimit);
		if (maxLimit < minLimit) {
			throw new InvalidConfigException("maxLimit", "must be >= minLimit (" + minLimit + ")", maxLimit);
		}
		if (initialLimit < minLimit || initialLimit > maxLimit) {
			throw new InvalidConfigException("initialLimit",
					"must be in [minLimit, maxLimit] ([" + minLimit + ", " + maxLimit + "])", initialLimit);
		}
		if (!(smoothing > 0 && smoothing <= 1)) {
			throw new InvalidConfigException("smoothing", "must be in (0, 1]", smoothing);
		}
		Checks.atLeast("rttTolerance", 1.0, rttTolerance);
		if (Double.isInfinite(rttTolerance)) {
			throw new InvalidConfigException("rttTolerance", "must be finite", rttTolerance);
		}
		Checks.atLeast("probeInterval", 1, probeInterval);
	}

	/**
	 * @return the documented defaults: initial limit 20 within [1, 200], smoothing 0.2,
	 * latency tolerance 1.25, probe every 100 round trips
	 */
	public static AdaptiveLimitConfig defaults() {
		return of(20, 1, 200);
	}

	/**
	 * @param initialLimit the limit before any call has been measured
	 * @param minLimit the floor
	 * @param maxLimit the ceiling
	 * @return the given bounds with the default smoothing, tolerance and probe interval
	 */
	public static AdaptiveLimitConfig of(int initialLimit, int minLimit, int maxLimit) {
		return new AdaptiveLimitConfig(initialLimit, minLimit, maxLimit, 0.2, 1.25, 100);
	}

}

package dev.resilience.core.circuitbreaker.internal;

import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.circuitbreaker.SlidingWindowType;
import dev.resilience.core.time.Ticker;

/**
 * The recent calls of a closed circuit breaker. An outcome is an {@code int} code made
 * of the bits {@link #CALL}, {@link #FAILED} and {@link #SLOW}, so recording allocates
 * nothing. A window belongs to one closed state: the breaker starts a new one instead of
 * clearing an old one, so late writers into a discarded window harm nobody.
 */
public interface SlidingWindow {

	/** Set in every recorded outcome; an empty slot of a window is {@code 0}. */
	int CALL = 1;

	/** The call failed. */
	int FAILED = 2;

	/** The call took at least {@code slowCallDuration}. */
	int SLOW = 4;

	/**
	 * Records one call.
	 * @param outcome {@link #CALL}, optionally with {@link #FAILED} and {@link #SLOW}
	 * @return whether the window, including this call, trips the breaker's thresholds
	 */
	boolean record(int outcome);

	/**
	 * @return the calls the window holds now
	 */
	WindowCounts counts();

	/**
	 * @param failed whether the call failed
	 * @param slow whether the call was slow
	 * @return the outcome code
	 */
	static int outcome(boolean failed, boolean slow) {
		return CALL | (failed ? FAILED : 0) | (slow ? SLOW : 0);
	}

	/**
	 * @param config the breaker's configuration
	 * @param ticker the time source of a time-based window
	 * @return an empty window of the configured type and size
	 */
	static SlidingWindow of(CircuitBreakerConfig config, Ticker ticker) {
		RateThresholds thresholds = RateThresholds.of(config);
		if (config.slidingWindowType() == SlidingWindowType.TIME) {
			return new TimeSlidingWindow(config.slidingWindowSize(), thresholds, ticker);
		}
		return new CountSlidingWindow(config.slidingWindowSize(), thresholds);
	}

}

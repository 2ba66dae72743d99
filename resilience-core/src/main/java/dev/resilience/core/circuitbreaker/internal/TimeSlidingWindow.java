package dev.resilience.core.circuitbreaker.internal;

import java.util.Arrays;

import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.time.Ticker;

/**
 * The calls of the last {@code seconds} seconds of ticker time.
 * <p>
 * Algorithm: a ring of {@code seconds} one-second buckets, each keyed by the epoch
 * second (ticker nanos / 10^9, floored) it counts, plus aggregate counts equal to the sum
 * of the buckets whose second lies in {@code (latest - seconds, latest]}. When the
 * newest second moves forward, the buckets of the seconds that fall out are subtracted
 * from the aggregate (a bucket whose key is not the falling second was never written for
 * it and is not counted); after a gap of a whole window or more the aggregate is simply
 * zeroed. A stale bucket is cleared when it is next written for a new second.
 * <p>
 * Cost: O(1) per call amortised: one ticker read and a few field updates, plus one
 * eviction step per elapsed second, never more than {@code seconds} steps at once.
 * Memory: four arrays of {@code seconds} entries, whatever the traffic.
 * <p>
 * A short lock guards it: a roll-over must subtract and reuse a bucket atomically
 * with respect to writers of that bucket, which a lock does in a few plain field updates
 * where a lock-free scheme would need a versioned bucket swap per second.
 */
public final class TimeSlidingWindow implements SlidingWindow {

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	private final int seconds;

	private final RateThresholds thresholds;

	private final Ticker ticker;

	private final long[] bucketSecond;

	private final long[] bucketCalls;

	private final long[] bucketFailed;

	private final long[] bucketSlow;

	private long latestSecond;

	private long calls;

	private long failed;

	private long slow;

	/**
	 * @param seconds how many of the last seconds the window holds
	 * @param thresholds when the window trips the breaker
	 * @param ticker the time source
	 */
	public TimeSlidingWindow(int seconds, RateThresholds thresholds, Ticker ticker) {
		if (seconds < 1 || seconds > CircuitBreakerConfig.MAX_SLIDING_WINDOW_SIZE) {
			throw new IllegalArgumentException("seconds must be in [1, "
					+ CircuitBreakerConfig.MAX_SLIDING_WINDOW_SIZE + "] but was " + seconds);
		}
		this.seconds = seconds;
		this.thresholds = thresholds;
		this.ticker = ticker;
		this.bucketSecond = new long[seconds];
		// No real second maps to Long.MIN_VALUE, so every bucket starts out stale.
		Arrays.fill(bucketSecond, Long.MIN_VALUE);
		this.bucketCalls = new long[seconds];
		this.bucketFailed = new long[seconds];
		this.bucketSlow = new long[seconds];
		this.latestSecond = currentSecond();
	}

	@Override
	public boolean record(int outcome) {
		long second = currentSecond();
		synchronized (this) {
			second = roll(second);
			int index = index(second);
			if (bucketSecond[index] != second) {
				// Its old contents were already taken out of the aggregate by roll().
				bucketSecond[index] = second;
				bucketCalls[index] = 0;
				bucketFailed[index] = 0;
				bucketSlow[index] = 0;
			}
			int failedCall = (outcome & FAILED) != 0 ? 1 : 0;
			int slowCall = (outcome & SLOW) != 0 ? 1 : 0;
			bucketCalls[index]++;
			bucketFailed[index] += failedCall;
			bucketSlow[index] += slowCall;
			calls++;
			failed += failedCall;
			slow += slowCall;
			return thresholds.exceeded(calls, failed, slow);
		}
	}

	@Override
	public WindowCounts counts() {
		long second = currentSecond();
		synchronized (this) {
			roll(second);
			return new WindowCounts(WindowCounts.saturate(calls), WindowCounts.saturate(failed),
					WindowCounts.saturate(slow));
		}
	}

	/**
	 * Sums the buckets that lie in the window instead of reading the aggregate: O(seconds),
	 * for tests and diagnostics that check the aggregate against the buckets.
	 * @return the counts of the buckets inside the window as of the latest second seen
	 */
	public synchronized WindowCounts countBuckets() {
		long sumCalls = 0;
		long sumFailed = 0;
		long sumSlow = 0;
		for (int i = 0; i < seconds; i++) {
			if (bucketSecond[i] > latestSecond - seconds && bucketSecond[i] <= latestSecond) {
				sumCalls += bucketCalls[i];
				sumFailed += bucketFailed[i];
				sumSlow += bucketSlow[i];
			}
		}
		return new WindowCounts(WindowCounts.saturate(sumCalls), WindowCounts.saturate(sumFailed),
				WindowCounts.saturate(sumSlow));
	}

	/**
	 * Moves the window forward to {@code second}, evicting the seconds that fall out.
	 * @return the second to record into
	 */
	private long roll(long second) {
		if (second <= latestSecond) {
			// A thread that read the ticker before another but took the lock after it
			// records into the newest second, so the window never moves backwards.
			return latestSecond;
		}
		if (second - latestSecond >= seconds) {
			// Every counted bucket has fallen out; the stale ones are cleared when reused.
			calls = 0;
			failed = 0;
			slow = 0;
		}
		else {
			for (long falling = latestSecond - seconds + 1; falling <= second - seconds; falling++) {
				int index = index(falling);
				if (bucketSecond[index] == falling) {
					calls -= bucketCalls[index];
					failed -= bucketFailed[index];
					slow -= bucketSlow[index];
				}
			}
		}
		latestSecond = second;
		return second;
	}

	private int index(long second) {
		return (int) Math.floorMod(second, (long) seconds);
	}

	private long currentSecond() {
		return Math.floorDiv(ticker.read(), NANOS_PER_SECOND);
	}

}

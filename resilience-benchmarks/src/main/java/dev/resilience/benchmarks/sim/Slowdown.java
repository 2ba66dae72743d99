package dev.resilience.benchmarks.sim;

import java.time.Duration;

/**
 * The trigger: for a while the origin's dependency is slower, multiplying its service
 * time.
 *
 * @param start when the slowdown begins, from the start of the run
 * @param duration how long it lasts
 * @param factor how many times longer each request takes meanwhile
 */
public record Slowdown(Duration start, Duration duration, double factor) {

	public Slowdown {
		if (start.isNegative() || duration.isNegative()) {
			throw new IllegalArgumentException("start and duration must be >= 0 but were " + start + ", " + duration);
		}
		if (!(factor >= 1)) {
			throw new IllegalArgumentException("factor must be >= 1 but was " + factor);
		}
	}

	/**
	 * @return a slowdown that never happens
	 */
	public static Slowdown none() {
		return new Slowdown(Duration.ZERO, Duration.ZERO, 1);
	}

	/**
	 * @return when it ends, in nanoseconds from the start of the run
	 */
	public long endNanos() {
		return start.toNanos() + duration.toNanos();
	}

	/**
	 * @param atNanos a time in the run
	 * @return the factor for work started at that time
	 */
	public double factorAt(long atNanos) {
		return (atNanos >= start.toNanos() && atNanos < endNanos()) ? factor : 1;
	}

}

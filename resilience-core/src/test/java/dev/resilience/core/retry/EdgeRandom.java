package dev.resilience.core.retry;

import java.util.random.RandomGenerator;

/**
 * A random source that always draws the lowest or always the highest value of the range
 * asked for, to test the edges of each jitter.
 */
final class EdgeRandom implements RandomGenerator {

	static final EdgeRandom LOWEST = new EdgeRandom(false);

	static final EdgeRandom HIGHEST = new EdgeRandom(true);

	/** Fails the test if any draw is made. */
	static final RandomGenerator NEVER = new RandomGenerator() {
		@Override
		public long nextLong() {
			throw new AssertionError("no random draw expected");
		}
	};

	private final boolean highest;

	private EdgeRandom(boolean highest) {
		this.highest = highest;
	}

	@Override
	public long nextLong() {
		return this.highest ? Long.MAX_VALUE : Long.MIN_VALUE;
	}

	@Override
	public long nextLong(long bound) {
		return nextLong(0, bound);
	}

	@Override
	public long nextLong(long origin, long bound) {
		return this.highest ? bound - 1 : origin;
	}

}

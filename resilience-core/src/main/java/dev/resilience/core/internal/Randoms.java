package dev.resilience.core.internal;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Default sources of randomness.
 */
public final class Randoms {

	private Randoms() {
	}

	/**
	 * @return a generator that draws from the calling thread's {@link ThreadLocalRandom},
	 * so it can be shared by every thread without contention
	 */
	public static RandomGenerator threadLocal() {
		return ThreadLocalGenerator.INSTANCE;
	}

	private enum ThreadLocalGenerator implements RandomGenerator {

		INSTANCE;

		@Override
		public long nextLong() {
			return ThreadLocalRandom.current().nextLong();
		}

		@Override
		public double nextDouble() {
			return ThreadLocalRandom.current().nextDouble();
		}

		@Override
		public double nextDouble(double origin, double bound) {
			return ThreadLocalRandom.current().nextDouble(origin, bound);
		}

		@Override
		public long nextLong(long origin, long bound) {
			return ThreadLocalRandom.current().nextLong(origin, bound);
		}

	}

}

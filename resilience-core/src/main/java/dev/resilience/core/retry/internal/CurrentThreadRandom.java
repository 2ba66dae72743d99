package dev.resilience.core.retry.internal;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * A {@link RandomGenerator} that draws from the calling thread's {@link ThreadLocalRandom},
 * so one instance can be shared by every thread without contention. The default source of
 * jitter.
 */
public enum CurrentThreadRandom implements RandomGenerator {

	INSTANCE;

	@Override
	public long nextLong() {
		return ThreadLocalRandom.current().nextLong();
	}

	@Override
	public long nextLong(long bound) {
		return ThreadLocalRandom.current().nextLong(bound);
	}

	@Override
	public long nextLong(long origin, long bound) {
		return ThreadLocalRandom.current().nextLong(origin, bound);
	}

	@Override
	public int nextInt() {
		return ThreadLocalRandom.current().nextInt();
	}

	@Override
	public double nextDouble() {
		return ThreadLocalRandom.current().nextDouble();
	}

}

package dev.resilience.core.time;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A ticker that moves only when told to, for tests and simulations. It is also a
 * {@link Sleeper} whose {@code sleep} advances the time instead of waiting, so a retry
 * loop driven by it runs at once while observing its backoff.
 */
public final class ManualTicker implements Ticker, Sleeper {

	private final AtomicLong nanos;

	private ManualTicker(long startNanos) {
		this.nanos = new AtomicLong(startNanos);
	}

	/**
	 * @return a ticker starting at zero
	 */
	public static ManualTicker create() {
		return new ManualTicker(0);
	}

	/**
	 * @param startNanos the first reading
	 * @return a ticker starting at the given reading
	 */
	public static ManualTicker startingAt(long startNanos) {
		return new ManualTicker(startNanos);
	}

	@Override
	public long read() {
		return nanos.get();
	}

	/**
	 * @param amount how far to move time forward; must not be negative
	 * @return this ticker
	 */
	public ManualTicker advance(Duration amount) {
		return advance(amount.toNanos());
	}

	/**
	 * @param amountNanos how many nanoseconds to move time forward; must not be negative
	 * @return this ticker
	 */
	public ManualTicker advance(long amountNanos) {
		if (amountNanos < 0) {
			throw new IllegalArgumentException("amountNanos must be >= 0 but was " + amountNanos);
		}
		nanos.addAndGet(amountNanos);
		return this;
	}

	/**
	 * Moves time to an absolute reading.
	 * @param readingNanos the new reading; must not be earlier than the current one
	 * @return this ticker
	 */
	public ManualTicker setTo(long readingNanos) {
		long current = nanos.get();
		if (readingNanos < current) {
			throw new IllegalArgumentException(
					"readingNanos must be >= the current reading " + current + " but was " + readingNanos);
		}
		nanos.set(readingNanos);
		return this;
	}

	/**
	 * Advances the time by {@code nanos} instead of waiting.
	 */
	@Override
	public void sleep(long nanos) {
		if (nanos > 0) {
			this.nanos.addAndGet(nanos);
		}
	}

}

package dev.resilience.core.time;

/**
 * A monotonic source of nanoseconds. Every wait, window and budget in the library reads
 * time through one of these, so tests can replace it with a {@link ManualTicker}.
 */
@FunctionalInterface
public interface Ticker {

	/**
	 * @return nanoseconds since an arbitrary, fixed origin; never decreases
	 */
	long read();

	/**
	 * @return the ticker backed by {@link System#nanoTime()}
	 */
	static Ticker system() {
		return SystemTicker.INSTANCE;
	}

}

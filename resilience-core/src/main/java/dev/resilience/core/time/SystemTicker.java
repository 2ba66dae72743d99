package dev.resilience.core.time;

/**
 * The ticker backed by {@link System#nanoTime()}.
 */
enum SystemTicker implements Ticker {

	INSTANCE;

	@Override
	public long read() {
		return System.nanoTime();
	}

}

package dev.resilience.core.time;

/**
 * Waits for a number of nanoseconds. Retries wait between attempts through one of
 * these, so tests can make waiting advance a {@link ManualTicker} instead of sleeping.
 */
@FunctionalInterface
public interface Sleeper {

	/**
	 * @param nanos how long to wait; zero or less returns at once
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	void sleep(long nanos) throws InterruptedException;

	/**
	 * @return the sleeper that parks the current thread (virtual-thread friendly)
	 */
	static Sleeper system() {
		return SystemSleeper.INSTANCE;
	}

}

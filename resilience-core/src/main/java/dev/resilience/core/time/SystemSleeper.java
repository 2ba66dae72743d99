package dev.resilience.core.time;

import java.util.concurrent.TimeUnit;

/**
 * Sleeps on the current thread. {@link TimeUnit#sleep} parks a virtual thread without
 * pinning its carrier.
 */
enum SystemSleeper implements Sleeper {

	INSTANCE;

	@Override
	public void sleep(long nanos) throws InterruptedException {
		if (nanos > 0) {
			TimeUnit.NANOSECONDS.sleep(nanos);
		}
	}

}

package dev.resilience.autoconfigure.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The background threads of the shared stores' synchronisers and cleanups: one daemon
 * thread each, never a protected call's thread, and never one that keeps the JVM alive.
 */
public final class DaemonSchedulers {

	private DaemonSchedulers() {
	}

	/**
	 * @param threadName the name of the scheduler's thread
	 * @return a scheduler with one daemon thread of that name
	 */
	public static ScheduledExecutorService singleThread(String threadName) {
		return Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, threadName);
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Shuts the scheduler down and waits for a task in progress to finish, rather than
	 * interrupt its connection to a store. An interrupted wait returns at once, with the
	 * thread's interrupt status set again.
	 * @param scheduler the scheduler to stop
	 * @param timeout how long to wait at the most
	 */
	public static void shutdownAndWait(ScheduledExecutorService scheduler, Duration timeout) {
		scheduler.shutdown();
		try {
			scheduler.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}

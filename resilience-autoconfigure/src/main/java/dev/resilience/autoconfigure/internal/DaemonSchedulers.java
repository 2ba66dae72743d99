package dev.resilience.autoconfigure.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;

/**
 * The background threads of the shared stores' synchronisers and cleanups: one daemon
 * thread each, never a protected call's thread, and never one that keeps the JVM alive.
 */
public final class DaemonSchedulers {

	private DaemonSchedulers() {
	}

	/**
	 * @param threadName the name of the scheduler's thread
	 * @return a scheduler with one daemon thread of that name; once shut down it runs no
	 * task that is still waiting for its time (an early exchange minutes away would
	 * otherwise hold {@link #shutdownAndWait} until its timeout), only the one in progress
	 */
	public static ScheduledExecutorService singleThread(String threadName) {
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, threadName);
			thread.setDaemon(true);
			return thread;
		});
		executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		executor.setRemoveOnCancelPolicy(true);
		return executor;
	}

	/**
	 * Runs a task periodically on a scheduler of its own, as {@link #singleThread} makes,
	 * and keeps running it whatever it throws. A periodic task that throws is otherwise
	 * never run again, silently: one unexpected error (a driver's missing class, say) would
	 * stop the exchanges for good while everything looked idle. The first failure in a row
	 * is logged as an error with its stack trace, the ones after it at debug level, and the
	 * next run that completes is logged at info level.
	 * @param threadName the name of the scheduler's thread
	 * @param period the time between the starts of two runs ({@code atFixedRate}) or
	 * between the end of one and the start of the next
	 * @param atFixedRate whether the runs keep a fixed rate
	 * @param task what to run
	 * @param logger where failures are logged
	 * @param description what the task does, for the log ("exchange the fleet's outcomes")
	 * @return the scheduler, to be stopped with {@link #shutdownAndWait}
	 */
	public static ScheduledExecutorService repeat(String threadName, Duration period, boolean atFixedRate,
			Runnable task, Log logger, String description) {
		long millis = Math.max(1, period.toMillis());
		Runnable kept = new KeptRunning(task, logger, description);
		ScheduledExecutorService scheduler = singleThread(threadName);
		if (atFixedRate) {
			scheduler.scheduleAtFixedRate(kept, millis, millis, TimeUnit.MILLISECONDS);
		}
		else {
			scheduler.scheduleWithFixedDelay(kept, millis, millis, TimeUnit.MILLISECONDS);
		}
		return scheduler;
	}

	/**
	 * @param task what to run
	 * @param logger where a failure is logged
	 * @param description what the task does, for the log
	 * @return the task, logging whatever it throws as {@link #repeat} does instead of
	 * leaving it in a future nobody reads
	 */
	public static Runnable keptRunning(Runnable task, Log logger, String description) {
		return new KeptRunning(task, logger, description);
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

	/** A periodic task that catches whatever its task throws, so that it is run again. */
	static final class KeptRunning implements Runnable {

		private final Runnable task;

		private final Log logger;

		private final String description;

		/** Written and read by the scheduler's one thread only. */
		private boolean failing;

		KeptRunning(Runnable task, Log logger, String description) {
			this.task = task;
			this.logger = logger;
			this.description = description;
		}

		@Override
		public void run() {
			try {
				this.task.run();
			}
			catch (Throwable ex) {
				if (!this.failing) {
					this.failing = true;
					this.logger.error("Could not " + this.description + "; trying again at the next run", ex);
				}
				else if (this.logger.isDebugEnabled()) {
					this.logger.debug("Could not " + this.description + " again", ex);
				}
				return;
			}
			if (this.failing) {
				this.failing = false;
				this.logger.info("Could " + this.description + " again");
			}
		}

	}

}

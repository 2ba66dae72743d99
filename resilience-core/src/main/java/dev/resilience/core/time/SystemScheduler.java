package dev.resilience.core.time;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The shared scheduler: a single daemon timer thread that only keeps time and hands due
 * tasks to the common pool, the arrangement {@code CompletableFuture.delayedExecutor}
 * uses, with cancellation that removes the task from the timer's queue.
 */
enum SystemScheduler implements Scheduler {

	INSTANCE;

	@Override
	public Cancellable schedule(Runnable task, long delayNanos) {
		ScheduledFuture<?> future = Timer.EXECUTOR.schedule(() -> ForkJoinPool.commonPool().execute(task),
				Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
		return () -> future.cancel(false);
	}

	/** Holder: the timer thread starts only when something is first scheduled. */
	private static final class Timer {

		static final ScheduledThreadPoolExecutor EXECUTOR = create();

		private static ScheduledThreadPoolExecutor create() {
			ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (runnable) -> {
				Thread thread = new Thread(runnable, "resilience-scheduler");
				// Waiting retries must never keep the JVM alive.
				thread.setDaemon(true);
				return thread;
			});
			// A cancelled retry (a cancelled call) must not keep its task, and what it
			// captures, in the queue until its delay would have passed.
			executor.setRemoveOnCancelPolicy(true);
			return executor;
		}

	}

}

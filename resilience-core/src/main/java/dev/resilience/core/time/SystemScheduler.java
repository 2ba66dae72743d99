package dev.resilience.core.time;

import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The shared timer: a single daemon thread that only keeps time and hands due tasks to an
 * executor, the arrangement {@code CompletableFuture.delayedExecutor} uses, with
 * cancellation that removes the task from the timer's queue.
 */
final class SystemScheduler implements Scheduler {

	static final SystemScheduler COMMON_POOL = new SystemScheduler(ForkJoinPool.commonPool());

	private final Executor executor;

	SystemScheduler(Executor executor) {
		this.executor = executor;
	}

	@Override
	public Cancellable schedule(Runnable task, long delayNanos) {
		ScheduledFuture<?> future = Timer.EXECUTOR.schedule(() -> dispatch(task), Math.max(0, delayNanos),
				TimeUnit.NANOSECONDS);
		return () -> future.cancel(false);
	}

	private void dispatch(Runnable task) {
		try {
			executor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// The executor is shutting down. Dropping the task would leave its call waiting
			// forever; running it here delays other timers a little, once.
			task.run();
		}
	}

	@Override
	public String toString() {
		return "Scheduler[shared timer, then " + executor + "]";
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

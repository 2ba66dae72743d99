package dev.resilience.core.time;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs a task after a delay, without holding a thread while it waits. Asynchronous calls
 * wait between retries through one of these, never by sleeping; tests replace it with a
 * {@link ManualScheduler} that runs tasks as a {@link ManualTicker} advances.
 */
@FunctionalInterface
public interface Scheduler {

	/**
	 * @param task what to run
	 * @param delayNanos how long from now; zero or less means as soon as possible
	 * @return a handle that stops the task if it has not started yet
	 * @throws java.util.concurrent.RejectedExecutionException if the scheduler no longer
	 * accepts tasks
	 */
	Cancellable schedule(Runnable task, long delayNanos);

	/**
	 * The scheduler used when none is given: one shared daemon timer thread that hands each
	 * task, when due, to {@link java.util.concurrent.ForkJoinPool#commonPool()}, so that a
	 * slow task never delays the others. The timer thread starts at the first use.
	 * @return the shared system scheduler
	 */
	static Scheduler system() {
		return SystemScheduler.COMMON_POOL;
	}

	/**
	 * The shared timer thread of {@link #system()}, handing due tasks to another executor:
	 * one whose threads suit the tasks, such as virtual threads for retries of calls that
	 * block. If the executor refuses a task (it is shutting down), the timer thread runs it.
	 * @param executor runs the tasks when they are due
	 * @return a scheduler on the shared timer
	 */
	static Scheduler system(Executor executor) {
		return new SystemScheduler(Objects.requireNonNull(executor, "executor must not be null"));
	}

	/**
	 * A scheduler on an executor the application owns (and shuts down). Tasks run on the
	 * executor's threads.
	 * @param executor the executor
	 * @return a scheduler backed by it
	 */
	static Scheduler of(ScheduledExecutorService executor) {
		return new ExecutorScheduler(Objects.requireNonNull(executor, "executor must not be null"));
	}

	/**
	 * A scheduled task that can be stopped before it starts.
	 */
	@FunctionalInterface
	interface Cancellable {

		/**
		 * Stops the task if it has not started; does nothing otherwise.
		 * @return whether this call stopped it
		 */
		boolean cancel();

	}

}

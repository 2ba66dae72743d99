package dev.resilience.core.time;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Scheduler} on a {@link ScheduledExecutorService}: the executor's timer holds the
 * wait and its threads run the tasks.
 */
final class ExecutorScheduler implements Scheduler {

	private final ScheduledExecutorService executor;

	ExecutorScheduler(ScheduledExecutorService executor) {
		this.executor = executor;
	}

	@Override
	public Cancellable schedule(Runnable task, long delayNanos) {
		ScheduledFuture<?> future = executor.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
		// Never interrupt: a task that has started is an attempt in progress, not a wait.
		return () -> future.cancel(false);
	}

	@Override
	public String toString() {
		return "Scheduler[" + executor + "]";
	}

}

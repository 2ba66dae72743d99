package dev.resilience.core.time;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The schedulers on real threads: a task runs on the expected thread, a cancelled one
 * never does. These wait for a latch, never a fixed time.
 */
class SchedulerTests {

	private static final long HOUR = TimeUnit.HOURS.toNanos(1);

	@Test
	void systemSchedulerRunsTheTaskOffTheTimerThread() throws InterruptedException {
		CountDownLatch ran = new CountDownLatch(1);
		AtomicReference<Thread> thread = new AtomicReference<>();
		Scheduler.system().schedule(() -> {
			thread.set(Thread.currentThread());
			ran.countDown();
		}, 1_000);
		assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(thread.get().getName()).as("the timer thread only keeps time").isNotEqualTo("resilience-scheduler");
		assertThat(thread.get()).isNotSameAs(Thread.currentThread());
	}

	@Test
	void systemSchedulerTaskCancelledBeforeItsTimeIsDropped() {
		Scheduler.Cancellable task = Scheduler.system().schedule(() -> {
			throw new AssertionError("cancelled task ran");
		}, HOUR);
		assertThat(task.cancel()).isTrue();
		assertThat(task.cancel()).isFalse();
	}

	@Test
	void systemSchedulerCanHandDueTasksToAnotherExecutor() throws InterruptedException {
		CountDownLatch ran = new CountDownLatch(1);
		AtomicReference<String> threadName = new AtomicReference<>();
		Scheduler scheduler = Scheduler.system((task) -> new Thread(task, "chosen-executor").start());
		scheduler.schedule(() -> {
			threadName.set(Thread.currentThread().getName());
			ran.countDown();
		}, 1_000);
		assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(threadName).hasValue("chosen-executor");
	}

	@Test
	void systemSchedulerRunsTheTaskOnTheTimerWhenTheExecutorRefusesIt() throws InterruptedException {
		CountDownLatch ran = new CountDownLatch(1);
		AtomicReference<String> threadName = new AtomicReference<>();
		Scheduler scheduler = Scheduler.system((task) -> {
			throw new RejectedExecutionException("shutting down");
		});
		scheduler.schedule(() -> {
			threadName.set(Thread.currentThread().getName());
			ran.countDown();
		}, 0);
		assertThat(ran.await(5, TimeUnit.SECONDS)).as("the call is not left waiting forever").isTrue();
		assertThat(threadName).hasValue("resilience-scheduler");
	}

	@Test
	void executorSchedulerRunsOnTheExecutorAndStopsWhenCancelled() throws InterruptedException {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			return new Thread(runnable, "owned-by-the-test");
		});
		try {
			Scheduler scheduler = Scheduler.of(executor);
			CountDownLatch ran = new CountDownLatch(1);
			AtomicReference<String> threadName = new AtomicReference<>();
			scheduler.schedule(() -> {
				threadName.set(Thread.currentThread().getName());
				ran.countDown();
			}, 0);
			assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
			assertThat(threadName).hasValue("owned-by-the-test");
			assertThat(scheduler.schedule(() -> {
				throw new AssertionError("cancelled task ran");
			}, HOUR).cancel()).isTrue();
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void executorSchedulerThatWasShutDownRefusesNewTasks() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
		executor.shutdown();
		assertThatExceptionOfType(RejectedExecutionException.class)
			.isThrownBy(() -> Scheduler.of(executor).schedule(() -> {
			}, 0));
	}

}

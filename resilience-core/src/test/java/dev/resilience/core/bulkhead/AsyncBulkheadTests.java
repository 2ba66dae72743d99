package dev.resilience.core.bulkhead;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import dev.resilience.core.time.ManualScheduler;
import dev.resilience.core.time.ManualTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Bulkhead#acquireAsync()} on a manual ticker and scheduler: a waiting call holds no
 * thread, so every state (queued, served, timed out, cancelled) is observed directly.
 */
class AsyncBulkheadTests {

	private final ManualTicker ticker = ManualTicker.create();

	private final ManualScheduler scheduler = ManualScheduler.on(ticker);

	private final List<String> rejections = new ArrayList<>();

	private final ExecutorService executor = Executors.newCachedThreadPool();

	@AfterEach
	void shutDown() {
		executor.shutdownNow();
	}

	private Bulkhead bulkhead(int limit, Duration maxWait) {
		return Bulkhead.of("async", new BulkheadConfig(limit, maxWait), ticker, scheduler, new BulkheadListener() {
			@Override
			public void onRejected(String name) {
				rejections.add(name);
			}
		});
	}

	@Test
	void takesAFreePermitAtOnce() {
		Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
		CompletableFuture<Bulkhead.Permit> permit = bulkhead.acquireAsync();
		assertThat(permit).isCompleted();
		assertThat(bulkhead.availableConcurrentCalls()).isZero();
		permit.join().release();
		assertThat(bulkhead.availableConcurrentCalls()).isEqualTo(1);
		assertThat(scheduler.pendingTasks()).as("no timer for a call that did not wait").isZero();
	}

	@Test
	void rejectsAtOnceWithoutMaxWait() {
		Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
		bulkhead.acquire();
		CompletableFuture<Bulkhead.Permit> permit = bulkhead.acquireAsync();
		assertThatThrownBy(permit::join).hasCauseInstanceOf(BulkheadFullException.class);
		assertThat(bulkhead.waitingCalls()).isZero();
		assertThat(bulkhead.rejectedCalls()).isEqualTo(1);
		assertThat(rejections).containsExactly("async");
	}

	@Test
	void waiterIsServedWhenAPermitIsReleased() {
		Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
		Bulkhead.Permit held = bulkhead.acquire();
		CompletableFuture<Bulkhead.Permit> waiter = bulkhead.acquireAsync();
		assertThat(waiter).isNotDone();
		assertThat(bulkhead.waitingCalls()).isEqualTo(1);
		ticker.advance(Duration.ofMillis(999));
		held.release();
		assertThat(waiter).isCompleted();
		assertThat(bulkhead.availableConcurrentCalls()).as("handed over, not returned to the pool").isZero();
		assertThat(bulkhead.waitingCalls()).isZero();
		assertThat(scheduler.pendingTasks()).as("the timer is cancelled").isZero();
		waiter.join().release();
		assertThat(bulkhead.availableConcurrentCalls()).isEqualTo(1);
		assertThat(bulkhead.rejectedCalls()).isZero();
	}

	@Test
	void waiterIsRejectedWhenMaxWaitIsOver() {
		Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
		Bulkhead.Permit held = bulkhead.acquire();
		CompletableFuture<Bulkhead.Permit> waiter = bulkhead.acquireAsync();
		scheduler.advance(Duration.ofMillis(999));
		assertThat(waiter).isNotDone();
		scheduler.advance(Duration.ofMillis(1));
		assertThatThrownBy(waiter::join).cause()
			.isInstanceOfSatisfying(BulkheadFullException.class, (ex) -> {
				assertThat(ex.bulkheadName()).isEqualTo("async");
				assertThat(ex.maxConcurrentCalls()).isEqualTo(1);
			});
		assertThat(bulkhead.waitingCalls()).isZero();
		assertThat(bulkhead.rejectedCalls()).isEqualTo(1);
		assertThat(rejections).containsExactly("async");
		held.release();
		assertThat(bulkhead.availableConcurrentCalls()).as("the permit goes back to the pool").isEqualTo(1);
	}

	@Test
	void cancellingAWaiterRemovesItAndItsTimer() {
		Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
		Bulkhead.Permit held = bulkhead.acquire();
		CompletableFuture<Bulkhead.Permit> waiter = bulkhead.acquireAsync();
		assertThat(waiter.cancel(false)).isTrue();
		assertThat(bulkhead.waitingCalls()).isZero();
		assertThat(scheduler.pendingTasks()).isZero();
		held.release();
		assertThat(bulkhead.availableConcurrentCalls()).isEqualTo(1);
		assertThat(bulkhead.rejectedCalls()).as("a cancellation is no rejection").isZero();
		assertThat(rejections).isEmpty();
	}

	@Test
	void waitersAreServedInArrivalOrder() {
		Bulkhead bulkhead = bulkhead(2, Duration.ofSeconds(1));
		Bulkhead.Permit first = bulkhead.acquire();
		Bulkhead.Permit second = bulkhead.acquire();
		List<Integer> served = new ArrayList<>();
		List<CompletableFuture<Bulkhead.Permit>> waiters = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			int number = i;
			CompletableFuture<Bulkhead.Permit> waiter = bulkhead.acquireAsync();
			waiter.thenRun(() -> served.add(number));
			waiters.add(waiter);
		}
		// The second waiter leaves: the order of the others is kept.
		waiters.get(1).cancel(false);
		second.release();
		assertThat(served).containsExactly(0);
		first.release();
		assertThat(served).containsExactly(0, 2);
		waiters.get(0).join().release();
		assertThat(served).containsExactly(0, 2, 3);
		assertThat(bulkhead.waitingCalls()).isZero();
		waiters.get(2).join().release();
		waiters.get(3).join().release();
		assertThat(bulkhead.availableConcurrentCalls()).isEqualTo(2);
	}

	@Test
	void aNewCallDoesNotTakeAPermitPastAWaiter() {
		Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
		Bulkhead.Permit held = bulkhead.acquire();
		CompletableFuture<Bulkhead.Permit> waiter = bulkhead.acquireAsync();
		CompletableFuture<Bulkhead.Permit> later = bulkhead.acquireAsync();
		held.release();
		assertThat(waiter).isCompleted();
		assertThat(later).isNotDone();
		assertThatThrownBy(bulkhead::acquireWithoutWaiting).isInstanceOf(BulkheadFullException.class);
		waiter.join().release();
		assertThat(later).isCompleted();
		later.join().release();
		assertThat(bulkhead.availableConcurrentCalls()).isEqualTo(1);
	}

	@Test
	void aPermitServedToAFutureCancelledBeforeDeliveryGoesToTheNextWaiter() {
		Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
		Bulkhead.Permit held = bulkhead.acquire();
		List<CompletableFuture<Bulkhead.Permit>> futures = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			CompletableFuture<Bulkhead.Permit> waiter = bulkhead.acquireAsync();
			waiter.thenAccept(Bulkhead.Permit::release);
			futures.add(waiter);
		}
		held.release();
		// Past a depth of nested hand-offs, the next waiter is served but its permit is
		// delivered through the scheduler: its caller cancels in between.
		CompletableFuture<Bulkhead.Permit> servedNotDelivered = futures.stream()
			.filter((future) -> !future.isDone())
			.findFirst()
			.orElseThrow();
		assertThat(bulkhead.waitingCalls()).as("it has left the queue")
			.isEqualTo(100 - futures.indexOf(servedNotDelivered) - 1);
		servedNotDelivered.cancel(false);
		while (scheduler.runDue() > 0) {
			// Deliveries and the hand-offs that follow them.
		}
		assertThat(futures).allMatch(CompletableFuture::isDone);
		assertThat(futures.stream().filter(CompletableFuture::isCancelled)).containsExactly(servedNotDelivered);
		assertThat(bulkhead.availableConcurrentCalls()).isEqualTo(1);
		assertThat(bulkhead.waitingCalls()).isZero();
		assertThat(bulkhead.rejectedCalls()).isZero();
	}

	@Test
	void blockingAndAsynchronousWaitersShareOneQueue() throws Exception {
		Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(30));
		Bulkhead.Permit held = bulkhead.acquire();
		CompletableFuture<Thread> blockingThread = new CompletableFuture<>();
		Future<Bulkhead.Permit> blocking = executor.submit(() -> {
			blockingThread.complete(Thread.currentThread());
			return bulkhead.acquire();
		});
		awaitParked(blockingThread.get(5, TimeUnit.SECONDS));
		CompletableFuture<Bulkhead.Permit> async = bulkhead.acquireAsync();
		assertThat(bulkhead.waitingCalls()).isEqualTo(2);

		held.release();
		Bulkhead.Permit blockingPermit = blocking.get(5, TimeUnit.SECONDS);
		assertThat(async).as("behind the blocking call that came first").isNotDone();
		blockingPermit.release();
		assertThat(async).isCompleted();
		async.join().release();
		assertThat(bulkhead.availableConcurrentCalls()).isEqualTo(1);
		assertThat(scheduler.pendingTasks()).isZero();
	}

	@Test
	void aBlockingCallWaitsBehindAnAsynchronousWaiter() throws Exception {
		Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(30));
		Bulkhead.Permit held = bulkhead.acquire();
		CompletableFuture<Bulkhead.Permit> async = bulkhead.acquireAsync();
		CompletableFuture<Thread> blockingThread = new CompletableFuture<>();
		Future<Bulkhead.Permit> blocking = executor.submit(() -> {
			blockingThread.complete(Thread.currentThread());
			return bulkhead.acquire();
		});
		awaitParked(blockingThread.get(5, TimeUnit.SECONDS));

		held.release();
		assertThat(async).isCompleted();
		assertThat(blocking).isNotDone();
		async.join().release();
		blocking.get(5, TimeUnit.SECONDS).release();
		assertThat(bulkhead.availableConcurrentCalls()).isEqualTo(1);
	}

	@Test
	void handOffsThatNestDeepContinueThroughTheScheduler() {
		Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
		Bulkhead.Permit held = bulkhead.acquire();
		int waiters = 1_000;
		List<CompletableFuture<Bulkhead.Permit>> futures = new ArrayList<>();
		for (int i = 0; i < waiters; i++) {
			CompletableFuture<Bulkhead.Permit> waiter = bulkhead.acquireAsync();
			// A call that completes at once gives its permit back inside the hand-off.
			waiter.thenAccept(Bulkhead.Permit::release);
			futures.add(waiter);
		}
		held.release();
		long servedInline = futures.stream().filter(CompletableFuture::isDone).count();
		assertThat(servedInline).as("served on the releasing thread's stack").isPositive().isLessThan(waiters);
		while (scheduler.runDue() > 0) {
			// Each scheduled hand-off serves another stack's worth of waiters.
		}
		assertThat(futures).allMatch(CompletableFuture::isDone).noneMatch(CompletableFuture::isCompletedExceptionally);
		assertThat(bulkhead.availableConcurrentCalls()).isEqualTo(1);
		assertThat(bulkhead.waitingCalls()).isZero();
		assertThat(bulkhead.rejectedCalls()).isZero();
	}

	@Test
	void aSchedulerThatRefusesTheTimerRejectsAtOnce() {
		Bulkhead bulkhead = Bulkhead.of("refused", new BulkheadConfig(1, Duration.ofSeconds(1)), ticker,
				(task, delay) -> {
					throw new RejectedExecutionException("shut down");
				}, BulkheadListener.NOOP);
		bulkhead.acquire();
		CompletableFuture<Bulkhead.Permit> waiter = bulkhead.acquireAsync();
		assertThatThrownBy(waiter::join).hasCauseInstanceOf(BulkheadFullException.class);
		assertThat(bulkhead.waitingCalls()).isZero();
		assertThat(bulkhead.rejectedCalls()).isEqualTo(1);
	}

	@Test
	void anAdaptiveLimitServesWaitersAndTimesThemFromTheHandOver() {
		AdaptiveLimitConfig adaptive = new AdaptiveLimitConfig(2, 1, 10, 0.2, 1.25, 100);
		Bulkhead bulkhead = Bulkhead.of("adaptive", BulkheadConfig.adaptive(adaptive, Duration.ofSeconds(1)), ticker,
				scheduler, BulkheadListener.NOOP);
		Bulkhead.Permit first = bulkhead.acquire();
		Bulkhead.Permit second = bulkhead.acquire();
		CompletableFuture<Bulkhead.Permit> waiter = bulkhead.acquireAsync();
		ticker.advance(Duration.ofMillis(500));
		first.release();
		assertThat(waiter).isCompleted();
		second.release();
		waiter.join().release();
		// Releasing twice returns one permit: the waiter's permit is a per-call one.
		waiter.join().release();
		assertThat(bulkhead.availableConcurrentCalls()).isEqualTo(bulkhead.maxConcurrentCalls());
		assertThat(bulkhead.waitingCalls()).isZero();
		assertThat(scheduler.pendingTasks()).isZero();
	}

	/** Waits (bounded) until the thread is parked in the bulkhead's queue. */
	private static void awaitParked(Thread thread) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (thread.getState() != Thread.State.TIMED_WAITING) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("thread never parked: " + thread.getState());
			}
			Thread.onSpinWait();
		}
	}

}

package dev.resilience.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import dev.resilience.core.bulkhead.Bulkhead;
import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.bulkhead.BulkheadFullException;
import dev.resilience.core.bulkhead.BulkheadListener;
import dev.resilience.core.time.Scheduler;
import dev.resilience.core.time.Ticker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Asynchronous calls that wait for bulkhead permits, hammered with real threads: a thousand
 * calls through a bulkhead of ten with a {@code maxWait}, on a pool of two timer threads,
 * with cancellations racing hand-offs and timeouts. The invariants: never more than ten in
 * flight, every call completes, is rejected no earlier than its wait, or is cancelled; every
 * permit is back and no waiter is left at the end.
 */
class AsyncBulkheadWaitStressTests {

	private static final int LIMIT = 10;

	private static final int CALLS = 1_000;

	private static final int SUBMITTERS = 8;

	private static final Duration MAX_WAIT = Duration.ofMillis(20);

	@Test
	void waitingAsynchronousCallsNeverExceedTheLimitAndLeaveNothingBehind() throws Exception {
		ScheduledExecutorService pool = Executors.newScheduledThreadPool(2);
		try {
			runPipeline(pool);
		}
		finally {
			pool.shutdownNow();
		}
	}

	private void runPipeline(ScheduledExecutorService pool) throws Exception {
		Ticker ticker = Ticker.system();
		AtomicInteger listenedRejections = new AtomicInteger();
		Bulkhead bulkhead = Bulkhead.of("stress", new BulkheadConfig(LIMIT, MAX_WAIT), ticker, Scheduler.of(pool),
				new BulkheadListener() {
					@Override
					public void onRejected(String name) {
						listenedRejections.incrementAndGet();
					}
				});
		ResiliencePipeline pipeline = ResiliencePipeline.builder("stress")
			.scheduler(Scheduler.of(pool))
			.bulkhead(bulkhead)
			.build();
		AtomicInteger inFlight = new AtomicInteger();
		AtomicInteger maxInFlight = new AtomicInteger();
		AtomicInteger servedAfterWaiting = new AtomicInteger();
		AtomicInteger completed = new AtomicInteger();
		AtomicInteger rejected = new AtomicInteger();
		AtomicInteger rejectedEarly = new AtomicInteger();
		AtomicInteger cancelled = new AtomicInteger();
		AtomicInteger unexpected = new AtomicInteger();
		List<CompletableFuture<String>> results = new ArrayList<>();
		for (int i = 0; i < CALLS; i++) {
			results.add(null);
		}
		ConcurrentLinkedQueue<CompletableFuture<String>> toCancel = new ConcurrentLinkedQueue<>();
		// Cancellations that reached a call before it ended; how many do depends on timing.
		AtomicInteger cancelledInTime = new AtomicInteger();
		CountDownLatch start = new CountDownLatch(1);
		CountDownLatch submitted = new CountDownLatch(SUBMITTERS);
		long maxWaitNanos = MAX_WAIT.toNanos();
		for (int s = 0; s < SUBMITTERS; s++) {
			int submitter = s;
			new Thread(() -> {
				try {
					start.await();
					Thread submitting = Thread.currentThread();
					for (int i = submitter; i < CALLS; i += SUBMITTERS) {
						long submittedAt = ticker.read();
						CompletableFuture<String> result = pipeline.executeAsync(() -> {
							// Counted once the permits are held, uncounted before the stage
							// completes or when it is cancelled (before the permit goes back).
							int now = inFlight.incrementAndGet();
							maxInFlight.accumulateAndGet(now, Math::max);
							if (Thread.currentThread() != submitting) {
								servedAfterWaiting.incrementAndGet();
							}
							AtomicBoolean left = new AtomicBoolean();
							CompletableFuture<String> stage = new CompletableFuture<>();
							stage.whenComplete((value, error) -> {
								if (left.compareAndSet(false, true)) {
									inFlight.decrementAndGet();
								}
							});
							long work = ThreadLocalRandom.current().nextLong(100_000, 1_000_000);
							pool.schedule(() -> {
								if (left.compareAndSet(false, true)) {
									inFlight.decrementAndGet();
								}
								stage.complete("ok");
							}, work, TimeUnit.NANOSECONDS);
							return stage;
						});
						result.whenComplete((value, error) -> {
							Throwable cause = (error instanceof CompletionException) ? error.getCause() : error;
							if (cause == null) {
								completed.incrementAndGet();
							}
							else if (cause instanceof BulkheadFullException) {
								rejected.incrementAndGet();
								if (ticker.read() - submittedAt < maxWaitNanos) {
									rejectedEarly.incrementAndGet();
								}
							}
							else if (cause instanceof CancellationException) {
								cancelled.incrementAndGet();
							}
							else {
								unexpected.incrementAndGet();
							}
						});
						synchronized (results) {
							results.set(i, result);
						}
						if (i % 10 == 0) {
							toCancel.add(result);
						}
					}
				}
				catch (Throwable ex) {
					unexpected.incrementAndGet();
				}
				finally {
					submitted.countDown();
				}
			}, "async-bulkhead-submitter-" + s).start();
		}
		Thread canceller = new Thread(() -> {
			// Cancels every tenth call at a random moment: while it waits, as it is served,
			// while it runs or after it ended.
			while (submitted.getCount() > 0 || !toCancel.isEmpty()) {
				CompletableFuture<String> victim = toCancel.poll();
				if (victim == null) {
					Thread.onSpinWait();
					continue;
				}
				LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(0, 500_000));
				if (victim.cancel(true)) {
					cancelledInTime.incrementAndGet();
				}
			}
		}, "async-bulkhead-canceller");

		start.countDown();
		canceller.start();
		assertThat(submitted.await(30, TimeUnit.SECONDS)).as("all calls submitted").isTrue();
		canceller.join(30_000);
		CompletableFuture<?>[] all;
		synchronized (results) {
			all = results.toArray(new CompletableFuture<?>[0]);
		}
		CompletableFuture.allOf(all).handle((value, error) -> null).get(30, TimeUnit.SECONDS);

		assertThat(unexpected).hasValue(0);
		assertThat(completed.get() + rejected.get() + cancelled.get()).isEqualTo(CALLS);
		assertThat(maxInFlight.get()).isLessThanOrEqualTo(LIMIT).isPositive();
		assertThat(inFlight).hasValue(0);
		assertThat(rejectedEarly).as("rejected before their wait was over").hasValue(0);
		// Every rejection a caller saw was counted once. Through the pipeline a caller may
		// cancel its call just as the bulkhead rejects the call's wait: the bulkhead has
		// rejected it (and counts it), while the caller sees the cancellation.
		assertThat(bulkhead.rejectedCalls()).isEqualTo(listenedRejections.get())
			.isBetween((long) rejected.get(), (long) rejected.get() + cancelled.get());
		assertThat(bulkhead.availableConcurrentCalls()).as("every permit back").isEqualTo(LIMIT);
		assertThat(bulkhead.waitingCalls()).as("no waiter left").isZero();
		// The scenario really happened: calls waited and were served, others waited in vain.
		assertThat(servedAfterWaiting.get()).as("calls started by a hand-over").isPositive();
		assertThat(rejected.get()).as("calls rejected after waiting").isPositive();
		// Every cancellation that came in time ended its call as cancelled, whenever it came
		// (while waiting, as it was served or while it ran); none came too late to count.
		assertThat(cancelled.get()).as("calls cancelled").isEqualTo(cancelledInTime.get());
	}

	@Test
	void blockingAndAsynchronousWaitersTogetherNeverExceedTheLimit() throws Exception {
		ScheduledExecutorService pool = Executors.newScheduledThreadPool(2);
		try {
			runMixed(pool);
		}
		finally {
			pool.shutdownNow();
		}
	}

	private void runMixed(ScheduledExecutorService pool) throws Exception {
		Bulkhead bulkhead = Bulkhead.of("mixed", new BulkheadConfig(LIMIT, Duration.ofMillis(5)), Ticker.system(),
				Scheduler.of(pool), BulkheadListener.NOOP);
		AtomicInteger inside = new AtomicInteger();
		AtomicInteger maxInside = new AtomicInteger();
		AtomicInteger admittedBlocking = new AtomicInteger();
		AtomicInteger admittedAsync = new AtomicInteger();
		AtomicInteger rejected = new AtomicInteger();
		AtomicInteger cancelled = new AtomicInteger();
		AtomicInteger unexpected = new AtomicInteger();
		int blockingThreads = 40;
		int callsPerThread = 25;
		int asyncCalls = 1_000;
		CountDownLatch start = new CountDownLatch(1);
		CountDownLatch blockingDone = new CountDownLatch(blockingThreads);
		for (int t = 0; t < blockingThreads; t++) {
			new Thread(() -> {
				try {
					start.await();
					for (int i = 0; i < callsPerThread; i++) {
						Bulkhead.Permit permit;
						try {
							permit = bulkhead.acquire();
						}
						catch (BulkheadFullException ex) {
							rejected.incrementAndGet();
							continue;
						}
						maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
						admittedBlocking.incrementAndGet();
						LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(50_000, 300_000));
						inside.decrementAndGet();
						permit.release();
					}
				}
				catch (Throwable ex) {
					unexpected.incrementAndGet();
				}
				finally {
					blockingDone.countDown();
				}
			}, "mixed-blocking-" + t).start();
		}
		List<CompletableFuture<?>> asyncOutcomes = new ArrayList<>();
		start.countDown();
		for (int i = 0; i < asyncCalls; i++) {
			CompletableFuture<Bulkhead.Permit> waiting = bulkhead.acquireAsync();
			CompletableFuture<Void> outcome = new CompletableFuture<>();
			waiting.whenComplete((permit, error) -> {
				if (permit == null) {
					Throwable cause = (error instanceof CompletionException) ? error.getCause() : error;
					if (cause instanceof BulkheadFullException) {
						rejected.incrementAndGet();
					}
					else if (cause instanceof CancellationException) {
						cancelled.incrementAndGet();
					}
					else {
						unexpected.incrementAndGet();
					}
					outcome.complete(null);
					return;
				}
				maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
				admittedAsync.incrementAndGet();
				pool.schedule(() -> {
					inside.decrementAndGet();
					permit.release();
					outcome.complete(null);
				}, ThreadLocalRandom.current().nextLong(50_000, 300_000), TimeUnit.NANOSECONDS);
			});
			if (i % 7 == 0) {
				// Cancelled at once or a moment later: while waiting or as it is served.
				pool.schedule(() -> waiting.cancel(false), ThreadLocalRandom.current().nextLong(0, 1_000_000),
						TimeUnit.NANOSECONDS);
			}
			asyncOutcomes.add(outcome);
			if (i % 50 == 0) {
				LockSupport.parkNanos(200_000);
			}
		}
		assertThat(blockingDone.await(30, TimeUnit.SECONDS)).as("blocking callers finished").isTrue();
		CompletableFuture.allOf(asyncOutcomes.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);

		assertThat(unexpected).hasValue(0);
		assertThat(maxInside.get()).isLessThanOrEqualTo(LIMIT).isPositive();
		assertThat(inside).hasValue(0);
		// Every rejection a caller saw was counted before the caller saw it; a caller may
		// also cancel just as its wait runs out, and see the cancellation of a rejected call.
		assertThat(bulkhead.rejectedCalls()).isBetween((long) rejected.get(),
				(long) rejected.get() + cancelled.get());
		assertThat(bulkhead.availableConcurrentCalls()).isEqualTo(LIMIT);
		assertThat(bulkhead.waitingCalls()).isZero();
		assertThat(admittedBlocking.get()).isPositive();
		assertThat(admittedAsync.get()).isPositive();
	}

}

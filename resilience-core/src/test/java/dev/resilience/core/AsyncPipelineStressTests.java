package dev.resilience.core;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.resilience.core.bulkhead.Bulkhead;
import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.bulkhead.BulkheadFullException;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.retry.Jitter;
import dev.resilience.core.retry.RetryBudgetConfig;
import dev.resilience.core.retry.RetryConfig;
import dev.resilience.core.time.Scheduler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thousand asynchronous calls at once through a bulkhead of ten, on four worker threads
 * and one timer thread, with failures, retries of rejected and failed attempts, and
 * cancellations, some at once and some later from another thread. The invariants: never more than ten attempts in
 * flight, no thread ever waits out a backoff (far more retries wait at once than there are
 * threads), every permit is back at the end and every call is counted exactly once.
 */
class AsyncPipelineStressTests {

	private static final int LIMIT = 10;

	private static final int CALLS = 1_000;

	private static final int SUBMITTERS = 8;

	private static final int WORKERS = 4;

	@Test
	void neverMoreThanTheLimitInFlightNoThreadWaitsAndEveryPermitComesBack() throws Exception {
		ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
		ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
		try {
			run(workers, timer);
		}
		finally {
			workers.shutdownNow();
			timer.shutdownNow();
		}
	}

	private void run(ExecutorService workers, ScheduledExecutorService timer) throws Exception {
		CountingScheduler scheduler = new CountingScheduler(Scheduler.of(timer));
		AtomicInteger sleeps = new AtomicInteger();
		Bulkhead bulkhead = Bulkhead.of("stress", new BulkheadConfig(LIMIT, Duration.ZERO));
		ResiliencePipeline pipeline = ResiliencePipeline.builder("stress")
			.scheduler(scheduler)
			.sleeper((nanos) -> sleeps.incrementAndGet())
			.retry(RetryConfig.builder()
				.maxAttempts(200)
				.initialBackoff(Duration.ofMillis(1))
				.maxBackoff(Duration.ofMillis(8))
				.jitter(Jitter.FULL)
				.retryOn(List.of(IOException.class, BulkheadFullException.class))
				.budget(RetryBudgetConfig.disabled())
				.build())
			.circuitBreaker(CircuitBreakerConfig.builder().failureRateThreshold(90).minimumCalls(100).build())
			.bulkhead(bulkhead)
			.build();

		AtomicInteger inFlight = new AtomicInteger();
		AtomicInteger maxInFlight = new AtomicInteger();
		AtomicLong attemptsRun = new AtomicLong();
		List<CompletableFuture<String>> results = new ArrayList<>();
		for (int i = 0; i < CALLS; i++) {
			results.add(null);
		}
		CountDownLatch start = new CountDownLatch(1);
		CountDownLatch submitted = new CountDownLatch(SUBMITTERS);
		for (int s = 0; s < SUBMITTERS; s++) {
			int submitter = s;
			Thread thread = new Thread(() -> {
				try {
					start.await();
					for (int i = submitter; i < CALLS; i += SUBMITTERS) {
						CompletableFuture<String> result = pipeline.executeAsync(() -> {
							// Counted after the permit is taken, uncounted before the stage completes
							// or when it is cancelled (which happens before the permit goes back),
							// so this never exceeds the permits held.
							int now = inFlight.incrementAndGet();
							maxInFlight.accumulateAndGet(now, Math::max);
							attemptsRun.incrementAndGet();
							AtomicBoolean left = new AtomicBoolean();
							Runnable leave = () -> {
								if (left.compareAndSet(false, true)) {
									inFlight.decrementAndGet();
								}
							};
							// Retries run this on the timer thread: a random source per thread.
							ThreadLocalRandom random = ThreadLocalRandom.current();
							long work = random.nextLong(20_000, 200_000);
							boolean fails = random.nextInt(4) == 0;
							CompletableFuture<String> stage = new CompletableFuture<>();
							stage.whenComplete((value, error) -> leave.run());
							workers.execute(() -> {
								LockSupport.parkNanos(work);
								leave.run();
								if (fails) {
									stage.completeExceptionally(new IOException("flaky"));
								}
								else {
									stage.complete("ok");
								}
							});
							return stage;
						});
						if (i % 10 == 0) {
							// Every tenth call is cancelled at once, in flight or waiting to retry.
							result.cancel(true);
						}
						synchronized (results) {
							results.set(i, result);
						}
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				finally {
					submitted.countDown();
				}
			}, "submitter-" + s);
			thread.start();
		}
		start.countDown();
		assertThat(submitted.await(20, TimeUnit.SECONDS)).as("all calls submitted").isTrue();
		List<CompletableFuture<String>> all;
		synchronized (results) {
			all = new ArrayList<>(results);
		}
		// And every seventh from this thread, wherever it is by now.
		for (int i = 0; i < CALLS; i += 7) {
			all.get(i).cancel(true);
		}
		AtomicInteger succeeded = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		AtomicInteger cancelled = new AtomicInteger();
		CompletableFuture.allOf(all.stream()
			.map((result) -> result.handle((value, error) -> {
				if (error == null) {
					succeeded.incrementAndGet();
				}
				else if (error instanceof CancellationException) {
					cancelled.incrementAndGet();
				}
				else {
					failed.incrementAndGet();
				}
				return null;
			}))
			.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
		// A cancelled attempt's stage may still be running on a worker; let them drain.
		workers.shutdown();
		assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

		assertThat(maxInFlight.get()).as("attempts in flight at once").isLessThanOrEqualTo(LIMIT).isGreaterThan(1);
		assertThat(inFlight).hasValue(0);
		assertThat(bulkhead.availableConcurrentCalls()).as("permits back").isEqualTo(LIMIT);
		assertThat(bulkhead.rejectedCalls()).as("the bulkhead was contended").isPositive();
		assertThat(sleeps).as("sleeps on any thread").hasValue(0);
		assertThat(scheduler.maxWaiting.get()).as("retries waiting at once, against %d threads", WORKERS + 1)
			.isGreaterThan(10 * (WORKERS + 1));
		assertThat(scheduler.waiting).as("retries still waiting").hasValue(0);
		assertThat(succeeded.get() + failed.get() + cancelled.get()).isEqualTo(CALLS);
		assertThat(cancelled.get()).isPositive();
		assertThat(succeeded.get()).isPositive();
		assertThat(pipeline.retry().metrics().calls()).as("every call counted once").isEqualTo(CALLS);
		assertThat(attemptsRun.get()).isGreaterThanOrEqualTo(succeeded.get());
	}

	/** Counts the retries waiting on the scheduler at each moment. */
	private static final class CountingScheduler implements Scheduler {

		final AtomicInteger waiting = new AtomicInteger();

		final AtomicInteger maxWaiting = new AtomicInteger();

		private final Scheduler delegate;

		CountingScheduler(Scheduler delegate) {
			this.delegate = delegate;
		}

		@Override
		public Cancellable schedule(Runnable task, long delayNanos) {
			AtomicInteger once = new AtomicInteger();
			maxWaiting.accumulateAndGet(waiting.incrementAndGet(), Math::max);
			Cancellable scheduled = delegate.schedule(() -> {
				if (once.compareAndSet(0, 1)) {
					waiting.decrementAndGet();
				}
				task.run();
			}, delayNanos);
			return () -> {
				boolean stopped = scheduled.cancel();
				if (stopped && once.compareAndSet(0, 1)) {
					waiting.decrementAndGet();
				}
				return stopped;
			};
		}

	}

}

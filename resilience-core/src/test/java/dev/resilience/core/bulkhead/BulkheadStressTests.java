package dev.resilience.core.bulkhead;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hammers one bulkhead with real threads, failures and interrupts, and checks the
 * invariants: never more than the limit inside, every permit back at the end.
 */
class BulkheadStressTests {

	private static final int LIMIT = 10;

	private static final int THREADS = 200;

	private static final int CALLS_PER_THREAD = 25;

	@Test
	void neverAdmitsMoreThanTheLimitAndReturnsEveryPermit() throws Exception {
		Bulkhead bulkhead = Bulkhead.of("stress", new BulkheadConfig(LIMIT, Duration.ofMillis(2)));
		AtomicInteger inside = new AtomicInteger();
		AtomicInteger maxInside = new AtomicInteger();
		AtomicLong admitted = new AtomicLong();
		AtomicLong rejected = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		AtomicInteger unexpected = new AtomicInteger();
		AtomicInteger interruptedWhileWaiting = new AtomicInteger();
		CountDownLatch start = new CountDownLatch(1);
		CountDownLatch done = new CountDownLatch(THREADS);
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			SplittableRandom random = new SplittableRandom(t);
			Thread worker = new Thread(() -> {
				try {
					start.await();
					for (int i = 0; i < CALLS_PER_THREAD; i++) {
						try {
							bulkhead.execute(() -> {
								int now = inside.incrementAndGet();
								maxInside.accumulateAndGet(now, Math::max);
								admitted.incrementAndGet();
								try {
									LockSupport.parkNanos(random.nextLong(50_000, 300_000));
									if (random.nextInt(4) == 0) {
										throw new IllegalStateException("simulated failure");
									}
									return null;
								}
								finally {
									inside.decrementAndGet();
								}
							});
						}
						catch (BulkheadFullException ex) {
							rejected.incrementAndGet();
							if (Thread.currentThread().isInterrupted()) {
								interruptedWhileWaiting.incrementAndGet();
							}
						}
						catch (IllegalStateException ex) {
							failed.incrementAndGet();
						}
						// An interrupt aimed at a waiting call may land elsewhere; each call starts clean.
						Thread.interrupted();
					}
				}
				catch (Throwable ex) {
					unexpected.incrementAndGet();
				}
				finally {
					done.countDown();
				}
			}, "bulkhead-stress-" + t);
			workers.add(worker);
			worker.start();
		}
		Thread interrupter = new Thread(() -> {
			SplittableRandom random = new SplittableRandom(42);
			while (done.getCount() > 0) {
				Thread victim = workers.get(random.nextInt(THREADS));
				if (victim.getState() == Thread.State.TIMED_WAITING) {
					victim.interrupt();
				}
				LockSupport.parkNanos(100_000);
			}
		}, "bulkhead-stress-interrupter");

		start.countDown();
		interrupter.start();
		assertThat(done.await(20, TimeUnit.SECONDS)).as("all workers finished").isTrue();
		interrupter.join(5_000);

		assertThat(unexpected).hasValue(0);
		assertThat(maxInside.get()).isLessThanOrEqualTo(LIMIT).isPositive();
		assertThat(inside).hasValue(0);
		assertThat(bulkhead.availableConcurrentCalls()).isEqualTo(LIMIT);
		assertThat(admitted.get() + rejected.get()).isEqualTo((long) THREADS * CALLS_PER_THREAD);
		assertThat(bulkhead.rejectedCalls()).isEqualTo(rejected.get());
		assertThat(failed.get()).isPositive();
		// The scenario really happened: hundreds of calls are interrupted while queued in a run.
		assertThat(interruptedWhileWaiting.get()).as("calls interrupted while waiting").isPositive();
	}

}

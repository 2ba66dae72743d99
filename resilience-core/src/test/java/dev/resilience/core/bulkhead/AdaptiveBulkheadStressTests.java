package dev.resilience.core.bulkhead;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import dev.resilience.core.time.Ticker;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hammers an adaptive bulkhead with real threads whose calls slow down as more of them run,
 * so the limit keeps moving while permits are taken and returned, and checks the
 * invariants: never more calls inside than the ceiling, the limit within its bounds, every
 * permit back at the end.
 */
class AdaptiveBulkheadStressTests {

	private static final int MIN_LIMIT = 2;

	private static final int MAX_LIMIT = 24;

	private static final int THREADS = 48;

	private static final int CALLS_PER_THREAD = 150;

	@Test
	void neverAdmitsMoreThanTheCeilingAndReturnsEveryPermitWhileTheLimitMoves() throws Exception {
		// Short windows and frequent probes, so the limit grows and shrinks many times in a run.
		AdaptiveLimitConfig limit = new AdaptiveLimitConfig(8, MIN_LIMIT, MAX_LIMIT, 0.5, 1.1, 3);
		Bulkhead bulkhead = Bulkhead.of("adaptive-stress", BulkheadConfig.adaptive(limit, Duration.ofMillis(1)),
				Ticker.system(), BulkheadListener.NOOP);
		AtomicInteger inside = new AtomicInteger();
		AtomicInteger maxInside = new AtomicInteger();
		AtomicInteger lowestLimit = new AtomicInteger(Integer.MAX_VALUE);
		AtomicInteger highestLimit = new AtomicInteger();
		AtomicLong admitted = new AtomicLong();
		AtomicLong rejected = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		AtomicInteger unexpected = new AtomicInteger();
		CountDownLatch start = new CountDownLatch(1);
		CountDownLatch done = new CountDownLatch(THREADS);
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
								int limitNow = bulkhead.maxConcurrentCalls();
								lowestLimit.accumulateAndGet(limitNow, Math::min);
								highestLimit.accumulateAndGet(limitNow, Math::max);
								admitted.incrementAndGet();
								try {
									// A server of about 6 workers: each call beyond them adds latency.
									LockSupport.parkNanos(20_000L * Math.max(6, now) + random.nextLong(10_000));
									if (random.nextInt(5) == 0) {
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
						}
						catch (IllegalStateException ex) {
							failed.incrementAndGet();
						}
					}
				}
				catch (Throwable ex) {
					unexpected.incrementAndGet();
				}
				finally {
					done.countDown();
				}
			}, "adaptive-bulkhead-stress-" + t);
			worker.start();
		}

		start.countDown();
		assertThat(done.await(20, TimeUnit.SECONDS)).as("all workers finished").isTrue();

		assertThat(unexpected).hasValue(0);
		assertThat(maxInside.get()).isLessThanOrEqualTo(MAX_LIMIT).isPositive();
		assertThat(lowestLimit.get()).isGreaterThanOrEqualTo(MIN_LIMIT);
		assertThat(highestLimit.get()).isLessThanOrEqualTo(MAX_LIMIT);
		assertThat(highestLimit.get()).as("the limit moved during the run").isGreaterThan(lowestLimit.get());
		assertThat(inside).hasValue(0);
		assertThat(bulkhead.availableConcurrentCalls()).as("every permit back")
			.isEqualTo(bulkhead.maxConcurrentCalls());
		assertThat(bulkhead.maxConcurrentCalls()).isBetween(MIN_LIMIT, MAX_LIMIT);
		assertThat(admitted.get() + rejected.get()).isEqualTo((long) THREADS * CALLS_PER_THREAD);
		assertThat(bulkhead.rejectedCalls()).isEqualTo(rejected.get());
		assertThat(failed.get()).isPositive();
		assertThat(rejected.get()).as("the limit sheds some of 48 threads' calls").isPositive();
	}

}

package dev.resilience.core.slo.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.resilience.core.slo.BucketCount;

import static org.assertj.core.api.Assertions.assertThat;

class BucketRingConcurrencyTests {

	private static final int THREADS = 16;

	private static final int PHASES = 40;

	private static final int ADDS_PER_PHASE = 1_000;

	@Test
	void threadsRacingToMoveASlotOnLoseNoEventOfTheNewBucket() throws Exception {
		// Two slots: every phase moves a slot on from the bucket two phases back, and all
		// threads race to do it with their first add of the phase.
		BucketRing ring = new BucketRing(Duration.ofSeconds(1), 2);
		ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
		Phaser phaser = new Phaser(THREADS) {
			@Override
			protected boolean onAdvance(int phase, int parties) {
				long now = phase * 1_000L;
				BucketCount expected = new BucketCount(now, (long) THREADS * ADDS_PER_PHASE, (long) THREADS * ADDS_PER_PHASE / 2);
				List<BucketCount> buckets = ring.export(now).buckets();
				if (buckets.isEmpty() || !buckets.get(buckets.size() - 1).equals(expected)) {
					wrong.add("phase " + phase + ": " + buckets);
				}
				return phase + 1 >= PHASES;
			}
		};
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			Thread thread = new Thread(() -> {
				for (int phase = 0; phase < PHASES; phase++) {
					for (int i = 0; i < ADDS_PER_PHASE; i++) {
						ring.add(phase * 1_000L + i % 1_000, i % 2 == 0, 1);
					}
					phaser.arriveAndAwaitAdvance();
				}
			});
			thread.start();
			threads.add(thread);
		}
		for (Thread thread : threads) {
			thread.join(TimeUnit.SECONDS.toMillis(20));
			assertThat(thread.isAlive()).isFalse();
		}

		assertThat(phaser.isTerminated()).isTrue();
		assertThat(wrong).isEmpty();
	}

}

package dev.resilience.core.circuitbreaker.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class InMemoryFleetOutcomeStoreTests {

	private final InMemoryFleetOutcomeStore store = new InMemoryFleetOutcomeStore();

	@Test
	void readsTheLatestBucketsOldestFirstWithTheAddition() {
		store.exchange("payments", 1000, 7, new OutcomeCounts(3, 1, 0), 4);
		store.exchange("payments", 1000, 9, new OutcomeCounts(5, 2, 1), 4);
		List<OutcomeCounts> read = store.exchange("payments", 1000, 10, new OutcomeCounts(1, 1, 1), 4);
		assertThat(read).containsExactly(new OutcomeCounts(3, 1, 0), OutcomeCounts.EMPTY, new OutcomeCounts(5, 2, 1),
				new OutcomeCounts(1, 1, 1));
	}

	@Test
	void otherBreakersAndBucketLengthsDoNotMix() {
		store.exchange("payments", 1000, 10, new OutcomeCounts(3, 1, 0), 1);
		store.exchange("inventory", 1000, 10, new OutcomeCounts(4, 4, 0), 1);
		store.exchange("payments", 500, 10, new OutcomeCounts(5, 5, 0), 1);
		assertThat(store.exchange("payments", 1000, 10, OutcomeCounts.EMPTY, 1))
			.containsExactly(new OutcomeCounts(3, 1, 0));
	}

	@Test
	void dropsBucketsNoReadCanReach() {
		store.exchange("payments", 1000, 1, new OutcomeCounts(3, 1, 0), 5);
		store.exchange("payments", 1000, 6, OutcomeCounts.EMPTY, 5);
		assertThat(store.exchange("payments", 1000, 6, OutcomeCounts.EMPTY, 10)).allMatch(OutcomeCounts::isEmpty);
	}

	@Test
	void concurrentAdditionsAreNeitherLostNorCountedTwice() throws Exception {
		int threads = 16;
		int exchanges = 2_000;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				futures.add(pool.submit(() -> {
					start.await();
					for (int i = 0; i < exchanges; i++) {
						store.exchange("payments", 1000, 100 + (i % 3), new OutcomeCounts(3, 2, 1), 3);
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		long total = 0;
		for (OutcomeCounts bucket : store.exchange("payments", 1000, 102, OutcomeCounts.EMPTY, 3)) {
			total += bucket.calls();
			assertThat(bucket.failedCalls() * 3).isEqualTo(bucket.calls() * 2);
		}
		assertThat(total).isEqualTo(3L * threads * exchanges);
	}

}

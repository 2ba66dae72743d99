package dev.resilience.core.circuitbreaker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.Collections;
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
		store.exchange("payments", 1000, 7, latest(new OutcomeCounts(3, 1, 0), 4), 4);
		store.exchange("payments", 1000, 9, latest(new OutcomeCounts(5, 2, 1), 4), 4);
		List<OutcomeCounts> read = store.exchange("payments", 1000, 10, latest(new OutcomeCounts(1, 1, 1), 4), 4);
		assertThat(read).containsExactly(new OutcomeCounts(3, 1, 0), OutcomeCounts.EMPTY, new OutcomeCounts(5, 2, 1),
				new OutcomeCounts(1, 1, 1));
	}

	@Test
	void otherBreakersAndBucketLengthsDoNotMix() {
		store.exchange("payments", 1000, 10, latest(new OutcomeCounts(3, 1, 0), 1), 1);
		store.exchange("inventory", 1000, 10, latest(new OutcomeCounts(4, 4, 0), 1), 1);
		store.exchange("payments", 500, 10, latest(new OutcomeCounts(5, 5, 0), 1), 1);
		assertThat(store.exchange("payments", 1000, 10, latest(OutcomeCounts.EMPTY, 1), 1))
			.containsExactly(new OutcomeCounts(3, 1, 0));
	}

	@Test
	void dropsBucketsNoReadCanReach() {
		store.exchange("payments", 1000, 1, latest(new OutcomeCounts(3, 1, 0), 5), 5);
		store.exchange("payments", 1000, 6, latest(OutcomeCounts.EMPTY, 5), 5);
		assertThat(store.exchange("payments", 1000, 6, latest(OutcomeCounts.EMPTY, 10), 10)).allMatch(OutcomeCounts::isEmpty);
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
						store.exchange("payments", 1000, 100 + (i % 3), latest(new OutcomeCounts(3, 2, 1), 3), 3);
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
		for (OutcomeCounts bucket : store.exchange("payments", 1000, 102, latest(OutcomeCounts.EMPTY, 3), 3)) {
			total += bucket.calls();
			assertThat(bucket.failedCalls() * 3).isEqualTo(bucket.calls() * 2);
		}
		assertThat(total).isEqualTo(3L * threads * exchanges);
	}

	/** Counts added to the current bucket only. */
	static List<OutcomeCounts> latest(OutcomeCounts counts, int buckets) {
		List<OutcomeCounts> added = new ArrayList<>(Collections.nCopies(buckets, OutcomeCounts.EMPTY));
		added.set(buckets - 1, counts);
		return added;
	}

	@Test
	void addsToEveryBucketItIsGiven() {
		store.exchange("payments", 1000, 10, List.of(new OutcomeCounts(1, 1, 0), OutcomeCounts.EMPTY,
				new OutcomeCounts(2, 0, 0)), 3);
		assertThat(store.exchange("payments", 1000, 11, List.of(new OutcomeCounts(4, 0, 4), OutcomeCounts.EMPTY,
				OutcomeCounts.EMPTY, OutcomeCounts.EMPTY), 4))
			.containsExactly(new OutcomeCounts(5, 1, 4), OutcomeCounts.EMPTY, new OutcomeCounts(2, 0, 0),
					OutcomeCounts.EMPTY);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> store.exchange("payments", 1000, 11, List.of(OutcomeCounts.EMPTY), 2))
			.withMessageContaining("added must hold one count per bucket (2) but held 1");
	}

}

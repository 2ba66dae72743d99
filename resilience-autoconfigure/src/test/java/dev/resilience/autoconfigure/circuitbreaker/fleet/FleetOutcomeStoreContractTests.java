package dev.resilience.autoconfigure.circuitbreaker.fleet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import dev.resilience.autoconfigure.testsupport.TestServices;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.resilience.core.circuitbreaker.fleet.FleetOutcomeStore;
import dev.resilience.core.circuitbreaker.fleet.FleetStoreException;
import dev.resilience.core.circuitbreaker.fleet.OutcomeCounts;

import static dev.resilience.autoconfigure.circuitbreaker.fleet.Exchanges.exchangeLatest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What every {@link FleetOutcomeStore} does, run against each implementation on a real
 * service. Each test adds to a breaker name of its own, in buckets of the present.
 */
abstract class FleetOutcomeStoreContractTests {

	static final long BUCKET_MILLIS = 10_000;

	/** A fresh breaker name per test, so that tests sharing a table or keys stay apart. */
	String breaker;

	/** The current bucket, by the wall clock. */
	long now;

	/** @return the store under test; skips or fails the test when its service is absent */
	abstract FleetOutcomeStore store();

	/** @return another store on the same service, as another process of the fleet has */
	abstract FleetOutcomeStore anotherProcess();

	/** @return a store whose service nothing answers */
	abstract FleetOutcomeStore unreachableStore();

	/** @return how many buckets of a breaker, of any length, the service holds */
	abstract long storedBuckets(String breakerName);

	@BeforeEach
	void nameTheBreaker() {
		this.breaker = "breaker-" + TestServices.uniqueId();
		this.now = System.currentTimeMillis() / BUCKET_MILLIS;
	}

	@Test
	void returnsTheRequestedBucketsOldestFirstWithTheAdditionIncluded() {
		FleetOutcomeStore store = store();
		exchangeLatest(store, this.breaker, BUCKET_MILLIS, this.now - 2, counts(10, 1, 2), 4);
		exchangeLatest(store, this.breaker, BUCKET_MILLIS, this.now - 1, counts(20, 2, 0), 4);
		exchangeLatest(store, this.breaker, BUCKET_MILLIS, this.now, counts(5, 5, 5), 4);

		List<OutcomeCounts> read = exchangeLatest(store, this.breaker, BUCKET_MILLIS, this.now, counts(3, 1, 0), 4);

		assertThat(read).containsExactly(OutcomeCounts.EMPTY, counts(10, 1, 2), counts(20, 2, 0), counts(8, 6, 5));
	}

	@Test
	void addsToEveryBucketItIsGivenCountsFor() {
		FleetOutcomeStore store = store();
		store.exchange(this.breaker, BUCKET_MILLIS, this.now,
				List.of(counts(2, 2, 0), OutcomeCounts.EMPTY, counts(1, 0, 1)), 3);
		// A later exchange adds to buckets that have ended: calls count where they started.
		List<OutcomeCounts> read = anotherProcess().exchange(this.breaker, BUCKET_MILLIS, this.now + 1,
				List.of(OutcomeCounts.EMPTY, OutcomeCounts.EMPTY, counts(4, 1, 0), counts(3, 0, 0)), 4);

		assertThat(read).containsExactly(counts(2, 2, 0), OutcomeCounts.EMPTY, counts(5, 1, 1), counts(3, 0, 0));
		assertThat(storedBuckets(this.breaker)).isEqualTo(3);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> store.exchange(this.breaker, BUCKET_MILLIS, this.now, List.of(OutcomeCounts.EMPTY), 2))
			.withMessageContaining("added must hold one count per bucket (2) but held 1");
	}

	@Test
	void carriesProbesBesideCallsAndProbesAlone() {
		exchangeLatest(store(), this.breaker, BUCKET_MILLIS, this.now - 1, new OutcomeCounts(0, 0, 0, 2, 1, 0), 2);
		exchangeLatest(anotherProcess(), this.breaker, BUCKET_MILLIS, this.now, new OutcomeCounts(5, 1, 1, 3, 2, 1),
				2);
		List<OutcomeCounts> read = exchangeLatest(store(), this.breaker, BUCKET_MILLIS, this.now,
				new OutcomeCounts(1, 0, 0, 1, 0, 1), 2);
		assertThat(read).containsExactly(new OutcomeCounts(0, 0, 0, 2, 1, 0), new OutcomeCounts(6, 1, 1, 4, 2, 2));
	}

	@Test
	void addsUpTheAdditionsOfEveryProcess() {
		exchangeLatest(store(), this.breaker, BUCKET_MILLIS, this.now, counts(10, 1, 0), 2);
		exchangeLatest(anotherProcess(), this.breaker, BUCKET_MILLIS, this.now, counts(7, 0, 3), 2);

		assertThat(exchangeLatest(store(), this.breaker, BUCKET_MILLIS, this.now, OutcomeCounts.EMPTY, 2))
			.containsExactly(OutcomeCounts.EMPTY, counts(17, 1, 3));
	}

	@Test
	void anEmptyAdditionReadsWithoutWriting() {
		FleetOutcomeStore store = store();
		assertThat(exchangeLatest(store, this.breaker, BUCKET_MILLIS, this.now, OutcomeCounts.EMPTY, 3))
			.containsExactly(OutcomeCounts.EMPTY, OutcomeCounts.EMPTY, OutcomeCounts.EMPTY);
		assertThat(storedBuckets(this.breaker)).isZero();

		exchangeLatest(anotherProcess(), this.breaker, BUCKET_MILLIS, this.now - 1, counts(4, 2, 1), 3);

		assertThat(exchangeLatest(store, this.breaker, BUCKET_MILLIS, this.now, OutcomeCounts.EMPTY, 3))
			.containsExactly(OutcomeCounts.EMPTY, counts(4, 2, 1), OutcomeCounts.EMPTY);
		assertThat(storedBuckets(this.breaker)).isOne();
	}

	@Test
	void breakersAndBucketLengthsAreKeptApart() {
		FleetOutcomeStore store = store();
		// The same moment in buckets twice as long.
		long longBucket = this.now / 2;
		exchangeLatest(store, this.breaker, BUCKET_MILLIS, this.now, counts(1, 1, 0), 1);
		exchangeLatest(store, this.breaker, 2 * BUCKET_MILLIS, longBucket, counts(20, 0, 0), 1);
		exchangeLatest(store, this.breaker + "-other", BUCKET_MILLIS, this.now, counts(300, 0, 0), 1);
		exchangeLatest(store, this.breaker.substring(0, this.breaker.length() - 1), BUCKET_MILLIS, this.now,
				counts(4000, 0, 0), 1);

		assertThat(exchangeLatest(store, this.breaker, BUCKET_MILLIS, this.now, OutcomeCounts.EMPTY, 1))
			.containsExactly(counts(1, 1, 0));
		assertThat(exchangeLatest(store, this.breaker, 2 * BUCKET_MILLIS, longBucket, OutcomeCounts.EMPTY, 1))
			.containsExactly(counts(20, 0, 0));
		assertThat(exchangeLatest(store, this.breaker + "-other", BUCKET_MILLIS, this.now, OutcomeCounts.EMPTY, 1))
			.containsExactly(counts(300, 0, 0));
	}

	@Test
	void bucketsNobodyAddedToAreEmpty() {
		FleetOutcomeStore store = store();
		exchangeLatest(store, this.breaker, BUCKET_MILLIS, this.now - 3, counts(6, 0, 0), 2);

		assertThat(exchangeLatest(store, this.breaker, BUCKET_MILLIS, this.now + 1, OutcomeCounts.EMPTY, 6))
			.containsExactly(OutcomeCounts.EMPTY, counts(6, 0, 0), OutcomeCounts.EMPTY, OutcomeCounts.EMPTY,
					OutcomeCounts.EMPTY, OutcomeCounts.EMPTY);
		assertThat(exchangeLatest(store, this.breaker, BUCKET_MILLIS, this.now + 1, OutcomeCounts.EMPTY, 4))
			.containsOnly(OutcomeCounts.EMPTY)
			.hasSize(4);
	}

	/**
	 * 16 threads spread over 4 stores (processes), 500 exchanges each, add known counts to
	 * three buckets: the fleet's totals are exactly what was added, and every exchange
	 * reads its own addition.
	 */
	@Test
	void concurrentAdditionsOfManyProcessesAreNeitherLostNorCountedTwice() throws Exception {
		List<FleetOutcomeStore> processes = List.of(store(), anotherProcess(), anotherProcess(), anotherProcess());
		int threads = 16;
		int exchanges = 500;
		int buckets = 3;
		long oldest = this.now - buckets + 1;
		AtomicLongArray expected = new AtomicLongArray(3 * buckets);
		List<String> violations = Collections.synchronizedList(new ArrayList<>());
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				FleetOutcomeStore process = processes.get(thread % processes.size());
				done.add(executor.submit(() -> {
					start.await();
					for (int i = 0; i < exchanges; i++) {
						int index = (thread + i) % buckets;
						// Every seventh exchange only reads.
						OutcomeCounts added = (i % 7 == 0) ? OutcomeCounts.EMPTY
								: counts(1 + (thread + i) % 4, (i % 2 == 0) ? 1 : 0, (thread % 2 == 0) ? 1 : 0);
						List<OutcomeCounts> read = exchangeLatest(process, this.breaker, BUCKET_MILLIS, oldest + index,
								added, buckets);
						expected.addAndGet(3 * index, added.calls());
						expected.addAndGet(3 * index + 1, added.failedCalls());
						expected.addAndGet(3 * index + 2, added.slowCalls());
						OutcomeCounts current = read.get(buckets - 1);
						if (read.size() != buckets || current.calls() < added.calls()
								|| current.failedCalls() < added.failedCalls()
								|| current.slowCalls() < added.slowCalls()) {
							violations.add("exchange " + i + " of thread " + thread + " added " + added + " but read "
									+ read);
						}
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : done) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}

		assertThat(violations).isEmpty();
		List<OutcomeCounts> expectedTotals = new ArrayList<>();
		for (int index = 0; index < buckets; index++) {
			expectedTotals.add(counts(expected.get(3 * index), expected.get(3 * index + 1),
					expected.get(3 * index + 2)));
		}
		// Each bucket took a third of the exchanges, most of them adding 1 to 4 calls.
		assertThat(expectedTotals)
			.allSatisfy((total) -> assertThat(total.calls()).isGreaterThan(threads * exchanges / 3));
		assertThat(exchangeLatest(store(), this.breaker, BUCKET_MILLIS, this.now, OutcomeCounts.EMPTY, buckets))
			.containsExactlyElementsOf(expectedTotals);
	}

	@Test
	void anUnreachableStoreThrowsFleetStoreException() {
		FleetOutcomeStore unreachable = unreachableStore();

		assertThatExceptionOfType(FleetStoreException.class)
			.isThrownBy(() -> exchangeLatest(unreachable, this.breaker, BUCKET_MILLIS, this.now, counts(1, 0, 0), 3))
			.withMessageContaining("fleet outcome store")
			.satisfies((ex) -> assertThat(ex.getCause()).isNotNull());
	}

	@Test
	void rejectsArgumentsOutsideTheirRange() {
		FleetOutcomeStore store = store();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> exchangeLatest(store, this.breaker, 0, this.now, OutcomeCounts.EMPTY, 3))
			.withMessage("bucketMillis must be > 0 but was 0");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> exchangeLatest(store, this.breaker, BUCKET_MILLIS, this.now, OutcomeCounts.EMPTY, 0))
			.withMessage("buckets must be > 0 but was 0");
	}

	static OutcomeCounts counts(long calls, long failedCalls, long slowCalls) {
		return new OutcomeCounts(calls, failedCalls, slowCalls);
	}

}

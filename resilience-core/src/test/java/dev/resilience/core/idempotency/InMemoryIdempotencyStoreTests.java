package dev.resilience.core.idempotency;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.time.ManualTicker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryIdempotencyStoreTests {

	private static final Duration LEASE = Duration.ofSeconds(30);

	private static final Duration TTL = Duration.ofHours(1);

	private static final StoredResult RESULT = StoredResult.of(new byte[] { 42 });

	private final ManualTicker ticker = ManualTicker.create();

	private final InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create(3, ticker);

	@Test
	void claimsAFreeKeyAndReportsItInProgressToOthers() {
		Claim first = store.claim(key("k1"), "fp", LEASE);

		assertThat(first.status()).isEqualTo(Claim.Status.CLAIMED);
		assertThat(store.claim(key("k1"), "fp", LEASE).status()).isEqualTo(Claim.Status.IN_PROGRESS);
		assertThat(store.claim(key("k1"), "other", LEASE).status()).isEqualTo(Claim.Status.FINGERPRINT_MISMATCH);
		assertThat(store.find(key("k1"))).isEmpty();
	}

	@Test
	void reportsTheStoredResultOfACompletedKey() {
		String owner = store.claim(key("k1"), "fp", LEASE).ownerToken();

		assertThat(store.complete(key("k1"), owner, RESULT, TTL)).isTrue();

		Claim again = store.claim(key("k1"), "fp", LEASE);
		assertThat(again.status()).isEqualTo(Claim.Status.COMPLETED);
		assertThat(again.result()).isEqualTo(RESULT);
		assertThat(store.claim(key("k1"), "other", LEASE).status()).isEqualTo(Claim.Status.FINGERPRINT_MISMATCH);
		assertThat(store.find(key("k1"))).contains(RESULT);
	}

	@Test
	void forgetsACompletedKeyAfterItsTtl() {
		String owner = store.claim(key("k1"), "fp", LEASE).ownerToken();
		store.complete(key("k1"), owner, RESULT, TTL);

		ticker.advance(TTL);

		assertThat(store.find(key("k1"))).isEmpty();
		assertThat(store.claim(key("k1"), "another fingerprint", LEASE).status()).isEqualTo(Claim.Status.CLAIMED);
		assertThat(store.size()).isEqualTo(1);
	}

	@Test
	void letsAnotherCallerTakeOverOnceTheLeaseRunsOut() {
		String deadOwner = store.claim(key("k1"), "fp", LEASE).ownerToken();
		ticker.advance(LEASE);

		Claim takeover = store.claim(key("k1"), "fp", LEASE);

		assertThat(takeover.status()).isEqualTo(Claim.Status.CLAIMED);
		assertThat(takeover.ownerToken()).isNotEqualTo(deadOwner);
		assertThat(store.complete(key("k1"), deadOwner, RESULT, TTL)).isFalse();
		assertThat(store.release(key("k1"), deadOwner)).isFalse();
		assertThat(store.claim(key("k1"), "fp", LEASE).status()).isEqualTo(Claim.Status.IN_PROGRESS);
		assertThat(store.complete(key("k1"), takeover.ownerToken(), RESULT, TTL)).isTrue();
	}

	@Test
	void releasesOnlyForTheOwnerAndOnlyWhileInProgress() {
		String owner = store.claim(key("k1"), "fp", LEASE).ownerToken();

		assertThat(store.release(key("k1"), "not the owner")).isFalse();
		assertThat(store.release(key("k1"), owner)).isTrue();
		assertThat(store.size()).isZero();

		String next = store.claim(key("k1"), "fp", LEASE).ownerToken();
		store.complete(key("k1"), next, RESULT, TTL);
		assertThat(store.release(key("k1"), next)).isFalse();
		assertThat(store.find(key("k1"))).contains(RESULT);
	}

	@Test
	void evictsExpiredKeysWhenFull() {
		store.claim(key("k1"), "fp", Duration.ofSeconds(1));
		store.claim(key("k2"), "fp", LEASE);
		store.claim(key("k3"), "fp", LEASE);
		ticker.advance(Duration.ofSeconds(1));

		assertThat(store.claim(key("k4"), "fp", LEASE).status()).isEqualTo(Claim.Status.CLAIMED);

		assertThat(store.size()).isEqualTo(3);
		assertThat(store.claim(key("k2"), "fp", LEASE).status()).isEqualTo(Claim.Status.IN_PROGRESS);
	}

	@Test
	void rejectsANewKeyRatherThanDropALiveOneWhenFull() {
		store.claim(key("k1"), "fp", LEASE);
		store.claim(key("k2"), "fp", LEASE);
		store.claim(key("k3"), "fp", LEASE);

		assertThatThrownBy(() -> store.claim(key("k4"), "fp", LEASE)).isInstanceOf(IdempotencyStoreException.class)
			.hasMessageContaining("full: 3 keys");

		assertThat(store.claim(key("k1"), "fp", LEASE).status()).as("a live key still answers")
			.isEqualTo(Claim.Status.IN_PROGRESS);
		assertThat(store.size()).isEqualTo(3);
	}

	@Test
	void evictExpiredRemovesOnlyExpiredKeys() {
		store.claim(key("k1"), "fp", Duration.ofSeconds(1));
		store.claim(key("k2"), "fp", LEASE);
		ticker.advance(Duration.ofSeconds(1));

		assertThat(store.evictExpired()).isEqualTo(1);
		assertThat(store.size()).isEqualTo(1);
		assertThat(store.claim(key("k2"), "fp", LEASE).status()).isEqualTo(Claim.Status.IN_PROGRESS);
	}

	@Test
	void acceptsADurationTooLongForNanoseconds() {
		String owner = store.claim(key("k1"), "fp", LEASE).ownerToken();
		store.complete(key("k1"), owner, RESULT, Duration.ofSeconds(Long.MAX_VALUE));

		ticker.advance(Duration.ofDays(365 * 100));

		assertThat(store.find(key("k1"))).contains(RESULT);
	}

	@Test
	void validatesItsBound() {
		assertThatThrownBy(() -> InMemoryIdempotencyStore.create(0, ticker)).isInstanceOf(InvalidConfigException.class)
			.hasMessage("maxEntries must be >= 1 but was 0");
		assertThat(InMemoryIdempotencyStore.create().maxEntries()).isEqualTo(InMemoryIdempotencyStore.DEFAULT_MAX_ENTRIES);
	}

	@Test
	void grantsAContendedKeyToExactlyOneOfManyThreads() throws Exception {
		InMemoryIdempotencyStore shared = InMemoryIdempotencyStore.create(1000, ticker);
		List<Claim.Status> statuses = claimConcurrently(shared, 64, i -> key("same"));

		assertThat(statuses).filteredOn(status -> status == Claim.Status.CLAIMED).hasSize(1);
		assertThat(statuses).filteredOn(status -> status == Claim.Status.IN_PROGRESS).hasSize(63);
	}

	@Test
	void holdsItsBoundUnderConcurrentClaimsOfNewKeys() throws Exception {
		InMemoryIdempotencyStore bounded = InMemoryIdempotencyStore.create(10, ticker);
		List<Claim.Status> statuses = claimConcurrently(bounded, 64, i -> key("k" + i));

		assertThat(statuses).filteredOn(status -> status == Claim.Status.CLAIMED).hasSize(10);
		assertThat(statuses).filteredOn(status -> status == null).as("rejected as full").hasSize(54);
		assertThat(bounded.size()).isEqualTo(10);
	}

	private List<Claim.Status> claimConcurrently(InMemoryIdempotencyStore target, int threads,
			java.util.function.IntFunction<IdempotencyKey> keys) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Claim.Status>> futures = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				IdempotencyKey key = keys.apply(i);
				futures.add(pool.submit(() -> {
					start.await();
					try {
						return target.claim(key, "fp", LEASE).status();
					}
					catch (IdempotencyStoreException full) {
						return null;
					}
				}));
			}
			start.countDown();
			List<Claim.Status> statuses = new ArrayList<>();
			for (Future<Claim.Status> future : futures) {
				statuses.add(future.get(10, TimeUnit.SECONDS));
			}
			return statuses;
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static IdempotencyKey key(String key) {
		return IdempotencyKey.of("orders", null, key);
	}

}

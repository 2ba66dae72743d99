package dev.resilience.autoconfigure.idempotency;

import dev.resilience.autoconfigure.testsupport.TestServices;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.resilience.core.idempotency.Claim;
import dev.resilience.core.idempotency.Idempotency;
import dev.resilience.core.idempotency.IdempotencyConfig;
import dev.resilience.core.idempotency.IdempotencyConflictException;
import dev.resilience.core.idempotency.IdempotencyKey;
import dev.resilience.core.idempotency.IdempotencyKeyReuseException;
import dev.resilience.core.idempotency.IdempotencyRequest;
import dev.resilience.core.idempotency.IdempotencyResult;
import dev.resilience.core.idempotency.IdempotencyStore;
import dev.resilience.core.idempotency.IdempotencyStoreException;
import dev.resilience.core.idempotency.ResultCodec;
import dev.resilience.core.idempotency.StoredResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link IdempotencyStore} must do, checked through the {@link Idempotency}
 * executor and directly. Each test uses instance names and keys of its own, so the
 * tests of one class can share a table or key space.
 */
abstract class IdempotencyStoreContractTests {

	static final Duration LEASE = Duration.ofSeconds(30);

	static final Duration TTL = Duration.ofMinutes(10);

	static final ResultCodec<String> TEXT = new ResultCodec<>() {
		@Override
		public StoredResult encode(String result) {
			return StoredResult.of(result.getBytes(StandardCharsets.UTF_8), Map.of("type", "text"));
		}

		@Override
		public String decode(StoredResult stored) {
			return new String(stored.body(), StandardCharsets.UTF_8);
		}
	};

	private final AtomicInteger runs = new AtomicInteger();

	/** Unique per test, so that tests never meet in a shared store. */
	String testId;

	/**
	 * @return the store under test
	 */
	abstract IdempotencyStore store();

	/**
	 * Moves the time the store compares leases and ttls against.
	 * @param duration how far
	 */
	abstract void advanceTime(Duration duration);

	/**
	 * @return a store of the same kind whose backing service cannot be reached
	 */
	abstract IdempotencyStore unreachableStore();

	@BeforeEach
	void startAfresh() {
		// Subclasses may share one instance across tests (to share a table); reset per test.
		testId = TestServices.uniqueId();
		runs.set(0);
	}

	@Test
	void runsOneKeyOnceWhenSixtyFourCallersSubmitItAtOnce() throws Exception {
		Idempotency orders = idempotency("orders", IdempotencyConfig.defaults().withLease(LEASE).withTtl(TTL));
		int callers = 64;
		CountDownLatch othersAnswered = new CountDownLatch(callers - 1);
		List<Object> answers = submitConcurrently(callers, () -> {
			try {
				return orders.execute(request("k"), TEXT, () -> {
					runs.incrementAndGet();
					// Hold the key until every other caller has had its answer.
					othersAnswered.await(20, TimeUnit.SECONDS);
					return "the result";
				});
			}
			catch (IdempotencyConflictException conflict) {
				othersAnswered.countDown();
				return conflict;
			}
		});

		assertThat(runs).hasValue(1);
		assertThat(answers).filteredOn("the result"::equals).hasSize(1);
		assertThat(answers).filteredOn(IdempotencyConflictException.class::isInstance).hasSize(callers - 1);
	}

	@Test
	void givesEveryWaitingCallerTheResultOfTheOneExecution() throws Exception {
		Idempotency orders = idempotency("orders",
				IdempotencyConfig.defaults().withLease(LEASE).withTtl(TTL).withMaxWait(Duration.ofSeconds(20)));
		List<Object> answers = submitConcurrently(64, () -> orders.execute(request("k"), TEXT, () -> {
			runs.incrementAndGet();
			LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
			return "the result";
		}));

		assertThat(runs).hasValue(1);
		assertThat(answers).hasSize(64).allMatch("the result"::equals);
	}

	@Test
	void takesOverAClaimWhoseOwnerDiedOnceTheLeaseRunsOut() throws Throwable {
		Idempotency orders = idempotency("orders", IdempotencyConfig.defaults().withLease(LEASE).withTtl(TTL));
		IdempotencyKey key = IdempotencyKey.of(orders.name(), null, keyName("k"));
		Claim dead = store().claim(key, "fp", LEASE);
		assertThat(dead.status()).isEqualTo(Claim.Status.CLAIMED);
		assertThatThrownBy(() -> orders.execute(request("k"), TEXT, this::countedRun))
			.isInstanceOf(IdempotencyConflictException.class);

		advanceTime(LEASE.plusSeconds(1));

		assertThat(orders.execute(request("k"), TEXT, this::countedRun)).isEqualTo("run 1");
		assertThat(orders.executeWithOutcome(request("k"), TEXT, this::countedRun))
			.isEqualTo(new IdempotencyResult<>("run 1", true));
		assertThat(store().complete(key, dead.ownerToken(), TEXT.encode("late"), TTL))
			.as("the dead owner's late completion").isFalse();
		assertThat(store().release(key, dead.ownerToken())).isFalse();
		assertThat(runs).hasValue(1);
	}

	@Test
	void handsADeadClaimToExactlyOneOfSixtyFourCallers() throws Exception {
		Idempotency orders = idempotency("orders", IdempotencyConfig.defaults().withLease(LEASE).withTtl(TTL));
		store().claim(IdempotencyKey.of(orders.name(), null, keyName("k")), "fp", LEASE);
		advanceTime(LEASE.plusSeconds(1));
		int callers = 64;
		CountDownLatch othersAnswered = new CountDownLatch(callers - 1);

		List<Object> answers = submitConcurrently(callers, () -> {
			try {
				return orders.execute(request("k"), TEXT, () -> {
					runs.incrementAndGet();
					othersAnswered.await(20, TimeUnit.SECONDS);
					return "taken over";
				});
			}
			catch (IdempotencyConflictException conflict) {
				othersAnswered.countDown();
				return conflict;
			}
		});

		assertThat(runs).hasValue(1);
		assertThat(answers).filteredOn("taken over"::equals).hasSize(1);
		assertThat(answers).filteredOn(IdempotencyConflictException.class::isInstance).hasSize(callers - 1);
	}

	@Test
	void releasesTheKeyWhenTheCallFails() throws Throwable {
		Idempotency orders = idempotency("orders", IdempotencyConfig.defaults().withLease(LEASE).withTtl(TTL));
		IllegalStateException failure = new IllegalStateException("payment declined");

		assertThatThrownBy(() -> orders.execute(request("k"), TEXT, () -> {
			runs.incrementAndGet();
			throw failure;
		})).isSameAs(failure);

		assertThat(orders.execute(request("k"), TEXT, this::countedRun)).isEqualTo("run 2");
	}

	@Test
	void runsAgainOnceTheResultExpires() throws Throwable {
		Idempotency orders = idempotency("orders", IdempotencyConfig.defaults().withLease(LEASE).withTtl(TTL));
		orders.execute(request("k"), TEXT, this::countedRun);
		assertThat(orders.execute(request("k"), TEXT, this::countedRun)).isEqualTo("run 1");

		advanceTime(TTL.plusSeconds(1));

		assertThat(orders.execute(request("k"), TEXT, this::countedRun)).isEqualTo("run 2");
		assertThat(orders.execute(request("k"), TEXT, this::countedRun)).isEqualTo("run 2");
	}

	@Test
	void rejectsAKeyReusedWithAnotherFingerprint() throws Throwable {
		Idempotency orders = idempotency("orders", IdempotencyConfig.defaults().withLease(LEASE).withTtl(TTL));
		orders.execute(request("k"), TEXT, this::countedRun);

		assertThatThrownBy(() -> orders.execute(IdempotencyRequest.of(keyName("k"), "another body"), TEXT,
				this::countedRun))
			.isInstanceOf(IdempotencyKeyReuseException.class);
		assertThat(runs).hasValue(1);
	}

	@Test
	void keepsKeysOfDifferentPrincipalsAndInstancesApart() throws Throwable {
		IdempotencyConfig config = IdempotencyConfig.defaults().withLease(LEASE).withTtl(TTL);
		Idempotency orders = idempotency("orders", config);
		Idempotency payments = idempotency("payments", config);
		String key = keyName("k");

		String alice = orders.execute(IdempotencyRequest.of(key, "fp", "alice"), TEXT, this::countedRun);
		String bob = orders.execute(IdempotencyRequest.of(key, "fp", "bob"), TEXT, this::countedRun);
		String payment = payments.execute(IdempotencyRequest.of(key, "fp", "alice"), TEXT, this::countedRun);

		assertThat(List.of(alice, bob, payment)).containsExactly("run 1", "run 2", "run 3");
		assertThat(orders.execute(IdempotencyRequest.of(key, "fp", "alice"), TEXT, this::countedRun))
			.isEqualTo("run 1");
		assertThat(orders.execute(IdempotencyRequest.of(key, "fp", "bob"), TEXT, this::countedRun))
			.isEqualTo("run 2");
	}

	@Test
	void failsWithoutRunningTheCallWhenTheStoreIsUnreachable() {
		Idempotency orders = Idempotency.of("orders-" + testId,
				IdempotencyConfig.defaults().withLease(LEASE).withTtl(TTL), unreachableStore());

		assertThatThrownBy(() -> orders.execute(request("k"), TEXT, this::countedRun))
			.isInstanceOf(IdempotencyStoreException.class);
		assertThat(runs).hasValue(0);
	}

	@Test
	void storesBinaryResultsAndMetadataExactly() {
		IdempotencyKey key = IdempotencyKey.of("binary-" + testId, "alice", "k");
		byte[] body = new byte[256 * 64];
		for (int i = 0; i < body.length; i++) {
			body[i] = (byte) i;
		}
		Map<String, String> metadata = new LinkedHashMap<>();
		metadata.put("status", "201");
		metadata.put("content-type", "application/json;charset=UTF-8");
		metadata.put("note", "ünïcode ✓");
		StoredResult result = StoredResult.of(body, metadata);
		String owner = store().claim(key, "fp", LEASE).ownerToken();

		assertThat(store().complete(key, owner, result, TTL)).isTrue();

		assertThat(store().find(key)).contains(result);
		Claim replay = store().claim(key, "fp", LEASE);
		assertThat(replay.status()).isEqualTo(Claim.Status.COMPLETED);
		assertThat(replay.result()).isEqualTo(result);
		assertThat(replay.result().metadata().keySet()).containsExactly("status", "content-type", "note");
	}

	@Test
	void reportsAClaimedKeyToOthersAndLetsOnlyItsOwnerFinishIt() {
		IdempotencyKey key = IdempotencyKey.of("owner-" + testId, null, "k");
		String owner = store().claim(key, "fp", LEASE).ownerToken();

		assertThat(store().claim(key, "fp", LEASE).status()).isEqualTo(Claim.Status.IN_PROGRESS);
		assertThat(store().claim(key, "other", LEASE).status()).isEqualTo(Claim.Status.FINGERPRINT_MISMATCH);
		assertThat(store().find(key)).isEmpty();
		assertThat(store().complete(key, "someone else", StoredResult.empty(), TTL)).isFalse();
		assertThat(store().release(key, "someone else")).isFalse();
		assertThat(store().release(key, owner)).isTrue();
		assertThat(store().release(key, owner)).isFalse();
		assertThat(store().claim(key, "other", LEASE).status()).isEqualTo(Claim.Status.CLAIMED);
	}

	@Test
	void keepsACompletedResultUntilItsTtl() {
		IdempotencyKey key = IdempotencyKey.of("ttl-" + testId, null, "k");
		String owner = store().claim(key, "fp", LEASE).ownerToken();
		store().complete(key, owner, StoredResult.of(new byte[] { 7 }), TTL);
		assertThat(store().release(key, owner)).as("a completed key is not released").isFalse();

		advanceTime(TTL.minusSeconds(1));
		assertThat(store().find(key)).contains(StoredResult.of(new byte[] { 7 }));
		assertThat(store().claim(key, "other", LEASE).status()).isEqualTo(Claim.Status.FINGERPRINT_MISMATCH);

		advanceTime(Duration.ofSeconds(2));
		assertThat(store().find(key)).isEmpty();
		assertThat(store().claim(key, "other", LEASE).status()).isEqualTo(Claim.Status.CLAIMED);
	}

	Idempotency idempotency(String name, IdempotencyConfig config) {
		return Idempotency.of(name + "-" + testId, config, store());
	}

	IdempotencyRequest request(String key) {
		return IdempotencyRequest.of(keyName(key), "fp");
	}

	String keyName(String key) {
		return key + "-" + testId;
	}

	private String countedRun() {
		return "run " + runs.incrementAndGet();
	}

	private static List<Object> submitConcurrently(int callers, ThrowingCall call) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(callers);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Object>> futures = new ArrayList<>();
			for (int i = 0; i < callers; i++) {
				futures.add(pool.submit(() -> {
					start.await();
					try {
						return call.call();
					}
					catch (Throwable ex) {
						return ex;
					}
				}));
			}
			start.countDown();
			List<Object> answers = new ArrayList<>();
			for (Future<Object> future : futures) {
				answers.add(future.get(30, TimeUnit.SECONDS));
			}
			return answers;
		}
		finally {
			pool.shutdownNow();
		}
	}

	@FunctionalInterface
	interface ThrowingCall {

		Object call() throws Throwable;

	}

}

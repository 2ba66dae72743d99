package dev.resilience.core.idempotency;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.resilience.core.time.ManualTicker;
import dev.resilience.core.time.Sleeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdempotencyTests {

	private static final Duration LEASE = Duration.ofSeconds(30);

	private static final Duration TTL = Duration.ofHours(1);

	private final ManualTicker ticker = ManualTicker.create();

	private final InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create(100, ticker);

	private final List<IdempotencyOutcome> outcomes = new ArrayList<>();

	private final List<IdempotencyStoreException> storeFailures = new ArrayList<>();

	private final AtomicInteger runs = new AtomicInteger();

	private final IdempotencyConfig config = IdempotencyConfig.defaults().withLease(LEASE).withTtl(TTL);

	private final Idempotency orders = idempotency("orders", config, store, ticker);

	@Test
	void runsTheCallOnceAndReplaysTheStoredResult() throws Throwable {
		IdempotencyResult<String> first = orders.executeWithOutcome(request("k1", "fp"), TextCodec.INSTANCE,
				() -> "created #" + runs.incrementAndGet());
		IdempotencyResult<String> second = orders.executeWithOutcome(request("k1", "fp"), TextCodec.INSTANCE,
				() -> "created #" + runs.incrementAndGet());

		assertThat(first).isEqualTo(new IdempotencyResult<>("created #1", false));
		assertThat(second).isEqualTo(new IdempotencyResult<>("created #1", true));
		assertThat(runs).hasValue(1);
		assertThat(outcomes).containsExactly(IdempotencyOutcome.EXECUTED, IdempotencyOutcome.REPLAYED);
	}

	@Test
	void replaysANullResult() throws Throwable {
		orders.execute(request("k1", "fp"), TextCodec.INSTANCE, () -> {
			runs.incrementAndGet();
			return null;
		});

		IdempotencyResult<String> replay = orders.executeWithOutcome(request("k1", "fp"), TextCodec.INSTANCE,
				this::countedRun);

		assertThat(replay).isEqualTo(new IdempotencyResult<>(null, true));
		assertThat(runs).hasValue(1);
	}

	@Test
	void rejectsAKeyReusedWithAnotherFingerprint() throws Throwable {
		orders.execute(request("k1", "fp-a"), TextCodec.INSTANCE, this::countedRun);

		assertThatThrownBy(() -> orders.execute(request("k1", "fp-b"), TextCodec.INSTANCE, this::countedRun))
			.isInstanceOfSatisfying(IdempotencyKeyReuseException.class, ex -> {
				assertThat(ex.instanceName()).isEqualTo("orders");
				assertThat(ex.key()).isEqualTo("k1");
			});
		assertThat(runs).hasValue(1);
		assertThat(outcomes).containsExactly(IdempotencyOutcome.EXECUTED, IdempotencyOutcome.REUSED_KEY);
	}

	@Test
	void rejectsAKeyReusedWhileTheFirstCallIsInProgress() {
		store.claim(IdempotencyKey.of("orders", null, "k1"), "fp-a", LEASE);

		assertThatThrownBy(() -> orders.execute(request("k1", "fp-b"), TextCodec.INSTANCE, this::countedRun))
			.isInstanceOf(IdempotencyKeyReuseException.class);
		assertThat(runs).hasValue(0);
	}

	@Test
	void answersADuplicateInProgressWithAConflictAtOnceWhenMaxWaitIsZero() throws Throwable {
		String result = orders.execute(request("k1", "fp"), TextCodec.INSTANCE, () -> {
			assertThatThrownBy(() -> orders.execute(request("k1", "fp"), TextCodec.INSTANCE, this::countedRun))
				.isInstanceOfSatisfying(IdempotencyConflictException.class,
						ex -> assertThat(ex.key()).isEqualTo("k1"));
			return "first";
		});

		assertThat(result).isEqualTo("first");
		assertThat(runs).hasValue(0);
		assertThat(ticker.read()).isZero();
		assertThat(outcomes).containsExactly(IdempotencyOutcome.CONFLICT, IdempotencyOutcome.EXECUTED);
	}

	@Test
	void waitsForTheFirstCallAndReplaysItsResult() throws Throwable {
		IdempotencyKey key = IdempotencyKey.of("orders", null, "k1");
		String owner = store.claim(key, "fp", LEASE).ownerToken();
		List<Long> pauses = new ArrayList<>();
		Sleeper completesOnSecondPause = nanos -> {
			pauses.add(nanos);
			ticker.sleep(nanos);
			if (pauses.size() == 2) {
				store.complete(key, owner, TextCodec.INSTANCE.encode("from the first call"), TTL);
			}
		};
		Idempotency waiting = idempotency("orders", config.withMaxWait(Duration.ofSeconds(5)), store,
				completesOnSecondPause);

		IdempotencyResult<String> result = waiting.executeWithOutcome(request("k1", "fp"), TextCodec.INSTANCE,
				this::countedRun);

		assertThat(result).isEqualTo(new IdempotencyResult<>("from the first call", true));
		assertThat(runs).hasValue(0);
		assertThat(pauses).containsExactly(Duration.ofMillis(10).toNanos(), Duration.ofMillis(20).toNanos());
	}

	@Test
	void givesUpWithAConflictAfterMaxWait() {
		store.claim(IdempotencyKey.of("orders", null, "k1"), "fp", LEASE);
		Idempotency waiting = idempotency("orders", config.withMaxWait(Duration.ofSeconds(1)), store, ticker);

		assertThatThrownBy(() -> waiting.execute(request("k1", "fp"), TextCodec.INSTANCE, this::countedRun))
			.isInstanceOf(IdempotencyConflictException.class);

		assertThat(ticker.read()).isEqualTo(Duration.ofSeconds(1).toNanos());
		assertThat(runs).hasValue(0);
		assertThat(outcomes).containsExactly(IdempotencyOutcome.CONFLICT);
	}

	@Test
	void runsTheCallWhenTheFirstFailsWhileADuplicateWaits() throws Throwable {
		IdempotencyKey key = IdempotencyKey.of("orders", null, "k1");
		String owner = store.claim(key, "fp", LEASE).ownerToken();
		Sleeper releasesOnFirstPause = nanos -> {
			ticker.sleep(nanos);
			store.release(key, owner);
		};
		Idempotency waiting = idempotency("orders", config.withMaxWait(Duration.ofSeconds(5)), store,
				releasesOnFirstPause);

		assertThat(waiting.execute(request("k1", "fp"), TextCodec.INSTANCE, this::countedRun)).isEqualTo("run 1");
	}

	@Test
	void stopsWaitingWithAConflictWhenInterruptedAndKeepsTheInterrupt() {
		store.claim(IdempotencyKey.of("orders", null, "k1"), "fp", LEASE);
		Sleeper interrupted = nanos -> {
			throw new InterruptedException();
		};
		Idempotency waiting = idempotency("orders", config.withMaxWait(Duration.ofSeconds(5)), store, interrupted);

		try {
			assertThatThrownBy(() -> waiting.execute(request("k1", "fp"), TextCodec.INSTANCE, this::countedRun))
				.isInstanceOf(IdempotencyConflictException.class);
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
		}
		finally {
			Thread.interrupted();
		}
		assertThat(runs).hasValue(0);
	}

	@Test
	void takesOverAClaimWhoseOwnerDiedOnceTheLeaseRunsOut() throws Throwable {
		IdempotencyKey key = IdempotencyKey.of("orders", null, "k1");
		String deadOwner = store.claim(key, "fp", LEASE).ownerToken();
		ticker.advance(LEASE.minusNanos(1));
		assertThatThrownBy(() -> orders.execute(request("k1", "fp"), TextCodec.INSTANCE, this::countedRun))
			.isInstanceOf(IdempotencyConflictException.class);

		ticker.advance(1);
		String result = orders.execute(request("k1", "fp"), TextCodec.INSTANCE, this::countedRun);

		assertThat(result).isEqualTo("run 1");
		assertThat(orders.execute(request("k1", "fp"), TextCodec.INSTANCE, this::countedRun)).isEqualTo("run 1");
		assertThat(store.complete(key, deadOwner, StoredResult.of(new byte[] { 1 }), TTL))
			.as("the dead owner's late completion").isFalse();
		assertThat(runs).hasValue(1);
	}

	@Test
	void releasesTheKeyWhenTheCallFailsAndRethrowsTheFailureUnchanged() throws Throwable {
		IOException failure = new IOException("downstream refused");

		assertThatThrownBy(() -> orders.execute(request("k1", "fp"), TextCodec.INSTANCE, () -> {
			runs.incrementAndGet();
			throw failure;
		})).isSameAs(failure);
		assertThat(failure.getSuppressed()).isEmpty();

		assertThat(orders.execute(request("k1", "fp"), TextCodec.INSTANCE, this::countedRun)).isEqualTo("run 2");
		assertThat(outcomes).containsExactly(IdempotencyOutcome.EXECUTED, IdempotencyOutcome.EXECUTED);
	}

	@Test
	void runsAgainOnceTheResultExpires() throws Throwable {
		orders.execute(request("k1", "fp"), TextCodec.INSTANCE, this::countedRun);
		ticker.advance(TTL.minusNanos(1));
		assertThat(orders.execute(request("k1", "fp"), TextCodec.INSTANCE, this::countedRun)).isEqualTo("run 1");

		ticker.advance(1);

		assertThat(orders.execute(request("k1", "fp"), TextCodec.INSTANCE, this::countedRun)).isEqualTo("run 2");
	}

	@Test
	void releasesTheKeyWhenTheResultCannotBeSerialized() throws Throwable {
		ResultCodec<String> unserializable = new ResultCodec<>() {
			@Override
			public StoredResult encode(String result) throws Exception {
				throw new IOException("no serializer for " + result);
			}

			@Override
			public String decode(StoredResult stored) {
				throw new AssertionError("never stored");
			}
		};

		assertThatThrownBy(() -> orders.execute(request("k1", "fp"), unserializable, this::countedRun))
			.isInstanceOf(IdempotencySerializationException.class)
			.hasMessageContaining("'orders'")
			.hasMessageContaining("no serializer for run 1")
			.hasCauseInstanceOf(IOException.class);

		assertThat(orders.execute(request("k1", "fp"), TextCodec.INSTANCE, this::countedRun)).isEqualTo("run 2");
	}

	@Test
	void failsWithASerializationExceptionWhenTheStoredResultCannotBeRead() throws Throwable {
		orders.execute(request("k1", "fp"), TextCodec.INSTANCE, this::countedRun);
		ResultCodec<String> unreadable = new ResultCodec<>() {
			@Override
			public StoredResult encode(String result) {
				throw new AssertionError("never run");
			}

			@Override
			public String decode(StoredResult stored) {
				throw new IllegalStateException("class changed");
			}
		};

		assertThatThrownBy(() -> orders.execute(request("k1", "fp"), unreadable, this::countedRun))
			.isInstanceOf(IdempotencySerializationException.class)
			.hasMessageContaining("class changed");
		assertThat(runs).hasValue(1);
	}

	@Test
	void keepsKeysOfDifferentPrincipalsApart() throws Throwable {
		String alice = orders.execute(IdempotencyRequest.of("k1", "fp", "alice"), TextCodec.INSTANCE,
				this::countedRun);
		String bob = orders.execute(IdempotencyRequest.of("k1", "fp", "bob"), TextCodec.INSTANCE, this::countedRun);
		String anonymous = orders.execute(request("k1", "fp"), TextCodec.INSTANCE, this::countedRun);

		assertThat(List.of(alice, bob, anonymous)).containsExactly("run 1", "run 2", "run 3");
		assertThat(orders.execute(IdempotencyRequest.of("k1", "fp", "bob"), TextCodec.INSTANCE, this::countedRun))
			.isEqualTo("run 2");
	}

	@Test
	void keepsKeysOfDifferentInstancesApart() throws Throwable {
		Idempotency payments = idempotency("payments", config, store, ticker);

		String order = orders.execute(request("k1", "fp"), TextCodec.INSTANCE, this::countedRun);
		String payment = payments.execute(request("k1", "fp"), TextCodec.INSTANCE, this::countedRun);

		assertThat(order).isEqualTo("run 1");
		assertThat(payment).isEqualTo("run 2");
	}

	@Test
	void requiresAKey() {
		assertThatThrownBy(() -> orders.execute(request(null, "fp"), TextCodec.INSTANCE, this::countedRun))
			.isInstanceOfSatisfying(IdempotencyKeyMissingException.class,
					ex -> assertThat(ex.instanceName()).isEqualTo("orders"));
		assertThatThrownBy(() -> orders.execute(request("  ", "fp"), TextCodec.INSTANCE, this::countedRun))
			.isInstanceOf(IdempotencyKeyMissingException.class);
		assertThat(runs).hasValue(0);
	}

	@Test
	void rejectsAKeyLongerThanTheMaximum() throws Throwable {
		Idempotency shortKeys = idempotency("orders", config.withMaxKeyLength(4), store, ticker);

		assertThat(shortKeys.execute(request("abcd", "fp"), TextCodec.INSTANCE, this::countedRun)).isEqualTo("run 1");
		assertThatThrownBy(() -> shortKeys.execute(request("abcde", "fp"), TextCodec.INSTANCE, this::countedRun))
			.isInstanceOf(IdempotencyKeyInvalidException.class)
			.hasMessageContaining("5 characters, more than the maximum of 4");
		assertThat(runs).hasValue(1);
	}

	@Test
	void doesNotRunTheCallWhenTheStoreFails() {
		Idempotency broken = idempotency("orders", config, new FailingStore(store, true, false, false), ticker);

		assertThatThrownBy(() -> broken.execute(request("k1", "fp"), TextCodec.INSTANCE, this::countedRun))
			.isInstanceOf(IdempotencyStoreException.class)
			.hasMessageContaining("'orders' failed to claim")
			.hasRootCauseMessage("connection refused");
		assertThat(runs).hasValue(0);
		assertThat(storeFailures).hasSize(1);
		assertThat(outcomes).isEmpty();
	}

	@Test
	void returnsTheResultWhenTheStoreFailsToStoreIt() throws Throwable {
		Idempotency broken = idempotency("orders", config, new FailingStore(store, false, true, false), ticker);

		assertThat(broken.execute(request("k1", "fp"), TextCodec.INSTANCE, this::countedRun)).isEqualTo("run 1");

		assertThat(storeFailures).singleElement()
			.satisfies(ex -> assertThat(ex).hasMessageContaining("failed to complete"));
		assertThatThrownBy(() -> orders.execute(request("k1", "fp"), TextCodec.INSTANCE, this::countedRun))
			.as("the key stays held until its lease runs out")
			.isInstanceOf(IdempotencyConflictException.class);
	}

	@Test
	void keepsTheCallsFailureWhenTheReleaseFails() {
		Idempotency broken = idempotency("orders", config, new FailingStore(store, false, false, true), ticker);
		IllegalStateException failure = new IllegalStateException("boom");

		assertThatThrownBy(() -> broken.execute(request("k1", "fp"), TextCodec.INSTANCE, () -> {
			throw failure;
		})).isSameAs(failure);

		assertThat(failure.getSuppressed()).singleElement().isInstanceOf(IdempotencyStoreException.class);
		assertThat(storeFailures).hasSize(1);
	}

	@Test
	void aFailingListenerDoesNotChangeTheOutcome() throws Throwable {
		Idempotency noisy = Idempotency.builder("orders", store)
			.config(config)
			.ticker(ticker)
			.sleeper(ticker)
			.listener(new IdempotencyListener() {
				@Override
				public void onOutcome(String name, IdempotencyOutcome outcome) {
					throw new IllegalStateException("listener failed");
				}
			})
			.build();

		assertThat(noisy.execute(request("k1", "fp"), TextCodec.INSTANCE, this::countedRun)).isEqualTo("run 1");
		assertThat(noisy.execute(request("k1", "fp"), TextCodec.INSTANCE, this::countedRun)).isEqualTo("run 1");
	}

	@Test
	void exposesItsSettings() {
		assertThat(orders.name()).isEqualTo("orders");
		assertThat(orders.config()).isEqualTo(config);
		assertThat(orders.store()).isSameAs(store);
		assertThat(Idempotency.of("x", IdempotencyConfig.defaults(), store).config())
			.isEqualTo(IdempotencyConfig.defaults());
	}

	private String countedRun() {
		return "run " + runs.incrementAndGet();
	}

	private static IdempotencyRequest request(String key, String fingerprint) {
		return IdempotencyRequest.of(key, fingerprint);
	}

	private Idempotency idempotency(String name, IdempotencyConfig config, IdempotencyStore store, Sleeper sleeper) {
		return Idempotency.builder(name, store)
			.config(config)
			.ticker(ticker)
			.sleeper(sleeper)
			.listener(new IdempotencyListener() {
				@Override
				public void onOutcome(String name, IdempotencyOutcome outcome) {
					outcomes.add(outcome);
				}

				@Override
				public void onStoreFailure(String name, IdempotencyStoreException failure) {
					storeFailures.add(failure);
				}
			})
			.build();
	}

	/** Delegates to a real store, failing the chosen operations as an unreachable one would. */
	private static final class FailingStore implements IdempotencyStore {

		private final IdempotencyStore delegate;

		private final boolean failClaim;

		private final boolean failComplete;

		private final boolean failRelease;

		FailingStore(IdempotencyStore delegate, boolean failClaim, boolean failComplete, boolean failRelease) {
			this.delegate = delegate;
			this.failClaim = failClaim;
			this.failComplete = failComplete;
			this.failRelease = failRelease;
		}

		@Override
		public Claim claim(IdempotencyKey key, String fingerprint, Duration lease) {
			if (failClaim) {
				throw new IllegalStateException("connection refused");
			}
			return delegate.claim(key, fingerprint, lease);
		}

		@Override
		public boolean complete(IdempotencyKey key, String ownerToken, StoredResult result, Duration ttl) {
			if (failComplete) {
				throw new IllegalStateException("connection reset");
			}
			return delegate.complete(key, ownerToken, result, ttl);
		}

		@Override
		public boolean release(IdempotencyKey key, String ownerToken) {
			if (failRelease) {
				throw new IdempotencyStoreException("connection reset");
			}
			return delegate.release(key, ownerToken);
		}

		@Override
		public Optional<StoredResult> find(IdempotencyKey key) {
			return delegate.find(key);
		}

	}

}

package dev.resilience.core.idempotency;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.resilience.core.time.ManualScheduler;
import dev.resilience.core.time.ManualTicker;
import dev.resilience.core.time.Scheduler;
import dev.resilience.core.time.Ticker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AsyncIdempotencyTests {

	private static final Duration LEASE = Duration.ofSeconds(30);

	private static final Duration TTL = Duration.ofHours(1);

	private final ManualTicker ticker = ManualTicker.create();

	private final ManualScheduler scheduler = ManualScheduler.on(ticker);

	private final InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create(100, ticker);

	private final List<IdempotencyOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());

	private final AtomicInteger runs = new AtomicInteger();

	private final IdempotencyConfig config = IdempotencyConfig.defaults().withLease(LEASE).withTtl(TTL);

	private final Idempotency orders = idempotency(config, store);

	@Test
	void storesTheResultWhenTheStageCompletesAndReplaysItWithoutCallingAgain() {
		CompletableFuture<String> stage = new CompletableFuture<>();
		CompletableFuture<IdempotencyResult<String>> first = orders.executeAsyncWithOutcome(request("k1", "fp"),
				TextCodec.INSTANCE, () -> counted(stage));

		assertThat(first).isNotDone();
		stage.complete("created");

		assertThat(first).isCompletedWithValue(new IdempotencyResult<>("created", false));
		CompletableFuture<IdempotencyResult<String>> second = orders.executeAsyncWithOutcome(request("k1", "fp"),
				TextCodec.INSTANCE, () -> counted(CompletableFuture.completedFuture("again")));
		assertThat(second).isCompletedWithValue(new IdempotencyResult<>("created", true));
		assertThat(runs).hasValue(1);
		assertThat(outcomes).containsExactly(IdempotencyOutcome.EXECUTED, IdempotencyOutcome.REPLAYED);
	}

	@Test
	void releasesTheKeyWhenTheStageFailsSoTheNextCallRuns() {
		IllegalStateException failure = new IllegalStateException("down");
		CompletableFuture<String> first = orders.executeAsync(request("k1", "fp"), TextCodec.INSTANCE,
				() -> counted(CompletableFuture.<String>failedFuture(failure)));

		assertThat(first).isCompletedExceptionally();
		assertThatThrownBy(first::join).hasCause(failure);
		CompletableFuture<String> second = orders.executeAsync(request("k1", "fp"), TextCodec.INSTANCE,
				() -> counted(CompletableFuture.completedFuture("second")));
		assertThat(second).isCompletedWithValue("second");
		assertThat(runs).hasValue(2);
	}

	@Test
	void releasesTheKeyWhenTheCallThrowsInsteadOfReturningAStage() {
		CompletableFuture<String> first = orders.executeAsync(request("k1", "fp"), TextCodec.INSTANCE, () -> {
			throw new IllegalArgumentException("bad");
		});

		assertThatThrownBy(first::join).hasCauseInstanceOf(IllegalArgumentException.class);
		assertThat(orders.executeAsync(request("k1", "fp"), TextCodec.INSTANCE,
				() -> counted(CompletableFuture.completedFuture("ran")))).isCompletedWithValue("ran");
	}

	@Test
	void cancellingTheCallCancelsTheStageAndReleasesTheKey() {
		CompletableFuture<String> stage = new CompletableFuture<>();
		CompletableFuture<String> first = orders.executeAsync(request("k1", "fp"), TextCodec.INSTANCE,
				() -> counted(stage));

		first.cancel(true);

		assertThat(stage).isCancelled();
		assertThat(store.find(IdempotencyKey.of("orders", null, "k1"))).isEmpty();
		assertThat(orders.executeAsync(request("k1", "fp"), TextCodec.INSTANCE,
				() -> counted(CompletableFuture.completedFuture("after")))).isCompletedWithValue("after");
		assertThat(runs).hasValue(2);
	}

	@Test
	void answersADuplicateInProgressWithAConflictAtOnceWhenMaxWaitIsZero() {
		CompletableFuture<String> stage = new CompletableFuture<>();
		orders.executeAsync(request("k1", "fp"), TextCodec.INSTANCE, () -> counted(stage));

		CompletableFuture<String> duplicate = orders.executeAsync(request("k1", "fp"), TextCodec.INSTANCE,
				() -> counted(CompletableFuture.completedFuture("duplicate")));

		assertThatThrownBy(duplicate::join).hasCauseInstanceOf(IdempotencyConflictException.class);
		assertThat(scheduler.pendingTasks()).isZero();
		assertThat(runs).hasValue(1);
	}

	@Test
	void aDuplicateWaitsOnTheSchedulerAndGetsTheFirstCallsResult() {
		Idempotency waiting = idempotency(config.withMaxWait(Duration.ofSeconds(5)), store);
		CompletableFuture<String> stage = new CompletableFuture<>();
		CompletableFuture<String> first = waiting.executeAsync(request("k1", "fp"), TextCodec.INSTANCE,
				() -> counted(stage));

		CompletableFuture<IdempotencyResult<String>> duplicate = waiting.executeAsyncWithOutcome(
				request("k1", "fp"), TextCodec.INSTANCE, () -> counted(CompletableFuture.completedFuture("dup")));

		assertThat(duplicate).isNotDone();
		assertThat(scheduler.pendingTasks()).as("polls again later, holding no thread").isOne();
		scheduler.advance(Duration.ofMillis(10));
		assertThat(duplicate).isNotDone();
		stage.complete("first");
		scheduler.advance(Duration.ofMillis(20));

		assertThat(first).isCompletedWithValue("first");
		assertThat(duplicate).isCompletedWithValue(new IdempotencyResult<>("first", true));
		assertThat(runs).hasValue(1);
	}

	@Test
	void aWaitingDuplicateRunsTheCallWhenTheFirstFails() {
		Idempotency waiting = idempotency(config.withMaxWait(Duration.ofSeconds(5)), store);
		CompletableFuture<String> stage = new CompletableFuture<>();
		waiting.executeAsync(request("k1", "fp"), TextCodec.INSTANCE, () -> counted(stage));
		CompletableFuture<String> duplicate = waiting.executeAsync(request("k1", "fp"), TextCodec.INSTANCE,
				() -> counted(CompletableFuture.completedFuture("second")));

		stage.completeExceptionally(new IllegalStateException("down"));
		scheduler.advance(Duration.ofMillis(10));

		assertThat(duplicate).isCompletedWithValue("second");
		assertThat(runs).hasValue(2);
	}

	@Test
	void aWaitingDuplicateGivesUpWithAConflictAfterMaxWait() {
		Idempotency waiting = idempotency(config.withMaxWait(Duration.ofSeconds(1)), store);
		waiting.executeAsync(request("k1", "fp"), TextCodec.INSTANCE, () -> counted(new CompletableFuture<>()));
		CompletableFuture<String> duplicate = waiting.executeAsync(request("k1", "fp"), TextCodec.INSTANCE,
				() -> counted(CompletableFuture.completedFuture("dup")));

		scheduler.advance(Duration.ofMillis(999));
		assertThat(duplicate).isNotDone();
		scheduler.advance(Duration.ofMillis(1));

		assertThatThrownBy(duplicate::join).hasCauseInstanceOf(IdempotencyConflictException.class);
		assertThat(scheduler.pendingTasks()).isZero();
		assertThat(outcomes).containsExactly(IdempotencyOutcome.CONFLICT);
	}

	@Test
	void aCancelledWaitingDuplicateStopsPolling() {
		Idempotency waiting = idempotency(config.withMaxWait(Duration.ofSeconds(5)), store);
		waiting.executeAsync(request("k1", "fp"), TextCodec.INSTANCE, () -> counted(new CompletableFuture<>()));
		CompletableFuture<String> duplicate = waiting.executeAsync(request("k1", "fp"), TextCodec.INSTANCE,
				() -> counted(CompletableFuture.completedFuture("dup")));

		duplicate.cancel(true);
		scheduler.advance(Duration.ofSeconds(1));

		assertThat(scheduler.pendingTasks()).isZero();
		assertThat(runs).hasValue(1);
	}

	@Test
	void rejectsAKeyReusedWithAnotherFingerprint() {
		orders.executeAsync(request("k1", "fp-a"), TextCodec.INSTANCE,
				() -> counted(CompletableFuture.completedFuture("a")));

		CompletableFuture<String> reuse = orders.executeAsync(request("k1", "fp-b"), TextCodec.INSTANCE,
				() -> counted(CompletableFuture.completedFuture("b")));

		assertThatThrownBy(reuse::join).hasCauseInstanceOf(IdempotencyKeyReuseException.class);
		assertThat(runs).hasValue(1);
		assertThat(outcomes).containsExactly(IdempotencyOutcome.EXECUTED, IdempotencyOutcome.REUSED_KEY);
	}

	@Test
	void releasesTheKeyAndFailsWhenTheResultCannotBeEncoded() {
		ResultCodec<String> refusing = new ResultCodec<>() {
			@Override
			public StoredResult encode(String result) {
				throw new IllegalArgumentException("not serialisable");
			}

			@Override
			public String decode(StoredResult stored) {
				return null;
			}
		};

		CompletableFuture<String> call = orders.executeAsync(request("k1", "fp"), refusing,
				() -> counted(CompletableFuture.completedFuture("x")));

		assertThatThrownBy(call::join).hasCauseInstanceOf(IdempotencySerializationException.class)
			.hasRootCauseMessage("not serialisable");
		assertThat(orders.executeAsync(request("k1", "fp"), TextCodec.INSTANCE,
				() -> counted(CompletableFuture.completedFuture("y")))).isCompletedWithValue("y");
	}

	@Test
	void failsTheFutureWithoutCallingWhenTheKeyIsMissingOrTheStoreFails() {
		IdempotencyStore broken = new IdempotencyStore() {
			@Override
			public Claim claim(IdempotencyKey key, String fingerprint, Duration lease) {
				throw new IllegalStateException("connection refused");
			}

			@Override
			public boolean complete(IdempotencyKey key, String ownerToken, StoredResult result, Duration ttl) {
				return false;
			}

			@Override
			public boolean release(IdempotencyKey key, String ownerToken) {
				return false;
			}

			@Override
			public java.util.Optional<StoredResult> find(IdempotencyKey key) {
				return java.util.Optional.empty();
			}
		};

		CompletableFuture<String> missing = orders.executeAsync(request(" ", "fp"), TextCodec.INSTANCE,
				() -> counted(CompletableFuture.completedFuture("x")));
		CompletableFuture<String> unreachable = idempotency(config, broken).executeAsync(request("k1", "fp"),
				TextCodec.INSTANCE, () -> counted(CompletableFuture.completedFuture("x")));

		assertThatThrownBy(missing::join).hasCauseInstanceOf(IdempotencyKeyMissingException.class);
		assertThatThrownBy(unreachable::join).hasCauseInstanceOf(IdempotencyStoreException.class);
		assertThat(runs).hasValue(0);
	}

	@Test
	void ofConcurrentSubmissionsOfOneKeyExactlyOneRuns() throws Exception {
		int callers = 64;
		InMemoryIdempotencyStore shared = InMemoryIdempotencyStore.create(100, Ticker.system());
		Idempotency concurrent = Idempotency.builder("orders", shared)
			.config(config.withMaxWait(Duration.ofMillis(200)))
			.scheduler(Scheduler.system())
			.build();
		ExecutorService pool = Executors.newFixedThreadPool(8);
		CountDownLatch start = new CountDownLatch(1);
		List<CompletableFuture<CompletableFuture<String>>> submitted = new ArrayList<>();
		try {
			for (int i = 0; i < callers; i++) {
				submitted.add(CompletableFuture.supplyAsync(() -> {
					await(start);
					return concurrent.executeAsync(request("k1", "fp"), TextCodec.INSTANCE,
							() -> counted(CompletableFuture.supplyAsync(() -> "the one")));
				}, pool));
			}
			start.countDown();
			int results = 0;
			for (CompletableFuture<CompletableFuture<String>> each : submitted) {
				CompletableFuture<String> call = each.get(5, TimeUnit.SECONDS);
				try {
					assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo("the one");
					results++;
				}
				catch (java.util.concurrent.ExecutionException ex) {
					assertThat(ex.getCause()).isInstanceOf(IdempotencyConflictException.class);
				}
			}
			assertThat(runs).hasValue(1);
			assertThat(results).isGreaterThanOrEqualTo(1);
		}
		finally {
			pool.shutdownNow();
		}
	}

	private <T> CompletableFuture<T> counted(CompletableFuture<T> stage) {
		runs.incrementAndGet();
		return stage;
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CancellationException("interrupted");
		}
	}

	private static IdempotencyRequest request(String key, String fingerprint) {
		return IdempotencyRequest.of(key, fingerprint);
	}

	private Idempotency idempotency(IdempotencyConfig config, IdempotencyStore store) {
		return Idempotency.builder("orders", store)
			.config(config)
			.ticker(ticker)
			.scheduler(scheduler)
			.listener(new IdempotencyListener() {
				@Override
				public void onOutcome(String name, IdempotencyOutcome outcome) {
					outcomes.add(outcome);
				}
			})
			.build();
	}

}

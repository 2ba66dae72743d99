package dev.resilience.autoconfigure.idempotency;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.resilience.annotation.Idempotent;
import dev.resilience.annotation.Retryable;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.aop.ResilienceAopAutoConfiguration;
import dev.resilience.core.idempotency.IdempotencyConflictException;
import dev.resilience.core.idempotency.IdempotencyKeyReuseException;
import dev.resilience.core.idempotency.IdempotencySerializationException;
import dev.resilience.core.time.ManualScheduler;
import dev.resilience.core.time.ManualTicker;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code @Idempotent} methods returning {@code CompletableFuture}, {@code CompletionStage}
 * or {@code Mono}, on the in-memory store with a manual ticker and scheduler: the
 * key is claimed before the call and settled when the stage or the Mono completes.
 */
class AsyncIdempotentMethodTests {

	private final ManualTicker ticker = ManualTicker.create();

	private final ManualScheduler scheduler = ManualScheduler.on(ticker);

	private final Probe probe = new Probe();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
				ResilienceAopAutoConfiguration.class, IdempotencyAutoConfiguration.class,
				JacksonAutoConfiguration.class))
		.withBean(ManualTicker.class, () -> ticker)
		.withBean(ManualScheduler.class, () -> scheduler)
		.withBean(Orders.class, () -> new Orders(probe))
		.withPropertyValues("resilience.instances.orders.idempotency.ttl=1h", "resilience.idempotency.lease=30s",
				"resilience.idempotency.wait=0s");

	@Test
	void storesTheResultWhenTheFutureCompletesAndReplaysItWithoutCallingTheMethod() {
		runner.run((context) -> {
			Orders orders = context.getBean(Orders.class);
			CompletableFuture<Receipt> pending = new CompletableFuture<>();
			probe.answer = (request) -> pending;

			CompletableFuture<Receipt> first = orders.place(new OrderRequest("o-1", 1250));
			assertThat(first).isNotDone();
			pending.complete(new Receipt("r-1", 1250));
			CompletableFuture<Receipt> second = orders.place(new OrderRequest("o-1", 1250));

			assertThat(first).isCompletedWithValue(new Receipt("r-1", 1250));
			assertThat(second).isCompletedWithValue(new Receipt("r-1", 1250));
			assertThat(probe.executions.get()).isEqualTo(1);
		});
	}

	@Test
	void duplicateWhileTheFirstIsInProgressGetsAConflictWithoutWaiting() {
		runner.run((context) -> {
			Orders orders = context.getBean(Orders.class);
			probe.answer = (request) -> new CompletableFuture<>();
			orders.place(new OrderRequest("o-1", 1250));

			CompletableFuture<Receipt> duplicate = orders.place(new OrderRequest("o-1", 1250));

			assertThatThrownBy(duplicate::join).hasCauseInstanceOf(IdempotencyConflictException.class);
			assertThat(probe.executions.get()).isEqualTo(1);
		});
	}

	@Test
	void duplicateWaitsOnTheSchedulerForTheFirstCallsResult() {
		runner.withPropertyValues("resilience.idempotency.wait=5s").run((context) -> {
			Orders orders = context.getBean(Orders.class);
			CompletableFuture<Receipt> pending = new CompletableFuture<>();
			probe.answer = (request) -> pending;
			orders.place(new OrderRequest("o-1", 1250));

			CompletableFuture<Receipt> duplicate = orders.place(new OrderRequest("o-1", 1250));
			assertThat(duplicate).isNotDone();
			assertThat(scheduler.pendingTasks()).isOne();
			pending.complete(new Receipt("r-1", 1250));
			scheduler.advance(Duration.ofMillis(10));

			assertThat(duplicate).isCompletedWithValue(new Receipt("r-1", 1250));
			assertThat(probe.executions.get()).isEqualTo(1);
		});
	}

	@Test
	void failedFutureReleasesTheKeySoTheNextCallRuns() {
		runner.run((context) -> {
			Orders orders = context.getBean(Orders.class);
			probe.answer = (request) -> CompletableFuture.failedFuture(new IllegalStateException("declined"));

			CompletableFuture<Receipt> first = orders.place(new OrderRequest("o-1", 1250));
			assertThatThrownBy(first::join).hasCauseInstanceOf(IllegalStateException.class)
				.hasRootCauseMessage("declined");
			probe.answer = Probe::receipt;
			CompletableFuture<Receipt> second = orders.place(new OrderRequest("o-1", 1250));

			assertThat(second.join().amountCents()).isEqualTo(1250);
			assertThat(probe.executions.get()).isEqualTo(2);
		});
	}

	@Test
	void cancellingTheCallCancelsTheMethodsFutureAndReleasesTheKey() {
		runner.run((context) -> {
			Orders orders = context.getBean(Orders.class);
			CompletableFuture<Receipt> pending = new CompletableFuture<>();
			probe.answer = (request) -> pending;

			orders.place(new OrderRequest("o-1", 1250)).cancel(true);

			assertThat(pending).isCancelled();
			probe.answer = Probe::receipt;
			assertThat(orders.place(new OrderRequest("o-1", 1250)).join().amountCents()).isEqualTo(1250);
			assertThat(probe.executions.get()).isEqualTo(2);
		});
	}

	@Test
	void reusedKeyWithOtherArgumentsIsRefusedWithoutRunning() {
		runner.run((context) -> {
			Orders orders = context.getBean(Orders.class);
			orders.place(new OrderRequest("o-1", 1250)).join();

			CompletableFuture<Receipt> reuse = orders.place(new OrderRequest("o-1", 9999));

			assertThatThrownBy(reuse::join).hasCauseInstanceOf(IdempotencyKeyReuseException.class);
			assertThat(probe.executions.get()).isEqualTo(1);
		});
	}

	@Test
	void asynchronousRetriesRunInsideTheIdempotentCallAndItsResultIsStoredOnce() {
		runner.withPropertyValues("resilience.instances.orders.retry.max-attempts=3",
				"resilience.instances.orders.retry.initial-backoff=100ms",
				"resilience.instances.orders.retry.jitter=none").run((context) -> {
					Orders orders = context.getBean(Orders.class);
					probe.failuresLeft.set(2);

					CompletionStage<Receipt> first = orders.placeWithRetry(new OrderRequest("retry-1", 10));
					scheduler.advance(Duration.ofSeconds(1));
					Receipt stored = first.toCompletableFuture().join();

					assertThat(probe.executions.get()).isEqualTo(3);
					assertThat(orders.placeWithRetry(new OrderRequest("retry-1", 10)).toCompletableFuture())
						.isCompletedWithValue(stored);
					assertThat(probe.executions.get()).isEqualTo(3);
				});
	}

	@Test
	void replaysTheGenericTypeTheStageCompletesWithAndVoid() {
		runner.run((context) -> {
			Orders orders = context.getBean(Orders.class);
			List<Receipt> first = orders.history("h-1").toCompletableFuture().join();
			orders.cancel("c-1").join();

			List<Receipt> second = orders.history("h-1").toCompletableFuture().join();
			CompletableFuture<Void> cancelledAgain = orders.cancel("c-1");

			assertThat(second).isEqualTo(first).first().isInstanceOf(Receipt.class);
			assertThat(cancelledAgain).isCompletedWithValue(null);
			assertThat(probe.executions.get()).isEqualTo(2);
		});
	}

	@Test
	void resultThatCannotBeStoredFailsTheFutureAndFreesTheKey() {
		runner.run((context) -> {
			Orders orders = context.getBean(Orders.class);

			assertThatThrownBy(() -> orders.shape("s-1").join())
				.hasCauseInstanceOf(IdempotencySerializationException.class);
			assertThatThrownBy(() -> orders.shape("s-1").join())
				.hasCauseInstanceOf(IdempotencySerializationException.class);
			assertThat(probe.executions.get()).isEqualTo(2);
		});
	}

	@Test
	void ofConcurrentSubmissionsOfOneKeyExactlyOneRuns() {
		runner.run((context) -> {
			Orders orders = context.getBean(Orders.class);
			probe.answer = (request) -> CompletableFuture.supplyAsync(() -> Probe.receipt(request).join());
			int callers = 64;
			ExecutorService pool = Executors.newFixedThreadPool(8);
			CountDownLatch start = new CountDownLatch(1);
			List<Future<CompletableFuture<Receipt>>> submitted = new ArrayList<>();
			try {
				for (int i = 0; i < callers; i++) {
					submitted.add(pool.submit(() -> {
						start.await();
						return orders.place(new OrderRequest("o-1", 1250));
					}));
				}
				start.countDown();
				List<Receipt> receipts = new ArrayList<>();
				int conflicts = 0;
				for (Future<CompletableFuture<Receipt>> each : submitted) {
					try {
						receipts.add(each.get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS));
					}
					catch (ExecutionException ex) {
						assertThat(ex.getCause()).isInstanceOf(IdempotencyConflictException.class);
						conflicts++;
					}
				}
				assertThat(probe.executions.get()).isEqualTo(1);
				assertThat(receipts).isNotEmpty().containsOnly(receipts.get(0));
				assertThat(receipts.size() + conflicts).isEqualTo(callers);
			}
			finally {
				pool.shutdownNow();
			}
		});
	}

	@Test
	void monoValueIsStoredAtSubscriptionAndReplayedWithoutCallingTheMethod() {
		runner.withBean(Reactive.class, () -> new Reactive(probe)).run((context) -> {
			Reactive reactive = context.getBean(Reactive.class);
			Mono<Receipt> first = reactive.confirm(new OrderRequest("m-1", 700));
			assertThat(probe.executions.get()).as("nothing runs before subscription").isZero();

			Receipt stored = first.block(Duration.ofSeconds(5));
			Receipt replayed = reactive.confirm(new OrderRequest("m-1", 700)).block(Duration.ofSeconds(5));

			assertThat(replayed).isEqualTo(stored);
			assertThat(probe.executions.get()).isEqualTo(1);
		});
	}

	@Test
	void monoErrorReleasesTheKeyAndEmptyIsReplayedAsEmpty() {
		runner.withBean(Reactive.class, () -> new Reactive(probe)).run((context) -> {
			Reactive reactive = context.getBean(Reactive.class);
			probe.failuresLeft.set(1);

			assertThatThrownBy(() -> reactive.confirm(new OrderRequest("m-1", 700)).block(Duration.ofSeconds(5)))
				.hasMessageContaining("declined");
			assertThat(reactive.confirm(new OrderRequest("m-1", 700)).block(Duration.ofSeconds(5))).isNotNull();
			assertThat(reactive.nothing("n-1").blockOptional(Duration.ofSeconds(5))).isEmpty();
			assertThat(reactive.nothing("n-1").blockOptional(Duration.ofSeconds(5))).isEmpty();
			assertThat(probe.executions.get()).isEqualTo(3);
		});
	}

	@Test
	void cancelledMonoSubscriptionReleasesTheKey() {
		runner.withBean(Reactive.class, () -> new Reactive(probe)).run((context) -> {
			Reactive reactive = context.getBean(Reactive.class);
			AtomicInteger cancellations = new AtomicInteger();
			probe.never = Mono.<Receipt>never().doOnCancel(cancellations::incrementAndGet);

			reactive.confirm(new OrderRequest("m-1", 700)).subscribe().dispose();

			assertThat(cancellations).hasValue(1);
			probe.never = null;
			assertThat(reactive.confirm(new OrderRequest("m-1", 700)).block(Duration.ofSeconds(5))).isNotNull();
			assertThat(probe.executions.get()).isEqualTo(2);
		});
	}

	@Test
	void fluxElementsAreStoredWhenItCompletesAndReplayedWithoutCallingTheMethod() {
		runner.withBean(ReactiveFlux.class, () -> new ReactiveFlux(probe)).run((context) -> {
			ReactiveFlux reactive = context.getBean(ReactiveFlux.class);
			Flux<Receipt> first = reactive.confirm("f-1", 3);
			assertThat(probe.executions.get()).as("nothing runs before subscription").isZero();

			List<Receipt> stored = first.collectList().block(Duration.ofSeconds(5));
			List<Receipt> replayed = reactive.confirm("f-1", 3).collectList().block(Duration.ofSeconds(5));

			assertThat(stored).hasSize(3);
			assertThat(replayed).isEqualTo(stored);
			assertThat(probe.executions.get()).isEqualTo(1);
			assertThatThrownBy(() -> reactive.confirm("f-1", 4).collectList().block(Duration.ofSeconds(5)))
				.isInstanceOf(IdempotencyKeyReuseException.class);
		});
	}

	@Test
	void fluxErrorAfterSomeElementsReleasesTheKeyAndEmitsNothingStored() {
		runner.withBean(ReactiveFlux.class, () -> new ReactiveFlux(probe)).run((context) -> {
			ReactiveFlux reactive = context.getBean(ReactiveFlux.class);
			probe.failuresLeft.set(1);

			assertThatThrownBy(() -> reactive.confirm("f-2", 2).collectList().block(Duration.ofSeconds(5)))
				.hasMessageContaining("declined");
			assertThat(reactive.confirm("f-2", 2).collectList().block(Duration.ofSeconds(5))).hasSize(2);
			assertThat(reactive.confirm("f-2", 2).collectList().block(Duration.ofSeconds(5))).hasSize(2);
			assertThat(probe.executions.get()).isEqualTo(2);
		});
	}

	record OrderRequest(String id, long amountCents) {
	}

	record Receipt(String receiptId, long amountCents) {
	}

	/** A result type JSON can write but not read back. */
	interface Shape {

		int getSides();

	}

	/** What the bean did and will answer, kept outside it: the test sees the bean through its proxy. */
	static final class Probe {

		final AtomicInteger executions = new AtomicInteger();

		final AtomicInteger failuresLeft = new AtomicInteger();

		volatile Function<OrderRequest, CompletableFuture<Receipt>> answer = Probe::receipt;

		volatile Mono<Receipt> never;

		static CompletableFuture<Receipt> receipt(OrderRequest request) {
			return CompletableFuture.completedFuture(new Receipt(UUID.randomUUID().toString(), request.amountCents()));
		}

	}

	public static class Orders {

		private final Probe probe;

		Orders(Probe probe) {
			this.probe = probe;
		}

		@Idempotent(value = "orders", key = "#request.id")
		public CompletableFuture<Receipt> place(OrderRequest request) {
			probe.executions.incrementAndGet();
			return probe.answer.apply(request);
		}

		@Idempotent(value = "orders", key = "#request.id")
		@Retryable("orders")
		public CompletionStage<Receipt> placeWithRetry(OrderRequest request) {
			probe.executions.incrementAndGet();
			if (probe.failuresLeft.getAndDecrement() > 0) {
				return CompletableFuture.failedFuture(new java.io.UncheckedIOException(new java.io.IOException("timeout")));
			}
			return Probe.receipt(request);
		}

		@Idempotent(key = "#p0")
		public CompletionStage<List<Receipt>> history(String key) {
			probe.executions.incrementAndGet();
			return CompletableFuture.completedFuture(
					List.of(new Receipt(UUID.randomUUID().toString(), 1), new Receipt(UUID.randomUUID().toString(), 2)));
		}

		@Idempotent(key = "#key")
		public CompletableFuture<Void> cancel(String key) {
			probe.executions.incrementAndGet();
			return CompletableFuture.completedFuture(null);
		}

		@Idempotent(key = "#key")
		public CompletableFuture<Shape> shape(String key) {
			probe.executions.incrementAndGet();
			return CompletableFuture.completedFuture(() -> 3);
		}

	}

	public static class Reactive {

		private final Probe probe;

		Reactive(Probe probe) {
			this.probe = probe;
		}

		@Idempotent(value = "orders", key = "#request.id")
		public Mono<Receipt> confirm(OrderRequest request) {
			probe.executions.incrementAndGet();
			if (probe.never != null) {
				return probe.never;
			}
			if (probe.failuresLeft.getAndDecrement() > 0) {
				return Mono.error(new IllegalStateException("declined"));
			}
			return Mono.fromFuture(Probe.receipt(request));
		}

		@Idempotent(value = "orders", key = "#key")
		public Mono<String> nothing(String key) {
			probe.executions.incrementAndGet();
			return Mono.empty();
		}

	}

	public static class ReactiveFlux {

		private final Probe probe;

		ReactiveFlux(Probe probe) {
			this.probe = probe;
		}

		@Idempotent(value = "orders", key = "#id")
		public Flux<Receipt> confirm(String id, int count) {
			probe.executions.incrementAndGet();
			Flux<Receipt> receipts = Flux.range(1, count).map((i) -> new Receipt(id + "-" + i, i));
			if (probe.failuresLeft.getAndDecrement() > 0) {
				return receipts.take(1).concatWith(Flux.error(new IllegalStateException("declined")));
			}
			return receipts;
		}

	}

}

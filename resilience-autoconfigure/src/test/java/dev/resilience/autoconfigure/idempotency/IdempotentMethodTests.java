package dev.resilience.autoconfigure.idempotency;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.resilience.annotation.Idempotent;
import dev.resilience.annotation.Retryable;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.aop.ResilienceAopAutoConfiguration;
import dev.resilience.core.idempotency.IdempotencyConflictException;
import dev.resilience.core.idempotency.IdempotencyKeyMissingException;
import dev.resilience.core.idempotency.IdempotencyKeyReuseException;
import dev.resilience.core.idempotency.IdempotencySerializationException;
import dev.resilience.core.time.ManualTicker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code @Idempotent} methods with a key expression, on the in-memory store and a manual
 * ticker: what runs, what is replayed, what is refused.
 */
class IdempotentMethodTests {

	private final ManualTicker ticker = ManualTicker.create();

	private final Probe probe = new Probe();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
				ResilienceAopAutoConfiguration.class, IdempotencyAutoConfiguration.class,
				JacksonAutoConfiguration.class))
		.withBean(ManualTicker.class, () -> ticker)
		.withBean(Orders.class, () -> new Orders(probe))
		.withPropertyValues("resilience.instances.orders.idempotency.ttl=1h", "resilience.idempotency.lease=30s");

	@AfterEach
	void clearSecurityContext() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void replaysTheStoredResultWithoutRunningTheMethodAgain() {
		runner.run((context) -> {
			Orders orders = context.getBean(Orders.class);
			Receipt first = orders.place(new OrderRequest("o-1", 1250));

			Receipt second = orders.place(new OrderRequest("o-1", 1250));

			assertThat(second).isEqualTo(first);
			assertThat(probe.executions.get()).isEqualTo(1);
		});
	}

	@Test
	void replaysGenericResultsAsTheDeclaredType() {
		runner.run((context) -> {
			Orders orders = context.getBean(Orders.class);
			List<Receipt> first = orders.history("h-1");

			List<Receipt> second = orders.history("h-1");

			assertThat(second).isEqualTo(first).first().isInstanceOf(Receipt.class);
			assertThat(probe.executions.get()).isEqualTo(1);
		});
	}

	@Test
	void replaysNullAndVoidResults() {
		runner.run((context) -> {
			Orders orders = context.getBean(Orders.class);
			assertThat(orders.nothingFound("n-1")).isNull();
			orders.cancel("c-1");

			assertThat(orders.nothingFound("n-1")).isNull();
			orders.cancel("c-1");

			assertThat(probe.executions.get()).isEqualTo(2);
		});
	}

	@Test
	void failedCallReleasesTheKey() {
		runner.run((context) -> {
			Orders orders = context.getBean(Orders.class);
			probe.failuresLeft.set(1);

			assertThatThrownBy(() -> orders.place(new OrderRequest("f-1", 10))).isInstanceOf(IllegalStateException.class)
				.hasMessage("payment declined");
			Receipt retried = orders.place(new OrderRequest("f-1", 10));

			assertThat(probe.executions.get()).isEqualTo(2);
			assertThat(orders.place(new OrderRequest("f-1", 10))).isEqualTo(retried);
			assertThat(probe.executions.get()).isEqualTo(2);
		});
	}

	@Test
	void expiredKeyRunsAgain() {
		runner.run((context) -> {
			Orders orders = context.getBean(Orders.class);
			Receipt first = orders.place(new OrderRequest("e-1", 10));

			ticker.advance(Duration.ofHours(1).plusMillis(1));
			Receipt afterTtl = orders.place(new OrderRequest("e-1", 10));

			assertThat(afterTtl).isNotEqualTo(first);
			assertThat(probe.executions.get()).isEqualTo(2);
		});
	}

	@Test
	void reusedKeyWithOtherArgumentsIsRefusedWithoutRunning() {
		runner.run((context) -> {
			Orders orders = context.getBean(Orders.class);
			orders.place(new OrderRequest("r-1", 10));

			assertThatThrownBy(() -> orders.place(new OrderRequest("r-1", 99)))
				.isInstanceOf(IdempotencyKeyReuseException.class)
				.hasMessageContaining("r-1");
			assertThat(probe.executions.get()).isEqualTo(1);
		});
	}

	@Test
	void keyThatEvaluatesToNullIsMissing() {
		runner.run((context) -> {
			Orders orders = context.getBean(Orders.class);

			assertThatThrownBy(() -> orders.place(new OrderRequest(null, 10)))
				.isInstanceOf(IdempotencyKeyMissingException.class);
			assertThat(probe.executions.get()).isZero();
		});
	}

	@Test
	void ownerThatDiedIsTakenOverAfterTheLeaseAndRunsOnceMoreOnce() throws Exception {
		runner.run((context) -> {
			Orders orders = context.getBean(Orders.class);
			probe.hold = new CountDownLatch(1);
			ExecutorService pool = Executors.newFixedThreadPool(16);
			try {
				// The first owner hangs inside the call: to everyone else it has died.
				Future<Receipt> hung = pool.submit(() -> orders.place(new OrderRequest("t-1", 10)));
				assertThat(probe.entered.await(5, TimeUnit.SECONDS)).isTrue();
				probe.hold = null;
				assertThatThrownBy(() -> orders.place(new OrderRequest("t-1", 10)))
					.isInstanceOf(IdempotencyConflictException.class);

				ticker.advance(Duration.ofSeconds(30).plusMillis(1));
				List<Future<Object>> takeovers = new ArrayList<>();
				CountDownLatch gate = new CountDownLatch(1);
				for (int i = 0; i < 15; i++) {
					takeovers.add(pool.submit(() -> {
						gate.await();
						try {
							return orders.place(new OrderRequest("t-1", 10));
						}
						catch (IdempotencyConflictException ex) {
							return ex;
						}
					}));
				}
				gate.countDown();
				List<Receipt> receipts = new ArrayList<>();
				for (Future<Object> takeover : takeovers) {
					Object outcome = takeover.get(10, TimeUnit.SECONDS);
					if (outcome instanceof Receipt receipt) {
						receipts.add(receipt);
					}
				}

				assertThat(probe.executions.get()).isEqualTo(2);
				assertThat(receipts).isNotEmpty().allMatch(receipts.get(0)::equals);
				probe.release.countDown();
				hung.get(10, TimeUnit.SECONDS);
				// The late first owner no longer holds the key: the takeover's result stays.
				assertThat(orders.place(new OrderRequest("t-1", 10))).isEqualTo(receipts.get(0));
				assertThat(probe.executions.get()).isEqualTo(2);
			}
			finally {
				probe.release.countDown();
				pool.shutdownNow();
			}
		});
	}

	@Test
	void keysAreScopedByTheAuthenticatedPrincipal() {
		runner.run((context) -> {
			Orders orders = context.getBean(Orders.class);
			authenticate("alice");
			Receipt alices = orders.place(new OrderRequest("p-1", 10));

			authenticate("bob");
			Receipt bobs = orders.place(new OrderRequest("p-1", 10));

			assertThat(bobs).isNotEqualTo(alices);
			assertThat(probe.executions.get()).isEqualTo(2);
			authenticate("alice");
			assertThat(orders.place(new OrderRequest("p-1", 10))).isEqualTo(alices);
		});
	}

	@Test
	void retriesRunInsideTheIdempotentCallAndItsResultIsStoredOnce() {
		runner.withPropertyValues("resilience.instances.orders.retry.max-attempts=3",
				"resilience.instances.orders.retry.initial-backoff=1ms")
			.run((context) -> {
				Orders orders = context.getBean(Orders.class);
				probe.failuresLeft.set(2);

				Receipt first = orders.placeWithRetry(new OrderRequest("retry-1", 10));

				assertThat(probe.executions.get()).isEqualTo(3);
				assertThat(orders.placeWithRetry(new OrderRequest("retry-1", 10))).isEqualTo(first);
				assertThat(probe.executions.get()).isEqualTo(3);
			});
	}

	@Test
	void resultThatCannotBeReadBackIsAClearErrorAndFreesTheKey() {
		runner.run((context) -> {
			Orders orders = context.getBean(Orders.class);

			assertThatThrownBy(() -> orders.shape("s-1")).isInstanceOf(IdempotencySerializationException.class)
				.hasMessageContaining("Shape")
				.hasMessageContaining("cannot be read back");
			assertThatThrownBy(() -> orders.shape("s-1")).isInstanceOf(IdempotencySerializationException.class);
			assertThat(probe.executions.get()).isEqualTo(2);
		});
	}

	@Test
	void countsOutcomesPerInstance() {
		runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			Orders orders = context.getBean(Orders.class);
			orders.place(new OrderRequest("m-1", 10));
			orders.place(new OrderRequest("m-1", 10));
			assertThatThrownBy(() -> orders.place(new OrderRequest("m-1", 11)))
				.isInstanceOf(IdempotencyKeyReuseException.class);

			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("resilience.idempotency.requests").tags("name", "orders", "outcome", "executed")
				.counter()
				.count()).isEqualTo(1);
			assertThat(meters.get("resilience.idempotency.requests").tags("name", "orders", "outcome", "replayed")
				.counter()
				.count()).isEqualTo(1);
			assertThat(meters.get("resilience.idempotency.requests").tags("name", "orders", "outcome", "reused_key")
				.counter()
				.count()).isEqualTo(1);
			assertThat(context.getBean(IdempotencyRegistry.class).outcomes("orders"))
				.containsEntry(dev.resilience.core.idempotency.IdempotencyOutcome.CONFLICT, 0L);
		});
	}

	@Test
	void methodWithoutKeyThatIsNotAWebHandlerFailsStartUp() {
		runner.withBean(NoKey.class).run((context) -> assertThat(context).hasFailed()
			.getFailure()
			.rootCause()
			.hasMessageContaining("NoKey.order(String)")
			.hasMessageContaining("has no key"));
	}

	@Test
	void keyThatIsNotSpelFailsStartUp() {
		runner.withBean(BadKey.class).run((context) -> assertThat(context).hasFailed()
			.getFailure()
			.hasMessageContaining("BadKey.order(String)")
			.hasMessageContaining("not a valid SpEL expression"));
	}

	private static void authenticate(String user) {
		SecurityContextHolder.getContext()
			.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user, "n/a", List.of()));
	}

	/**
	 * An order to place.
	 *
	 * @param id the client's id of the order, its idempotency key
	 * @param amountCents the amount
	 */
	record OrderRequest(String id, long amountCents) {
	}

	/**
	 * What placing an order returns; a new id per execution tells executions apart.
	 *
	 * @param receiptId unique per execution
	 * @param amountCents the amount
	 */
	record Receipt(String receiptId, long amountCents) {
	}

	/** A result type JSON can write but not read back. */
	interface Shape {

		int getSides();

	}

	/** What the bean did, kept outside it: the test sees the bean through its proxy. */
	static final class Probe {

		final AtomicInteger executions = new AtomicInteger();

		final AtomicInteger failuresLeft = new AtomicInteger();

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		volatile CountDownLatch hold;

	}

	public static class Orders {

		private final Probe probe;

		Orders(Probe probe) {
			this.probe = probe;
		}

		@Idempotent(value = "orders", key = "#request.id")
		public Receipt place(OrderRequest request) throws InterruptedException {
			return run(request);
		}

		@Idempotent(value = "orders", key = "#request.id")
		@Retryable("orders")
		public Receipt placeWithRetry(OrderRequest request) throws InterruptedException {
			return run(request);
		}

		private Receipt run(OrderRequest request) throws InterruptedException {
			probe.executions.incrementAndGet();
			if (probe.hold != null) {
				probe.entered.countDown();
				probe.release.await(10, TimeUnit.SECONDS);
			}
			if (probe.failuresLeft.getAndDecrement() > 0) {
				throw new IllegalStateException("payment declined");
			}
			return new Receipt(UUID.randomUUID().toString(), request.amountCents());
		}

		@Idempotent(key = "#p0")
		public List<Receipt> history(String key) {
			probe.executions.incrementAndGet();
			return List.of(new Receipt(UUID.randomUUID().toString(), 1), new Receipt(UUID.randomUUID().toString(), 2));
		}

		@Idempotent(key = "#key")
		public String nothingFound(String key) {
			probe.executions.incrementAndGet();
			return null;
		}

		@Idempotent(key = "#key")
		public void cancel(String key) {
			probe.executions.incrementAndGet();
		}

		@Idempotent(key = "#key")
		public Shape shape(String key) {
			probe.executions.incrementAndGet();
			return () -> 3;
		}

	}

	public static class NoKey {

		@Idempotent("orders")
		public String order(String id) {
			return id;
		}

	}

	public static class BadKey {

		@Idempotent(value = "orders", key = "#id +")
		public String order(String id) {
			return id;
		}

	}

}

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

import com.zaxxer.hikari.HikariDataSource;
import dev.resilience.annotation.Idempotent;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.aop.ResilienceAopAutoConfiguration;
import dev.resilience.core.idempotency.IdempotencyConflictException;
import dev.resilience.core.idempotency.IdempotencyStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An application instance that claims a key and dies in the call (here: hangs) holds it
 * only for the lease; then another instance sharing the store takes it over, runs the
 * call once more, once, and its result is the one kept. Both instances compare leases
 * against one clock that the test moves, instead of waiting for a real lease to end.
 */
class IdempotencyTakeoverTests {

	private static final Duration LEASE = Duration.ofSeconds(30);

	private final MutableClock clock = MutableClock.startingNow();

	private final Probe probe = new Probe();

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
				ResilienceAopAutoConfiguration.class, IdempotencyAutoConfiguration.class,
				JacksonAutoConfiguration.class))
		.withPropertyValues("resilience.idempotency.lease=" + LEASE.toSeconds() + "s",
				"resilience.defaults.idempotency.ttl=1m")
		.withBean(Probe.class, () -> probe)
		.withBean(Transfers.class);

	@AfterEach
	void closeResources() throws Exception {
		for (AutoCloseable resource : resources) {
			resource.close();
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestStore.class, names = { "POSTGRES", "REDIS" })
	void claimOfAnInstanceThatDiedIsTakenOverAfterTheLeaseAndRunsOnceMoreOnce(TestStore store) throws Exception {
		store.assume();
		String key = "takeover-" + UUID.randomUUID();
		ExecutorService pool = Executors.newFixedThreadPool(17);
		try {
			runner.withBean(IdempotencyStore.class, () -> store(store)).run((dying) -> {
				runner.withBean(IdempotencyStore.class, () -> store(store)).run((survivor) -> {
					Transfers first = dying.getBean(Transfers.class);
					Transfers second = survivor.getBean(Transfers.class);
					probe.hold = new CountDownLatch(1);
					Future<String> hung = pool.submit(() -> first.transfer(key));
					assertThat(probe.entered.await(5, TimeUnit.SECONDS)).isTrue();
					CountDownLatch hold = probe.hold;
					probe.hold = null;
					assertThatThrownBy(() -> second.transfer(key)).isInstanceOf(IdempotencyConflictException.class);

					clock.advance(LEASE.plusMillis(1));
					List<Object> outcomes = takeOver(pool, second, key);

					assertThat(probe.executions).hasValue(2);
					List<Object> results = outcomes.stream().filter(String.class::isInstance).toList();
					assertThat(results).isNotEmpty().allMatch(results.get(0)::equals);
					assertThat(outcomes).allMatch((o) -> o instanceof String || o instanceof IdempotencyConflictException);
					hold.countDown();
					assertThat(hung.get(10, TimeUnit.SECONDS)).isNotEqualTo(results.get(0));
					// The late owner's completion is refused: both instances replay the takeover's result.
					assertThat(first.transfer(key)).isEqualTo(results.get(0));
					assertThat(second.transfer(key)).isEqualTo(results.get(0));
					assertThat(probe.executions).hasValue(2);
				});
			});
		}
		finally {
			if (probe.hold != null) {
				probe.hold.countDown();
			}
			pool.shutdownNow();
		}
	}

	private static List<Object> takeOver(ExecutorService pool, Transfers transfers, String key) throws Exception {
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Object>> futures = new ArrayList<>();
		for (int i = 0; i < 16; i++) {
			futures.add(pool.submit(() -> {
				start.await();
				try {
					return transfers.transfer(key);
				}
				catch (IdempotencyConflictException ex) {
					return ex;
				}
			}));
		}
		start.countDown();
		List<Object> outcomes = new ArrayList<>();
		for (Future<Object> future : futures) {
			outcomes.add(future.get(10, TimeUnit.SECONDS));
		}
		return outcomes;
	}

	/** A store of its own per instance, on the shared service and the shared clock. */
	private IdempotencyStore store(TestStore store) {
		if (store == TestStore.POSTGRES) {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl(TestStore.POSTGRES_URL);
			dataSource.setUsername("postgres");
			dataSource.setMaximumPoolSize(17);
			resources.add(dataSource);
			return JdbcIdempotencyStore.builder(dataSource).clock(clock).build();
		}
		LettuceConnectionFactory connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", 6379));
		connectionFactory.afterPropertiesSet();
		connectionFactory.start();
		resources.add(connectionFactory::destroy);
		return RedisIdempotencyStore.builder(connectionFactory).clock(clock).build();
	}

	/** What the instances did, shared by both. */
	static final class Probe {

		final AtomicInteger executions = new AtomicInteger();

		final CountDownLatch entered = new CountDownLatch(1);

		volatile CountDownLatch hold;

	}

	public static class Transfers {

		private final Probe probe;

		Transfers(Probe probe) {
			this.probe = probe;
		}

		@Idempotent(value = "transfers", key = "#key")
		public String transfer(String key) throws InterruptedException {
			probe.executions.incrementAndGet();
			CountDownLatch hold = probe.hold;
			if (hold != null) {
				probe.entered.countDown();
				hold.await(10, TimeUnit.SECONDS);
			}
			return UUID.randomUUID().toString();
		}

	}

}

package dev.resilience.autoconfigure.idempotency;

import dev.resilience.autoconfigure.testsupport.TestServices;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import dev.resilience.annotation.Idempotent;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.aop.ResilienceAopAutoConfiguration;
import dev.resilience.core.CheckedSupplier;
import dev.resilience.core.idempotency.Idempotency;
import dev.resilience.core.idempotency.IdempotencyConfig;
import dev.resilience.core.idempotency.IdempotencyRequest;
import dev.resilience.core.idempotency.IdempotencyStore;
import dev.resilience.core.idempotency.InMemoryIdempotencyStore;
import dev.resilience.core.idempotency.ResultCodec;
import dev.resilience.core.idempotency.StoredResult;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Prints (does not assert) what idempotency costs per call, single-threaded, against a
 * plain call: the first call of a key (claim, run, complete) and a duplicate (one claim
 * that finds the stored result), on each store, and through an annotated bean on the
 * memory store (adds the proxy, the key expression and JSON). Not a test: its name keeps
 * it out of the suite. Run it with
 * {@code mvn -q -pl resilience-autoconfigure -am test -Dtest=IdempotencyOverheadBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false} and read
 * {@code target/surefire-reports/*IdempotencyOverheadBenchmark-output.txt}.
 */
class IdempotencyOverheadBenchmark {

	private static final byte[] RESULT = "{\"orderId\":\"d3fc4553-8b52-4641-911d-5dbbe6734e74\",\"amountCents\":1250}"
		.getBytes(StandardCharsets.UTF_8);

	private static final ResultCodec<byte[]> BYTES = new ResultCodec<>() {

		@Override
		public StoredResult encode(byte[] result) {
			return StoredResult.of(result);
		}

		@Override
		public byte[] decode(StoredResult stored) {
			return stored.body();
		}

	};

	private static final CheckedSupplier<byte[]> CALL = () -> RESULT;

	private long sink;

	@Test
	void measure() throws Throwable {
		String run = TestServices.uniqueId();
		System.out.printf(Locale.ROOT, "%-34s %14s %14s%n", "per call, single thread", "first call", "duplicate");
		plain();
		measureStore("memory", InMemoryIdempotencyStore.create(1_000_000, dev.resilience.core.time.Ticker.system()),
				200_000);
		TestServices.Availability postgres = TestStore.POSTGRES.probe();
		if (postgres.isAvailable()) {
			try (HikariDataSource dataSource = new HikariDataSource()) {
				dataSource.setJdbcUrl(TestStore.POSTGRES_URL);
				dataSource.setUsername("postgres");
				String table = "idem_bench_" + run;
				JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(dataSource).tableName(table).build();
				try {
					measureStore("jdbc (PostgreSQL, 127.0.0.1)", store, 3_000);
				}
				finally {
					try (Connection connection = dataSource.getConnection();
							Statement statement = connection.createStatement()) {
						statement.execute("DROP TABLE IF EXISTS " + table);
					}
				}
			}
		}
		if (TestStore.REDIS.probe().isAvailable()) {
			LettuceConnectionFactory factory = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration("127.0.0.1", 6379));
			factory.afterPropertiesSet();
			factory.start();
			try {
				measureStore("redis (127.0.0.1)", RedisIdempotencyStore.builder(factory)
					.keyPrefix("resilience-bench:" + run + ":")
					.build(), 3_000);
			}
			finally {
				factory.destroy();
			}
		}
		annotatedBean();
		System.out.println("(sink " + sink + ")");
	}

	private void plain() throws Throwable {
		int iterations = 1_000_000;
		for (int i = 0; i < iterations; i++) {
			sink += CALL.get().length;
		}
		long start = System.nanoTime();
		for (int i = 0; i < iterations; i++) {
			sink += CALL.get().length;
		}
		long perCall = (System.nanoTime() - start) / iterations;
		System.out.printf(Locale.ROOT, "%-34s %11d ns %14s%n", "plain call", perCall, "-");
	}

	private void measureStore(String label, IdempotencyStore store, int iterations) throws Throwable {
		// Keys kept a minute: what a run leaves in a shared store goes away on its own.
		Idempotency idempotency = Idempotency.of("bench",
				IdempotencyConfig.defaults().withTtl(java.time.Duration.ofMinutes(1)), store);
		String prefix = UUID.randomUUID() + "-";
		long[] first = new long[iterations];
		long[] duplicate = new long[iterations];
		// Warm-up, then the measured keys.
		for (int round = 0; round < 2; round++) {
			for (int i = 0; i < iterations; i++) {
				IdempotencyRequest request = IdempotencyRequest.of(prefix + round + "-" + i, "fp");
				long start = System.nanoTime();
				sink += idempotency.execute(request, BYTES, CALL).length;
				long middle = System.nanoTime();
				sink += idempotency.execute(request, BYTES, CALL).length;
				long end = System.nanoTime();
				first[i] = middle - start;
				duplicate[i] = end - middle;
			}
		}
		System.out.printf(Locale.ROOT, "%-34s %14s %14s%n", label, describe(first), describe(duplicate));
	}

	private void annotatedBean() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
					ResilienceAopAutoConfiguration.class, IdempotencyAutoConfiguration.class,
					JacksonAutoConfiguration.class))
			.withPropertyValues("resilience.defaults.idempotency.ttl=1m")
			.withBean(Quotes.class)
			.withBean(IdempotencyStore.class,
					() -> InMemoryIdempotencyStore.create(1_000_000, dev.resilience.core.time.Ticker.system()))
			.run((context) -> {
				Quotes quotes = context.getBean(Quotes.class);
				int iterations = 100_000;
				long[] first = new long[iterations];
				long[] duplicate = new long[iterations];
				for (int round = 0; round < 2; round++) {
					for (int i = 0; i < iterations; i++) {
						String key = round + "-" + i;
						long start = System.nanoTime();
						sink += quotes.quote(key, 1250).amountCents();
						long middle = System.nanoTime();
						sink += quotes.quote(key, 1250).amountCents();
						long end = System.nanoTime();
						first[i] = middle - start;
						duplicate[i] = end - middle;
					}
				}
				System.out.printf(Locale.ROOT, "%-34s %14s %14s%n", "@Idempotent bean, memory", describe(first),
						describe(duplicate));
			});
	}

	/** Median and 99th percentile, in microseconds. */
	private static String describe(long[] nanos) {
		long[] sorted = nanos.clone();
		Arrays.sort(sorted);
		return String.format(Locale.ROOT, "%.1f/%.1f us", sorted[sorted.length / 2] / 1000.0,
				sorted[(int) (sorted.length * 0.99)] / 1000.0);
	}

	/**
	 * A quote.
	 *
	 * @param quoteId its id
	 * @param amountCents the amount
	 */
	record Quote(String quoteId, long amountCents) {
	}

	public static class Quotes {

		@Idempotent(key = "#key")
		public Quote quote(String key, long amountCents) {
			return new Quote(key, amountCents);
		}

	}

}

package dev.resilience.autoconfigure.circuitbreaker.fleet;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.resilience.autoconfigure.testsupport.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;

import dev.resilience.core.circuitbreaker.fleet.FleetOutcomeStore;
import dev.resilience.core.circuitbreaker.fleet.FleetStoreException;
import dev.resilience.core.circuitbreaker.fleet.OutcomeCounts;

import static dev.resilience.autoconfigure.circuitbreaker.fleet.Exchanges.exchangeLatest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Redis store against the contract, on Redis at 127.0.0.1:6379, under a key prefix of
 * its own per run, deleted at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisFleetOutcomeStoreTests extends FleetOutcomeStoreContractTests {

	private static final String REDIS = "Redis on 127.0.0.1:6379";

	private final String keyPrefix = "resilience-test:fleet:" + TestServices.uniqueId() + ":";

	private final List<LettuceConnectionFactory> factories = new ArrayList<>();

	private LettuceConnectionFactory connectionFactory;

	private TestServices.Availability redis;

	@BeforeAll
	void connect() {
		this.connectionFactory = factory(6379);
		this.redis = TestServices.probe(REDIS, () -> {
			try (RedisConnection connection = this.connectionFactory.getConnection()) {
				return connection.ping();
			}
		});
	}

	@AfterAll
	void deleteKeysAndDisconnect() {
		if (this.redis.isAvailable()) {
			try (RedisConnection connection = this.connectionFactory.getConnection();
					Cursor<byte[]> keys = scan(connection, this.keyPrefix + "*")) {
				while (keys.hasNext()) {
					connection.keyCommands().del(keys.next());
				}
			}
		}
		this.factories.forEach(LettuceConnectionFactory::destroy);
	}

	@Override
	FleetOutcomeStore store() {
		this.redis.assume();
		return RedisFleetOutcomeStore.create(this.connectionFactory, this.keyPrefix);
	}

	@Override
	FleetOutcomeStore anotherProcess() {
		this.redis.assume();
		return RedisFleetOutcomeStore.create(factory(6379), this.keyPrefix);
	}

	@Override
	FleetOutcomeStore unreachableStore() {
		return RedisFleetOutcomeStore.create(factory(TestServices.closedPort()), this.keyPrefix);
	}

	@Override
	long storedBuckets(String breakerName) {
		long count = 0;
		try (RedisConnection connection = this.connectionFactory.getConnection();
				Cursor<byte[]> keys = scan(connection, this.keyPrefix + "{" + breakerName + "}:*")) {
			while (keys.hasNext()) {
				keys.next();
				count++;
			}
		}
		return count;
	}

	@Test
	void keepsABucketInAHashUnderTheBreakersHashTag() {
		exchangeLatest(store(), this.breaker, BUCKET_MILLIS, this.now, counts(9, 4, 2), 5);

		Map<byte[], byte[]> fields;
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			fields = connection.hashCommands().hGetAll(key(this.breaker, BUCKET_MILLIS, this.now));
		}
		assertThat(fields).hasSize(3);
		Map<String, String> text = new TreeMap<>();
		fields.forEach((field, value) -> text.put(utf8(field), utf8(value)));
		assertThat(text).containsExactly(Map.entry("calls", "9"), Map.entry("failed", "4"), Map.entry("slow", "2"));
	}

	@Test
	void anAdditionKeepsItsBucketWhileAnExchangeOfItsCountCanReadIt() {
		exchangeLatest(store(), this.breaker, BUCKET_MILLIS, this.now, counts(1, 0, 0), 6);

		// (6 + 2) buckets: the 6 an exchange reads it for, 2 for processes whose clocks lag.
		assertThat(timeToLive(key(this.breaker, BUCKET_MILLIS, this.now))).isBetween(8 * BUCKET_MILLIS - 5_000,
				8 * BUCKET_MILLIS);
	}

	@Test
	void aShorterExchangeDoesNotShortenABucketsExpiry() {
		FleetOutcomeStore store = store();
		exchangeLatest(store, this.breaker, BUCKET_MILLIS, this.now, counts(1, 0, 0), 10);
		exchangeLatest(store, this.breaker, BUCKET_MILLIS, this.now, counts(1, 0, 0), 1);

		assertThat(timeToLive(key(this.breaker, BUCKET_MILLIS, this.now))).isGreaterThan(3 * BUCKET_MILLIS);

		exchangeLatest(store, this.breaker, BUCKET_MILLIS, this.now, counts(1, 0, 0), 20);

		assertThat(timeToLive(key(this.breaker, BUCKET_MILLIS, this.now))).isGreaterThan(12 * BUCKET_MILLIS);
	}

	@Test
	void sendsTheScriptAgainWhenRedisForgotIt() {
		FleetOutcomeStore store = store();
		exchangeLatest(store, this.breaker, BUCKET_MILLIS, this.now, counts(2, 0, 0), 1);
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			connection.scriptingCommands().scriptFlush();
		}

		assertThat(exchangeLatest(store, this.breaker, BUCKET_MILLIS, this.now, counts(3, 1, 0), 1))
			.containsExactly(counts(5, 1, 0));
	}

	@Test
	void anUnreachableStoreNamesTheBreakerAndTheCause() {
		FleetOutcomeStore unreachable = unreachableStore();

		assertThatExceptionOfType(FleetStoreException.class)
			.isThrownBy(() -> exchangeLatest(unreachable, this.breaker, BUCKET_MILLIS, this.now, OutcomeCounts.EMPTY, 3))
			.withMessageStartingWith("The Redis fleet outcome store failed to exchange the outcomes of breaker '"
					+ this.breaker + "': ");
	}

	@Test
	void usesTheDefaultKeyPrefixUnlessGivenOne() {
		assertThat(RedisFleetOutcomeStore.create(this.connectionFactory).keyPrefix()).isEqualTo("resilience:fleet:");
	}

	private byte[] key(String breakerName, long bucketMillis, long bucket) {
		return (this.keyPrefix + "{" + breakerName + "}:" + bucketMillis + ":" + bucket)
			.getBytes(StandardCharsets.UTF_8);
	}

	private long timeToLive(byte[] key) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			return connection.keyCommands().pTtl(key);
		}
	}

	private static Cursor<byte[]> scan(RedisConnection connection, String pattern) {
		return connection.keyCommands().scan(ScanOptions.scanOptions().match(pattern).count(1000).build());
	}

	private static String utf8(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private LettuceConnectionFactory factory(int port) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", port));
		factory.setTimeout(Duration.ofSeconds(3).toMillis());
		factory.afterPropertiesSet();
		factory.start();
		this.factories.add(factory);
		return factory;
	}

}

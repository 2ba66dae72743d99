package dev.resilience.autoconfigure.idempotency;

import dev.resilience.autoconfigure.testsupport.TestServices;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;

import dev.resilience.core.idempotency.Claim;
import dev.resilience.core.idempotency.IdempotencyKey;
import dev.resilience.core.idempotency.IdempotencyStore;
import dev.resilience.core.idempotency.IdempotencyStoreException;
import dev.resilience.core.idempotency.StoredResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Redis store against the contract, on Redis at 127.0.0.1:6379. Keys live under a
 * prefix of their own per run and are deleted at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisIdempotencyStoreTests extends IdempotencyStoreContractTests {

	private final String keyPrefix = "resilience-test:" + TestServices.uniqueId() + ":";

	private final MutableClock clock = MutableClock.startingNow();

	private final List<LettuceConnectionFactory> factories = new ArrayList<>();

	private LettuceConnectionFactory connectionFactory;

	private RedisIdempotencyStore store;

	private TestServices.Availability redis;

	@BeforeAll
	void connect() {
		redis = TestServices.probe("Redis on 127.0.0.1:6379", () -> {
			LettuceConnectionFactory probe = factory(6379);
			try (RedisConnection connection = probe.getConnection()) {
				return connection.ping();
			}
			finally {
				probe.destroy();
			}
		});
		if (!redis.isAvailable()) {
			return;
		}
		connectionFactory = factory(6379);
		store = RedisIdempotencyStore.builder(connectionFactory).keyPrefix(keyPrefix).clock(clock).build();
	}

	@BeforeEach
	void requireRedis() {
		redis.assume();
	}

	@AfterAll
	void deleteKeysAndDisconnect() {
		if (connectionFactory != null) {
			try (RedisConnection connection = connectionFactory.getConnection();
					Cursor<byte[]> keys = connection.keyCommands()
						.scan(ScanOptions.scanOptions().match(keyPrefix + "*").count(1000).build())) {
				while (keys.hasNext()) {
					connection.keyCommands().del(keys.next());
				}
			}
		}
		factories.forEach(LettuceConnectionFactory::destroy);
	}

	@Override
	IdempotencyStore store() {
		return store;
	}

	@Override
	void advanceTime(Duration duration) {
		clock.advance(duration);
	}

	@Override
	IdempotencyStore unreachableStore() {
		return RedisIdempotencyStore.builder(factory(TestServices.closedPort())).keyPrefix(keyPrefix).build();
	}

	@Test
	void comparesLeasesAgainstTheServerClockByDefault() {
		RedisIdempotencyStore serverClock = RedisIdempotencyStore.builder(connectionFactory).keyPrefix(keyPrefix).build();
		IdempotencyKey expired = IdempotencyKey.of("serverclock-" + testId, null, "expired");
		IdempotencyKey live = IdempotencyKey.of("serverclock-" + testId, null, "live");
		long now = System.currentTimeMillis();
		// Claims whose leases end an hour ago and an hour ahead, by the server's reckoning.
		RedisIdempotencyStore.builder(connectionFactory).keyPrefix(keyPrefix).clock(new MutableClock(now - 3_600_000))
			.build()
			.claim(expired, "fp", LEASE);
		RedisIdempotencyStore.builder(connectionFactory).keyPrefix(keyPrefix).clock(new MutableClock(now + 3_600_000))
			.build()
			.claim(live, "fp", LEASE);

		assertThat(serverClock.claim(expired, "fp", LEASE).status()).isEqualTo(Claim.Status.CLAIMED);
		assertThat(serverClock.claim(live, "fp", LEASE).status()).isEqualTo(Claim.Status.IN_PROGRESS);
	}

	@Test
	void completesAndReplaysOnTheServerClock() {
		RedisIdempotencyStore serverClock = RedisIdempotencyStore.builder(connectionFactory).keyPrefix(keyPrefix).build();
		IdempotencyKey key = IdempotencyKey.of("serverclock-" + testId, null, "k");
		String owner = serverClock.claim(key, "fp", LEASE).ownerToken();

		assertThat(serverClock.complete(key, owner, StoredResult.of(new byte[] { 1 }), TTL)).isTrue();

		assertThat(serverClock.claim(key, "fp", LEASE).status()).isEqualTo(Claim.Status.COMPLETED);
		assertThat(serverClock.find(key)).contains(StoredResult.of(new byte[] { 1 }));
	}

	@Test
	void letsRedisExpireKeysOnItsOwn() {
		IdempotencyKey key = IdempotencyKey.of("expiry-" + testId, null, "k");
		String owner = store.claim(key, "fp", LEASE).ownerToken();
		byte[] redisKey = (keyPrefix + key.storageId()).getBytes(StandardCharsets.UTF_8);

		try (RedisConnection connection = connectionFactory.getConnection()) {
			assertThat(connection.keyCommands().pTtl(redisKey)).isBetween(1L, LEASE.toMillis());
			store.complete(key, owner, StoredResult.empty(), TTL);
			assertThat(connection.keyCommands().pTtl(redisKey)).isBetween(LEASE.toMillis() + 1, TTL.toMillis());
		}
	}

	@Test
	void reloadsItsScriptsAfterTheServerForgetsThem() {
		IdempotencyKey key = IdempotencyKey.of("flush-" + testId, null, "k");
		store.claim(key, "fp", LEASE);

		try (RedisConnection connection = connectionFactory.getConnection()) {
			connection.scriptingCommands().scriptFlush();
		}

		assertThat(store.claim(key, "fp", LEASE).status()).isEqualTo(Claim.Status.IN_PROGRESS);
	}

	@Test
	void failsOnceItsConnectionFactoryIsStopped() {
		LettuceConnectionFactory stopping = factory(6379);
		RedisIdempotencyStore stoppingStore = RedisIdempotencyStore.builder(stopping).keyPrefix(keyPrefix).build();
		IdempotencyKey key = IdempotencyKey.of("stopped-" + testId, null, "k");
		assertThat(stoppingStore.claim(key, "fp", LEASE).status()).isEqualTo(Claim.Status.CLAIMED);

		stopping.destroy();

		assertThatThrownBy(() -> stoppingStore.claim(key, "fp", LEASE)).isInstanceOf(IdempotencyStoreException.class)
			.hasMessageContaining("failed to claim");
	}

	private LettuceConnectionFactory factory(int port) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", port));
		factory.setTimeout(Duration.ofSeconds(5).toMillis());
		factory.afterPropertiesSet();
		factory.start();
		factories.add(factory);
		return factory;
	}

}

package dev.resilience.autoconfigure.slo;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;

/**
 * The Redis store against the contract, on Redis at 127.0.0.1:6379, under a key prefix of
 * its own per run, deleted at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisErrorBudgetStoreTests extends ErrorBudgetStoreContractTests {

	private final String keyPrefix = "resilience-test:slo:" + Services.uniqueId() + ":";

	private final List<LettuceConnectionFactory> factories = new ArrayList<>();

	private LettuceConnectionFactory connectionFactory;

	private RedisErrorBudgetStore store;

	private Exception unavailable;

	@BeforeAll
	void connect() {
		this.connectionFactory = factory(6379);
		this.unavailable = Services.probe("Redis on 127.0.0.1:6379", () -> {
			try (RedisConnection connection = this.connectionFactory.getConnection()) {
				return connection.ping();
			}
		});
		this.store = RedisErrorBudgetStore.create(this.connectionFactory, this.keyPrefix);
	}

	@AfterAll
	void deleteKeysAndDisconnect() {
		if (this.unavailable == null) {
			deleteKeys(this.connectionFactory, this.keyPrefix);
		}
		this.factories.forEach(LettuceConnectionFactory::destroy);
	}

	static void deleteKeys(LettuceConnectionFactory connectionFactory, String keyPrefix) {
		try (RedisConnection connection = connectionFactory.getConnection();
				Cursor<byte[]> keys = connection.keyCommands()
					.scan(ScanOptions.scanOptions().match(keyPrefix + "*").count(1000).build())) {
			while (keys.hasNext()) {
				connection.keyCommands().del(keys.next());
			}
		}
	}

	@Override
	ErrorBudgetStore store() {
		Services.assume("Redis on 127.0.0.1:6379", this.unavailable);
		return this.store;
	}

	@Override
	ErrorBudgetStore unreachableStore() {
		return RedisErrorBudgetStore.create(factory(Services.closedPort()), this.keyPrefix);
	}

	private LettuceConnectionFactory factory(int port) {
		LettuceConnectionFactory factory = Services.redis(port);
		this.factories.add(factory);
		return factory;
	}

}

package dev.resilience.autoconfigure.idempotency;

import dev.resilience.autoconfigure.testsupport.TestServices;

import java.sql.Connection;
import java.sql.DriverManager;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.AbstractApplicationContextRunner;

/**
 * The stores the Spring-level tests run on, each configured the way an application would
 * configure it: through {@code resilience.idempotency.store} and Spring Boot's own
 * DataSource or Redis auto-configuration, against the real services on 127.0.0.1.
 */
enum TestStore {

	MEMORY("memory", null) {
		@Override
		TestServices.Availability probe() {
			return TestServices.probe("memory", () -> null);
		}
	},

	POSTGRES("jdbc", DataSourceAutoConfiguration.class, "spring.datasource.url=" + TestStore.POSTGRES_URL,
			"spring.datasource.username=postgres", "spring.datasource.hikari.maximum-pool-size=16") {
		@Override
		TestServices.Availability probe() {
			return TestServices.probe("PostgreSQL on 127.0.0.1:5432", () -> {
				try (Connection connection = DriverManager.getConnection(POSTGRES_URL + "?connectTimeout=2",
						"postgres", "")) {
					return connection.isValid(2);
				}
			});
		}
	},

	REDIS("redis", DataRedisAutoConfiguration.class, "spring.data.redis.host=127.0.0.1",
			"spring.data.redis.port=6379") {
		@Override
		TestServices.Availability probe() {
			return TestServices.probe("Redis on 127.0.0.1:6379", () -> {
				RedisClient client = RedisClient.create("redis://127.0.0.1:6379");
				try (StatefulRedisConnection<String, String> connection = client.connect()) {
					return connection.sync().ping();
				}
				finally {
					client.shutdown();
				}
			});
		}
	};

	static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";

	private final String type;

	private final Class<?> autoConfiguration;

	private final String[] properties;

	private TestServices.Availability availability;

	TestStore(String type, Class<?> autoConfiguration, String... properties) {
		this.type = type;
		this.autoConfiguration = autoConfiguration;
		this.properties = properties;
	}

	abstract TestServices.Availability probe();

	/** Skips (or, on CI, fails) the calling test when the service is not there. */
	synchronized void assume() {
		if (availability == null) {
			availability = probe();
		}
		availability.assume();
	}

	/**
	 * @param <R> the runner type
	 * @param runner a runner with the idempotency auto-configuration
	 * @return it, on this store; results are kept a minute, so keys left in a shared
	 * store by a test run go away on their own
	 */
	@SuppressWarnings("unchecked")
	<R extends AbstractApplicationContextRunner<R, ?, ?>> R configure(R runner) {
		R configured = runner.withPropertyValues("resilience.idempotency.store=" + type,
				"resilience.defaults.idempotency.ttl=1m")
			.withPropertyValues(properties);
		return (autoConfiguration != null)
				? configured.withConfiguration(AutoConfigurations.of(autoConfiguration)) : configured;
	}

}

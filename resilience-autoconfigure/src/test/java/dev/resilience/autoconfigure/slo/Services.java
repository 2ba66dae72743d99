package dev.resilience.autoconfigure.slo;

import java.time.Duration;
import java.util.concurrent.Callable;

import com.zaxxer.hikari.HikariDataSource;
import dev.resilience.autoconfigure.testsupport.TestServices;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The PostgreSQL (127.0.0.1:5432, user postgres, database test) and Redis
 * (127.0.0.1:6379) the store tests run against. A test needing one that is not running
 * is skipped, unless {@code RESILIENCE_REQUIRE_SERVICES=true}, which makes it fail.
 */
final class Services {

	static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";

	private Services() {
	}

	/**
	 * @param service what the probe reaches
	 * @param probe throws when the service is not there
	 * @return {@code null} when it answered, else why not
	 */
	static Exception probe(String service, Callable<?> probe) {
		return TestServices.probe(service, probe).failure();
	}

	/** Skips (or, where services are required, fails) the current test when a probe failed. */
	static void assume(String service, Exception failure) {
		new TestServices.Availability(service, failure).assume();
	}

	static HikariDataSource postgres() {
		return dataSource(POSTGRES_URL);
	}

	static HikariDataSource dataSource(String url) {
		return dataSource(url, Duration.ofSeconds(3));
	}

	static HikariDataSource dataSource(String url, Duration connectionTimeout) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(url);
		dataSource.setUsername(url.startsWith("jdbc:postgresql") ? "postgres" : "sa");
		dataSource.setMaximumPoolSize(2);
		dataSource.setConnectionTimeout(connectionTimeout.toMillis());
		dataSource.setInitializationFailTimeout(-1);
		return dataSource;
	}

	static LettuceConnectionFactory redis(int port) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", port));
		factory.setTimeout(Duration.ofSeconds(3).toMillis());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	static int closedPort() {
		return TestServices.closedPort();
	}

	static String uniqueId() {
		return TestServices.uniqueId();
	}

}

package dev.resilience.autoconfigure.slo;

import java.time.Duration;
import java.util.concurrent.Callable;

import com.zaxxer.hikari.HikariDataSource;
import dev.resilience.autoconfigure.testsupport.TestServices;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The PostgreSQL (127.0.0.1:5432, user postgres, database test) and Redis
 * (127.0.0.1:6379) the store tests run against. A test needing one that is not running
 * is skipped, unless {@code RESILIENCE_REQUIRE_SERVICES=true}, which makes it fail.
 */
final class Services {

	static final String POSTGRES_URL = TestServices.POSTGRES_URL;

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
		return TestServices.postgres();
	}

	static HikariDataSource dataSource(String url) {
		return dataSource(url, Duration.ofSeconds(3));
	}

	static HikariDataSource dataSource(String url, Duration connectionTimeout) {
		return TestServices.dataSource(url, connectionTimeout);
	}

	static LettuceConnectionFactory redis(int port) {
		return TestServices.redis(port);
	}

	static int closedPort() {
		return TestServices.closedPort();
	}

	static String uniqueId() {
		return TestServices.uniqueId();
	}

}

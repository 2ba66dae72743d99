package dev.resilience.autoconfigure.slo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The PostgreSQL (127.0.0.1:5432, user postgres, database test) and Redis
 * (127.0.0.1:6379) the store tests run against. A test needing one that is not running
 * is skipped, unless {@code RESILIENCE_REQUIRE_SERVICES=true}, which makes it fail.
 */
final class Services {

	static final String REQUIRE_SERVICES = "RESILIENCE_REQUIRE_SERVICES";

	static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";

	private Services() {
	}

	/**
	 * @param service what the probe reaches
	 * @param probe throws when the service is not there
	 * @return {@code null} when it answered, else why not
	 */
	static Exception probe(String service, Callable<?> probe) {
		try {
			probe.call();
			return null;
		}
		catch (Exception ex) {
			return ex;
		}
	}

	/** Skips (or, where services are required, fails) the current test when a probe failed. */
	static void assume(String service, Exception failure) {
		if (failure == null) {
			return;
		}
		String message = service + " is not available (" + failure + ")";
		if (Boolean.parseBoolean(System.getenv(REQUIRE_SERVICES))) {
			Assertions.fail(message + " and " + REQUIRE_SERVICES + "=true", failure);
		}
		Assumptions.abort(message + "; skipping. Set " + REQUIRE_SERVICES + "=true to fail instead.");
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

	/** @return a port on 127.0.0.1 that nothing listens on (it was free a moment ago) */
	static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not find a free port", ex);
		}
	}

	/** @return 12 random hex characters, to keep the names of different runs apart */
	static String uniqueId() {
		byte[] bytes = new byte[6];
		ThreadLocalRandom.current().nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

}

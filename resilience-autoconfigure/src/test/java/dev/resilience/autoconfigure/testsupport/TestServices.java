package dev.resilience.autoconfigure.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Decides what a test does when a service it needs (PostgreSQL, MariaDB, Redis on
 * 127.0.0.1) is not there: it is skipped with a message, unless the environment variable
 * {@value #REQUIRE_SERVICES} is {@code true} (as on CI, where the services must be up), in
 * which case it fails.
 */
public final class TestServices {

	public static final String REQUIRE_SERVICES = "RESILIENCE_REQUIRE_SERVICES";

	/** The PostgreSQL the tests use: user postgres, trust authentication, database test. */
	public static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";

	private TestServices() {
	}

	/**
	 * Tries a service once, typically in {@code @BeforeAll}; each test then calls
	 * {@link Availability#assume()} so that a skip is reported per test, with its reason.
	 * @param service what the probe reaches, for the message
	 * @param probe opens and closes a connection; any exception means unavailable
	 * @return what the probe found
	 */
	public static Availability probe(String service, Callable<?> probe) {
		try {
			probe.call();
			return new Availability(service, null);
		}
		catch (Exception ex) {
			return new Availability(service, ex);
		}
	}

	/**
	 * Whether a service answered its probe.
	 *
	 * @param service what was probed
	 * @param failure why it did not answer, or {@code null}
	 */
	public record Availability(String service, Exception failure) {

		public boolean isAvailable() {
			return failure == null;
		}

		/**
		 * Skips the current test when the service is unavailable, or fails it when
		 * {@value TestServices#REQUIRE_SERVICES} is {@code true}.
		 */
		public void assume() {
			if (failure == null) {
				return;
			}
			String message = service + " is not available (" + failure + ")";
			if (Boolean.parseBoolean(System.getenv(REQUIRE_SERVICES))) {
				Assertions.fail(message + " and " + REQUIRE_SERVICES + "=true", failure);
			}
			Assumptions.abort(message + "; skipping. Set " + REQUIRE_SERVICES + "=true to fail instead.");
		}

	}

	/**
	 * @return a port on 127.0.0.1 that nothing listens on (it was free a moment ago)
	 */
	public static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not find a free port", ex);
		}
	}

	/**
	 * @return 12 random hex characters, to keep tables and keys of different runs apart
	 */
	public static String uniqueId() {
		byte[] bytes = new byte[6];
		ThreadLocalRandom.current().nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

	/**
	 * @return whether Redis on 127.0.0.1:6379 answers a ping
	 */
	public static Availability probeRedis() {
		return probe("Redis on 127.0.0.1:6379", () -> {
			LettuceConnectionFactory factory = redis(6379);
			try (RedisConnection connection = factory.getConnection()) {
				return connection.ping();
			}
			finally {
				factory.destroy();
			}
		});
	}

	/**
	 * @return whether PostgreSQL on 127.0.0.1:5432 accepts a connection
	 */
	public static Availability probePostgres() {
		return probe("PostgreSQL on 127.0.0.1:5432", () -> {
			try (HikariDataSource dataSource = postgres(); Connection connection = dataSource.getConnection()) {
				return connection.isValid(2);
			}
		});
	}

	/**
	 * @param port the port on 127.0.0.1
	 * @return a started connection factory of its own (each application instance has one),
	 * with a 3 s timeout; the caller destroys it
	 */
	public static LettuceConnectionFactory redis(int port) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", port));
		factory.setTimeout(Duration.ofSeconds(3).toMillis());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/**
	 * @return a pool of its own (each application instance has one) on {@link #POSTGRES_URL}
	 */
	public static HikariDataSource postgres() {
		return dataSource(POSTGRES_URL, Duration.ofSeconds(3));
	}

	/**
	 * @param url a JDBC URL: user postgres for PostgreSQL, sa otherwise
	 * @param connectionTimeout how long to wait for a connection
	 * @return a pool of 2 connections that starts even when the database is down
	 */
	public static HikariDataSource dataSource(String url, Duration connectionTimeout) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(url);
		dataSource.setUsername(url.startsWith("jdbc:postgresql") ? "postgres" : "sa");
		dataSource.setMaximumPoolSize(2);
		dataSource.setConnectionTimeout(connectionTimeout.toMillis());
		dataSource.setInitializationFailTimeout(-1);
		return dataSource;
	}

}

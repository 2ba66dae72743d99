package dev.resilience.autoconfigure.idempotency;

import dev.resilience.autoconfigure.testsupport.TestServices;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.resilience.core.idempotency.Claim;
import dev.resilience.core.idempotency.IdempotencyKey;
import dev.resilience.core.idempotency.IdempotencyStore;
import dev.resilience.core.idempotency.IdempotencyStoreException;
import dev.resilience.core.idempotency.StoredResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The JDBC store against the contract, on one database per subclass. Each class works in a
 * table of its own, named for the run and dropped at the end. The contract runs on a
 * clock the test moves; the tests here check the database's own clock separately.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcIdempotencyStoreContractTests extends IdempotencyStoreContractTests {

	final String tableName = "idem_test_" + TestServices.uniqueId();

	final MutableClock clock = MutableClock.startingNow();

	HikariDataSource dataSource;

	JdbcIdempotencyStore store;

	/** @return the service's name for skip messages */
	abstract String serviceName();

	/** @return the JDBC URL of the database under test */
	abstract String jdbcUrl();

	abstract String username();

	/** @return a JDBC URL of the same kind that nothing answers */
	abstract String unreachableJdbcUrl();

	TestServices.Availability database;

	@BeforeAll
	void openDatabase() {
		database = TestServices.probe(serviceName(), () -> {
			try (HikariDataSource probe = pool(jdbcUrl(), 1); Connection connection = probe.getConnection()) {
				return connection.isValid(2);
			}
		});
		if (!database.isAvailable()) {
			return;
		}
		dataSource = pool(jdbcUrl(), 8);
		store = JdbcIdempotencyStore.builder(dataSource).tableName(tableName).clock(clock).build();
		store.initialize();
	}

	@BeforeEach
	void requireDatabase() {
		database.assume();
	}

	@AfterAll
	void dropTable() throws Exception {
		if (dataSource != null) {
			try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
				statement.execute("DROP TABLE IF EXISTS " + tableName);
			}
			dataSource.close();
		}
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
		DriverManagerDataSource nowhere = new DriverManagerDataSource(unreachableJdbcUrl(), username(), "");
		return JdbcIdempotencyStore.builder(nowhere).tableName(tableName).build();
	}

	@Test
	void comparesLeasesAgainstTheDatabaseClockByDefault() {
		JdbcIdempotencyStore databaseClock = JdbcIdempotencyStore.builder(dataSource).tableName(tableName).build();
		IdempotencyKey expired = IdempotencyKey.of("dbclock-" + testId, null, "expired");
		IdempotencyKey live = IdempotencyKey.of("dbclock-" + testId, null, "live");
		long now = System.currentTimeMillis();
		// Claims whose leases end an hour ago and an hour ahead, by the database's reckoning.
		JdbcIdempotencyStore.builder(dataSource).tableName(tableName).clock(new MutableClock(now - 3_600_000)).build()
			.claim(expired, "fp", LEASE);
		JdbcIdempotencyStore.builder(dataSource).tableName(tableName).clock(new MutableClock(now + 3_600_000)).build()
			.claim(live, "fp", LEASE);

		assertThat(databaseClock.claim(expired, "fp", LEASE).status()).isEqualTo(Claim.Status.CLAIMED);
		assertThat(databaseClock.claim(live, "fp", LEASE).status()).isEqualTo(Claim.Status.IN_PROGRESS);
	}

	@Test
	void completesAndReplaysOnTheDatabaseClock() {
		JdbcIdempotencyStore databaseClock = JdbcIdempotencyStore.builder(dataSource).tableName(tableName).build();
		IdempotencyKey key = IdempotencyKey.of("dbclock-" + testId, null, "k");
		String owner = databaseClock.claim(key, "fp", LEASE).ownerToken();

		assertThat(databaseClock.complete(key, owner, StoredResult.of(new byte[] { 1 }), TTL)).isTrue();

		assertThat(databaseClock.claim(key, "fp", LEASE).status()).isEqualTo(Claim.Status.COMPLETED);
		assertThat(databaseClock.find(key)).contains(StoredResult.of(new byte[] { 1 }));
	}

	@Test
	void sharesTheTableWithAStoreThatFindsItAlreadyThere() {
		JdbcIdempotencyStore second = JdbcIdempotencyStore.builder(dataSource).tableName(tableName).clock(clock).build();
		IdempotencyKey key = IdempotencyKey.of("shared-" + testId, null, "k");

		String owner = store.claim(key, "fp", LEASE).ownerToken();

		assertThat(second.claim(key, "fp", LEASE).status()).isEqualTo(Claim.Status.IN_PROGRESS);
		assertThat(second.release(key, owner)).isTrue();
	}

	@Test
	void deletesExpiredRows() {
		IdempotencyKey expired = IdempotencyKey.of("purge-" + testId, null, "expired");
		IdempotencyKey live = IdempotencyKey.of("purge-" + testId, null, "live");
		JdbcIdempotencyStore past = JdbcIdempotencyStore.builder(dataSource).tableName(tableName)
			.clock(new MutableClock(clock.millis() - 3_600_000)).build();
		past.claim(expired, "fp", LEASE);
		store.claim(live, "fp", LEASE);

		assertThat(store.deleteExpired()).isGreaterThanOrEqualTo(1);

		assertThat(store.claim(live, "fp", LEASE).status()).isEqualTo(Claim.Status.IN_PROGRESS);
	}

	@Test
	void failsOnceItsConnectionPoolIsClosed() {
		HikariDataSource closing = pool(jdbcUrl(), 1);
		JdbcIdempotencyStore closingStore = JdbcIdempotencyStore.builder(closing).tableName(tableName).build();
		IdempotencyKey key = IdempotencyKey.of("closed-" + testId, null, "k");
		assertThat(closingStore.claim(key, "fp", LEASE).status()).isEqualTo(Claim.Status.CLAIMED);

		closing.close();

		assertThatThrownBy(() -> closingStore.claim(key, "fp", LEASE)).isInstanceOf(IdempotencyStoreException.class)
			.hasMessageContaining("failed to claim");
	}

	@Test
	void rejectsATableNameThatIsNotAPlainSqlName() {
		assertThatThrownBy(() -> JdbcIdempotencyStore.builder(dataSource).tableName("x; DROP TABLE y"))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("tableName must be an unquoted SQL name");
	}

	HikariDataSource pool(String url, int size) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(url);
		config.setUsername(username());
		config.setPassword("");
		config.setMaximumPoolSize(size);
		config.setConnectionTimeout(5_000);
		config.setPoolName("idem-test-" + serviceName());
		return new HikariDataSource(config);
	}

}

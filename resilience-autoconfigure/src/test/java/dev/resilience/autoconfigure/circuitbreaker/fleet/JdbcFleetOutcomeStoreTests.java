package dev.resilience.autoconfigure.circuitbreaker.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.resilience.autoconfigure.testsupport.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.resilience.core.circuitbreaker.fleet.FleetOutcomeStore;
import dev.resilience.core.circuitbreaker.fleet.FleetStoreException;
import dev.resilience.core.circuitbreaker.fleet.OutcomeCounts;

import static dev.resilience.autoconfigure.circuitbreaker.fleet.Exchanges.exchangeLatest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The JDBC store against the contract, on H2, PostgreSQL and MariaDB, each in a table of
 * its own per run, dropped at the end.
 */
class JdbcFleetOutcomeStoreTests {

	@Test
	void rejectsTableNamesThatAreNotIdentifiers() {
		HikariDataSource dataSource = new HikariDataSource();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> JdbcFleetOutcomeStore.builder(dataSource).tableName("outcomes; DROP TABLE x"))
			.withMessageContaining("tableName must be an unquoted SQL name");
		dataSource.close();
	}

	@Test
	void usesTheDefaultTableUnlessGivenOne() {
		HikariDataSource dataSource = new HikariDataSource();
		assertThat(JdbcFleetOutcomeStore.create(dataSource).tableName()).isEqualTo("resilience_breaker_outcomes");
		dataSource.close();
	}

	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	abstract static class OnDatabase extends FleetOutcomeStoreContractTests {

		final String table = "fleet_test_" + TestServices.uniqueId();

		private final List<HikariDataSource> pools = new ArrayList<>();

		private HikariDataSource dataSource;

		private JdbcFleetOutcomeStore store;

		private TestServices.Availability database;

		/** @return the service's name for skip messages */
		abstract String serviceName();

		abstract String url();

		abstract String username();

		/** @return a JDBC URL of the same kind that nothing answers */
		abstract String unreachableUrl();

		@BeforeAll
		void connect() {
			this.database = TestServices.probe(serviceName(), () -> {
				try (HikariDataSource probe = pool(url(), 1, 5_000); Connection connection = probe.getConnection()) {
					return connection.isValid(2);
				}
			});
			if (this.database.isAvailable()) {
				this.dataSource = pool(url(), 4, 5_000);
				this.store = JdbcFleetOutcomeStore.builder(this.dataSource).tableName(this.table).build();
			}
		}

		@AfterAll
		void dropTable() throws SQLException {
			if (this.dataSource != null) {
				execute("DROP TABLE IF EXISTS " + this.table);
			}
			this.pools.forEach(HikariDataSource::close);
		}

		@Override
		FleetOutcomeStore store() {
			this.database.assume();
			return this.store;
		}

		@Override
		FleetOutcomeStore anotherProcess() {
			this.database.assume();
			return JdbcFleetOutcomeStore.builder(pool(url(), 4, 5_000)).tableName(this.table).build();
		}

		@Override
		FleetOutcomeStore unreachableStore() {
			// Hikari's shortest wait, so that the test does not linger on a dead port.
			return JdbcFleetOutcomeStore.builder(pool(unreachableUrl(), 1, 250)).tableName(this.table).build();
		}

		@Override
		long storedBuckets(String breakerName) {
			return queryForLong("SELECT COUNT(*) FROM " + this.table + " WHERE breaker_name = ?", breakerName);
		}

		@Test
		void createsTheTableOnFirstUse() throws SQLException {
			this.database.assume();
			String fresh = "fleet_create_" + TestServices.uniqueId();
			try {
				FleetOutcomeStore created = JdbcFleetOutcomeStore.builder(this.dataSource).tableName(fresh).build();

				assertThat(exchangeLatest(created, this.breaker, BUCKET_MILLIS, this.now, counts(2, 1, 1), 2))
					.containsExactly(OutcomeCounts.EMPTY, counts(2, 1, 1));
			}
			finally {
				execute("DROP TABLE IF EXISTS " + fresh);
			}
		}

		@Test
		void aStoreThatMayNotCreateItsTableNamesTheMissingTable() {
			this.database.assume();
			String missing = "fleet_missing_" + TestServices.uniqueId();
			FleetOutcomeStore store = JdbcFleetOutcomeStore.builder(this.dataSource)
				.tableName(missing)
				.createTable(false)
				.build();

			assertThatExceptionOfType(FleetStoreException.class)
				.isThrownBy(() -> exchangeLatest(store, this.breaker, BUCKET_MILLIS, this.now, counts(1, 0, 0), 1))
				.withMessageContaining("JDBC fleet outcome store")
				.withMessageContaining(missing)
				.withMessageContaining(this.breaker);
		}

		@Test
		void anAdditionKeepsItsRowWhileAnExchangeOfItsCountCanReadIt() {
			FleetOutcomeStore store = store();
			exchangeLatest(store, this.breaker, BUCKET_MILLIS, this.now, counts(1, 0, 0), 6);

			// (6 + 2) buckets past its start: the 6 an exchange reads it for, 2 for lagging clocks.
			assertThat(expiresAt(this.now)).isEqualTo((this.now + 8) * BUCKET_MILLIS);

			exchangeLatest(store, this.breaker, BUCKET_MILLIS, this.now, counts(1, 0, 0), 1);

			assertThat(expiresAt(this.now)).isEqualTo((this.now + 8) * BUCKET_MILLIS);

			exchangeLatest(store, this.breaker, BUCKET_MILLIS, this.now, counts(1, 0, 0), 20);

			assertThat(expiresAt(this.now)).isEqualTo((this.now + 22) * BUCKET_MILLIS);
		}

		/**
		 * The default interval is one minute, six buckets of ten seconds; "now" is the
		 * start of the adding exchange's bucket.
		 */
		@Test
		void deletesExpiredRowsAtMostOncePerCleanupInterval() {
			String longer = this.breaker + "-longer";
			exchangeLatest(store(), this.breaker, BUCKET_MILLIS, this.now, counts(1, 0, 0), 3);
			exchangeLatest(store(), longer, BUCKET_MILLIS, this.now, counts(1, 0, 0), 10);
			FleetOutcomeStore cleaning = anotherProcess();

			// Its first addition deletes the rows expired by now + 5: the shorter one.
			exchangeLatest(cleaning, this.breaker, BUCKET_MILLIS, this.now + 5, counts(1, 0, 0), 1);
			assertThat(buckets(this.breaker)).containsExactly(this.now + 5);
			assertThat(buckets(longer)).containsExactly(this.now);

			// Within the minute: nothing deleted, though the row of now + 5 expired at now + 8.
			exchangeLatest(cleaning, this.breaker, BUCKET_MILLIS, this.now + 10, counts(1, 0, 0), 1);
			assertThat(buckets(this.breaker)).containsExactly(this.now + 5, this.now + 10);

			// A minute on: deleted. An exchange that only reads never deletes.
			exchangeLatest(cleaning, this.breaker, BUCKET_MILLIS, this.now + 100, OutcomeCounts.EMPTY, 1);
			assertThat(buckets(this.breaker)).containsExactly(this.now + 5, this.now + 10);
			exchangeLatest(cleaning, this.breaker, BUCKET_MILLIS, this.now + 11, counts(1, 0, 0), 1);
			assertThat(buckets(this.breaker)).containsExactly(this.now + 10, this.now + 11);
			assertThat(buckets(longer)).containsExactly(this.now);

			assertThat(((JdbcFleetOutcomeStore) cleaning)
				.deleteExpired(Instant.ofEpochMilli((this.now + 13) * BUCKET_MILLIS))).isGreaterThanOrEqualTo(2);
			assertThat(buckets(this.breaker)).containsExactly(this.now + 11);
			assertThat(buckets(longer)).isEmpty();
		}

		@Test
		void anUnreachableStoreNamesTheTableAndTheCause() {
			FleetOutcomeStore unreachable = unreachableStore();

			assertThatExceptionOfType(FleetStoreException.class)
				.isThrownBy(() -> exchangeLatest(unreachable, this.breaker, BUCKET_MILLIS, this.now, counts(1, 0, 0), 3))
				.withMessageStartingWith("The JDBC fleet outcome store could not prepare table " + this.table + ": ");
		}

		private long expiresAt(long bucket) {
			return queryForLong("SELECT expires_at FROM " + this.table
					+ " WHERE breaker_name = ? AND bucket_millis = " + BUCKET_MILLIS + " AND bucket = " + bucket,
					this.breaker);
		}

		private List<Long> buckets(String breakerName) {
			try (Connection connection = this.dataSource.getConnection();
					PreparedStatement statement = connection.prepareStatement(
							"SELECT bucket FROM " + this.table + " WHERE breaker_name = ? ORDER BY bucket")) {
				statement.setString(1, breakerName);
				List<Long> buckets = new ArrayList<>();
				try (ResultSet rows = statement.executeQuery()) {
					while (rows.next()) {
						buckets.add(rows.getLong(1));
					}
				}
				return buckets;
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		}

		private long queryForLong(String sql, String breakerName) {
			try (Connection connection = this.dataSource.getConnection();
					PreparedStatement statement = connection.prepareStatement(sql)) {
				statement.setString(1, breakerName);
				try (ResultSet row = statement.executeQuery()) {
					assertThat(row.next()).as("a row for " + sql).isTrue();
					return row.getLong(1);
				}
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		}

		private void execute(String sql) throws SQLException {
			try (Connection connection = this.dataSource.getConnection();
					Statement statement = connection.createStatement()) {
				statement.execute(sql);
			}
		}

		private HikariDataSource pool(String url, int size, long connectionTimeoutMillis) {
			HikariConfig config = new HikariConfig();
			config.setJdbcUrl(url);
			config.setUsername(username());
			config.setPassword("");
			config.setMaximumPoolSize(size);
			config.setConnectionTimeout(connectionTimeoutMillis);
			config.setInitializationFailTimeout(-1);
			HikariDataSource pool = new HikariDataSource(config);
			this.pools.add(pool);
			return pool;
		}

	}

	@Nested
	class OnH2 extends OnDatabase {

		private final String database = "fleet_" + TestServices.uniqueId();

		@Override
		String serviceName() {
			return "H2 in memory";
		}

		@Override
		String url() {
			return "jdbc:h2:mem:" + this.database + ";DB_CLOSE_DELAY=-1";
		}

		@Override
		String username() {
			return "sa";
		}

		@Override
		String unreachableUrl() {
			// A server-mode URL on a port nothing listens on.
			return "jdbc:h2:tcp://127.0.0.1:" + TestServices.closedPort() + "/mem:nowhere";
		}

	}

	@Nested
	class OnPostgres extends OnDatabase {

		@Override
		String serviceName() {
			return "PostgreSQL on 127.0.0.1:5432";
		}

		@Override
		String url() {
			return "jdbc:postgresql://127.0.0.1:5432/test";
		}

		@Override
		String username() {
			return "postgres";
		}

		@Override
		String unreachableUrl() {
			return "jdbc:postgresql://127.0.0.1:" + TestServices.closedPort() + "/test?connectTimeout=2";
		}

	}

	@Nested
	class OnMariaDb extends OnDatabase {

		@Override
		String serviceName() {
			return "MariaDB on 127.0.0.1:3306";
		}

		@Override
		String url() {
			return "jdbc:mariadb://127.0.0.1:3306/test";
		}

		@Override
		String username() {
			return "root";
		}

		@Override
		String unreachableUrl() {
			return "jdbc:mariadb://127.0.0.1:" + TestServices.closedPort() + "/test?connectTimeout=2000";
		}

	}

}

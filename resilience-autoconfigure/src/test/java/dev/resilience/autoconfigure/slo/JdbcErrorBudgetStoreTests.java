package dev.resilience.autoconfigure.slo;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The JDBC store against the contract, on H2 and on PostgreSQL, each in a table of its
 * own per run.
 */
class JdbcErrorBudgetStoreTests {

	@Test
	void rejectsTableNamesThatAreNotIdentifiers() {
		HikariDataSource dataSource = Services.dataSource("jdbc:h2:mem:unused");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> JdbcErrorBudgetStore.create(dataSource, "buckets; DROP TABLE x"))
			.withMessageContaining("tableName must be an SQL identifier");
		dataSource.close();
	}

	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	abstract static class OnDatabase extends ErrorBudgetStoreContractTests {

		private final String table = "resilience_slo_test_" + Services.uniqueId();

		private HikariDataSource dataSource;

		private HikariDataSource unreachable;

		private JdbcErrorBudgetStore store;

		private Exception unavailable;

		abstract String url();

		abstract String unreachableUrl();

		@BeforeAll
		void connect() {
			this.dataSource = Services.dataSource(url());
			this.unavailable = Services.probe(url(), () -> {
				try (Connection connection = this.dataSource.getConnection()) {
					return connection.isValid(2);
				}
			});
			this.store = JdbcErrorBudgetStore.create(this.dataSource, this.table);
		}

		@AfterAll
		void dropTable() throws Exception {
			if (this.unavailable == null) {
				try (Connection connection = this.dataSource.getConnection();
						Statement statement = connection.createStatement()) {
					statement.execute("DROP TABLE IF EXISTS " + this.table);
				}
			}
			this.dataSource.close();
			if (this.unreachable != null) {
				this.unreachable.close();
			}
		}

		@Override
		ErrorBudgetStore store() {
			Services.assume(url(), this.unavailable);
			return this.store;
		}

		@Override
		ErrorBudgetStore unreachableStore() {
			// Hikari's shortest wait, so that the test does not linger on a dead port.
			this.unreachable = Services.dataSource(unreachableUrl(), Duration.ofMillis(250));
			return JdbcErrorBudgetStore.create(this.unreachable);
		}

	}

	@Nested
	class OnH2 extends OnDatabase {

		@Override
		String url() {
			return "jdbc:h2:mem:slo-store;DB_CLOSE_DELAY=-1";
		}

		@Override
		String unreachableUrl() {
			return "jdbc:h2:tcp://127.0.0.1:" + Services.closedPort() + "/mem:none";
		}

	}

	@Nested
	class OnPostgres extends OnDatabase {

		@Override
		String url() {
			return Services.POSTGRES_URL;
		}

		@Override
		String unreachableUrl() {
			return "jdbc:postgresql://127.0.0.1:" + Services.closedPort() + "/test?connectTimeout=2";
		}

	}

}

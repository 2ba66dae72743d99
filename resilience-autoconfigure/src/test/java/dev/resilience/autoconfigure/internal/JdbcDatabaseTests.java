package dev.resilience.autoconfigure.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JdbcDatabaseTests {

	@Test
	void tellsTheSupportedDatabasesApartByTheirProductNames() {
		assertThat(JdbcDatabase.forProductName("PostgreSQL")).contains(JdbcDatabase.POSTGRESQL);
		assertThat(JdbcDatabase.forProductName("MySQL")).contains(JdbcDatabase.MYSQL);
		assertThat(JdbcDatabase.forProductName("MariaDB")).contains(JdbcDatabase.MYSQL);
		assertThat(JdbcDatabase.forProductName("H2")).contains(JdbcDatabase.H2);
	}

	@Test
	void findsNoDatabaseForAnotherOrAMissingProductName() {
		assertThat(JdbcDatabase.forProductName("Oracle")).isEmpty();
		assertThat(JdbcDatabase.forProductName("H2 Compatible")).isEmpty();
		assertThat(JdbcDatabase.forProductName(null)).isEmpty();
	}

}

package dev.resilience.autoconfigure.idempotency;

import dev.resilience.autoconfigure.testsupport.TestServices;

/** The JDBC store on PostgreSQL at 127.0.0.1:5432 (user postgres, database test). */
class PostgresJdbcIdempotencyStoreTests extends JdbcIdempotencyStoreContractTests {

	@Override
	String serviceName() {
		return "PostgreSQL on 127.0.0.1:5432";
	}

	@Override
	String jdbcUrl() {
		return "jdbc:postgresql://127.0.0.1:5432/test";
	}

	@Override
	String username() {
		return "postgres";
	}

	@Override
	String unreachableJdbcUrl() {
		return "jdbc:postgresql://127.0.0.1:" + TestServices.closedPort() + "/test?connectTimeout=2";
	}

}

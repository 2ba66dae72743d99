package dev.resilience.autoconfigure.idempotency;

import dev.resilience.autoconfigure.testsupport.TestServices;

/** The JDBC store on MariaDB at 127.0.0.1:3306 (user root, database test). */
class MariaDbJdbcIdempotencyStoreTests extends JdbcIdempotencyStoreContractTests {

	@Override
	String serviceName() {
		return "MariaDB on 127.0.0.1:3306";
	}

	@Override
	String jdbcUrl() {
		return "jdbc:mariadb://127.0.0.1:3306/test";
	}

	@Override
	String username() {
		return "root";
	}

	@Override
	String unreachableJdbcUrl() {
		return "jdbc:mariadb://127.0.0.1:" + TestServices.closedPort() + "/test?connectTimeout=2000";
	}

}

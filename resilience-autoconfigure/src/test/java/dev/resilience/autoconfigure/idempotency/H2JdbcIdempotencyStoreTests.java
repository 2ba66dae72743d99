package dev.resilience.autoconfigure.idempotency;

import dev.resilience.autoconfigure.testsupport.TestServices;

/** The JDBC store on an in-memory H2 database of its own. */
class H2JdbcIdempotencyStoreTests extends JdbcIdempotencyStoreContractTests {

	private final String database = "idem_" + TestServices.uniqueId();

	@Override
	String serviceName() {
		return "H2 in memory";
	}

	@Override
	String jdbcUrl() {
		return "jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1";
	}

	@Override
	String username() {
		return "sa";
	}

	@Override
	String unreachableJdbcUrl() {
		// A server-mode URL on a port nothing listens on.
		return "jdbc:h2:tcp://127.0.0.1:" + TestServices.closedPort() + "/mem:nowhere";
	}

}

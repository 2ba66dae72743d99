package dev.resilience.autoconfigure.circuitbreaker.fleet;

import dev.resilience.autoconfigure.internal.JdbcDatabase;

/**
 * The databases the JDBC fleet store supports, which differ only in how a bucket's row is
 * added to atomically; see {@link JdbcStatements}.
 */
enum JdbcDialect {

	/** {@code INSERT ... ON CONFLICT ... DO UPDATE}. */
	POSTGRESQL,

	/** MySQL and MariaDB: {@code INSERT ... ON DUPLICATE KEY UPDATE}. */
	MYSQL,

	/** An update, and an insert when the row is missing. */
	H2;

	/**
	 * @param productName as {@code DatabaseMetaData.getDatabaseProductName()} reports it
	 * @return the dialect
	 * @throws IllegalStateException when the database is not supported
	 */
	static JdbcDialect forProductName(String productName) {
		JdbcDatabase database = JdbcDatabase.forProductName(productName)
			.orElseThrow(() -> new IllegalStateException(
					"the database " + productName + " is not supported; PostgreSQL, MySQL, MariaDB and H2 are"));
		return switch (database) {
			case POSTGRESQL -> POSTGRESQL;
			case MYSQL -> MYSQL;
			case H2 -> H2;
		};
	}

}

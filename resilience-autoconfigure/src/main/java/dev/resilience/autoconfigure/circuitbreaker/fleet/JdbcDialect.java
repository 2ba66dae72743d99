package dev.resilience.autoconfigure.circuitbreaker.fleet;

import java.util.Locale;

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
		String name = (productName != null) ? productName.toLowerCase(Locale.ROOT) : "";
		if (name.contains("postgresql")) {
			return POSTGRESQL;
		}
		if (name.contains("mysql") || name.contains("mariadb")) {
			return MYSQL;
		}
		if (name.equals("h2")) {
			return H2;
		}
		throw new IllegalStateException(
				"the database " + productName + " is not supported; PostgreSQL, MySQL, MariaDB and H2 are");
	}

}

package dev.resilience.autoconfigure.internal;

import java.util.Locale;
import java.util.Optional;

/**
 * The databases the JDBC stores support, told apart by the product name a connection's
 * metadata reports. Each store maps them to its own dialect.
 */
public enum JdbcDatabase {

	/** PostgreSQL. */
	POSTGRESQL,

	/** MySQL and MariaDB, which speak the same SQL as far as the stores go. */
	MYSQL,

	/** H2. */
	H2;

	/**
	 * @param productName as {@code DatabaseMetaData.getDatabaseProductName()} reports it,
	 * or {@code null}
	 * @return the database, or empty when it is not supported
	 */
	public static Optional<JdbcDatabase> forProductName(String productName) {
		String name = (productName != null) ? productName.toLowerCase(Locale.ROOT) : "";
		if (name.contains("postgresql")) {
			return Optional.of(POSTGRESQL);
		}
		if (name.contains("mysql") || name.contains("mariadb")) {
			return Optional.of(MYSQL);
		}
		if (name.equals("h2")) {
			return Optional.of(H2);
		}
		return Optional.empty();
	}

}

package dev.resilience.autoconfigure.idempotency;

import dev.resilience.autoconfigure.internal.JdbcDatabase;
import dev.resilience.core.idempotency.IdempotencyStoreException;

/**
 * What differs between the databases the JDBC store supports: the type of the result
 * column, how to insert a row only when its key is absent, and how to read the database's
 * clock as epoch milliseconds. Everything else is standard SQL.
 */
enum JdbcDialect {

	/**
	 * One upsert claims an absent key or takes over an expired one, atomically.
	 * {@code CURRENT_TIMESTAMP} is the start of the (single-statement) transaction, so
	 * both readings in one statement agree.
	 */
	POSTGRESQL("BYTEA", "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)") {
		@Override
		String insertSql(String table, String now) {
			return "INSERT INTO " + table + " AS existing (id, state, owner_token, fingerprint, expires_at)"
					+ " VALUES (?, 'P', ?, ?, " + now + " + ?) ON CONFLICT (id) DO UPDATE SET state = 'P',"
					+ " owner_token = EXCLUDED.owner_token, fingerprint = EXCLUDED.fingerprint,"
					+ " expires_at = EXCLUDED.expires_at, result = NULL WHERE existing.expires_at <= " + now;
		}

		@Override
		boolean insertTakesOver() {
			return true;
		}
	},

	/**
	 * MySQL and MariaDB. {@code INSERT IGNORE} skips a duplicate key; takeover is a
	 * separate conditional update. The clock is read in UTC so that the session time zone
	 * of each application instance cannot shift it.
	 */
	MYSQL("LONGBLOB", "(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) DIV 1000)") {
		@Override
		String insertSql(String table, String now) {
			return "INSERT IGNORE INTO " + table + " (id, state, owner_token, fingerprint, expires_at)"
					+ " VALUES (?, 'P', ?, ?, " + now + " + ?)";
		}
	},

	/**
	 * A plain insert: the primary key rejects a duplicate, which the store reads as "taken".
	 */
	H2("BLOB", "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)") {
		@Override
		String insertSql(String table, String now) {
			return "INSERT INTO " + table + " (id, state, owner_token, fingerprint, expires_at) VALUES (?, 'P', ?, ?, "
					+ now + " + ?)";
		}
	};

	private final String binaryType;

	private final String nowMillis;

	JdbcDialect(String binaryType, String nowMillis) {
		this.binaryType = binaryType;
		this.nowMillis = nowMillis;
	}

	/**
	 * @param productName as {@code DatabaseMetaData.getDatabaseProductName()} reports it
	 * @return the dialect
	 */
	static JdbcDialect forProductName(String productName) {
		JdbcDatabase database = JdbcDatabase.forProductName(productName)
			.orElseThrow(() -> new IdempotencyStoreException("The JDBC idempotency store does not support "
					+ productName + "; it supports PostgreSQL, MySQL, MariaDB and H2"));
		return switch (database) {
			case POSTGRESQL -> POSTGRESQL;
			case MYSQL -> MYSQL;
			case H2 -> H2;
		};
	}

	/**
	 * @return an SQL expression for the database's current time in epoch milliseconds
	 */
	String nowMillis() {
		return nowMillis;
	}

	String createTableSql(String table) {
		return "CREATE TABLE IF NOT EXISTS " + table + " (id VARCHAR(64) NOT NULL PRIMARY KEY,"
				+ " state CHAR(1) NOT NULL, owner_token VARCHAR(64), fingerprint VARCHAR(64) NOT NULL,"
				+ " expires_at BIGINT NOT NULL, result " + binaryType + ")";
	}

	/**
	 * Parameters: id, owner token, fingerprint, [now], lease millis, and for an upsert
	 * that takes over, [now] again.
	 * @param table the table
	 * @param now the current-time expression, or a parameter marker
	 * @return a statement that inserts the claim only when the key is absent (and, where
	 * {@link #insertTakesOver()}, also replaces an expired row)
	 */
	abstract String insertSql(String table, String now);

	/**
	 * @return whether {@link #insertSql} already takes over expired rows
	 */
	boolean insertTakesOver() {
		return false;
	}

}

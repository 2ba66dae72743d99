package dev.resilience.autoconfigure.circuitbreaker.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import dev.resilience.core.circuitbreaker.fleet.OutcomeCounts;

/**
 * The SQL of one {@link JdbcFleetOutcomeStore}, built once for its dialect and table, and
 * the addition to a bucket's row, the one step that differs between databases.
 */
final class JdbcStatements {

	private static final String COLUMNS = "breaker_name, bucket_millis, bucket, calls, failed_calls, slow_calls,"
			+ " probes, failed_probes, slow_probes, expires_at";

	/** What an addition to an existing row sets, its counts bound in the order of {@link #bindCounts}. */
	private static final String ADDITIONS = "calls = calls + ?, failed_calls = failed_calls + ?,"
			+ " slow_calls = slow_calls + ?, probes = probes + ?, failed_probes = failed_probes + ?,"
			+ " slow_probes = slow_probes + ?, expires_at = GREATEST(expires_at, ?)";

	private final JdbcDialect dialect;

	private final String createTable;

	/** The upsert, or on H2 the insert. */
	private final String insert;

	/** H2 only: the update tried before the insert. */
	private final String update;

	private final String read;

	private final String deleteExpired;

	JdbcStatements(JdbcDialect dialect, String table) {
		this.dialect = dialect;
		// Lengths keep the primary key within MySQL's 3072-byte limit in utf8mb4.
		this.createTable = "CREATE TABLE IF NOT EXISTS " + table + " (breaker_name VARCHAR(200) NOT NULL,"
				+ " bucket_millis BIGINT NOT NULL, bucket BIGINT NOT NULL, calls BIGINT NOT NULL,"
				+ " failed_calls BIGINT NOT NULL, slow_calls BIGINT NOT NULL, probes BIGINT NOT NULL,"
				+ " failed_probes BIGINT NOT NULL, slow_probes BIGINT NOT NULL, expires_at BIGINT NOT NULL,"
				+ " PRIMARY KEY (breaker_name, bucket_millis, bucket))";
		String insert = "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
		this.insert = switch (dialect) {
			case POSTGRESQL -> "INSERT INTO " + table + " AS existing (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
					+ " ON CONFLICT (breaker_name, bucket_millis, bucket) DO UPDATE SET"
					+ " calls = existing.calls + EXCLUDED.calls,"
					+ " failed_calls = existing.failed_calls + EXCLUDED.failed_calls,"
					+ " slow_calls = existing.slow_calls + EXCLUDED.slow_calls,"
					+ " probes = existing.probes + EXCLUDED.probes,"
					+ " failed_probes = existing.failed_probes + EXCLUDED.failed_probes,"
					+ " slow_probes = existing.slow_probes + EXCLUDED.slow_probes,"
					+ " expires_at = GREATEST(existing.expires_at, EXCLUDED.expires_at)";
			// The counts are bound a second time rather than read with VALUES(), which MySQL
			// deprecates and MariaDB's replacement (VALUE()) MySQL does not know.
			case MYSQL -> insert + " ON DUPLICATE KEY UPDATE " + ADDITIONS;
			case H2 -> insert;
		};
		this.update = (dialect != JdbcDialect.H2) ? null
				: "UPDATE " + table + " SET " + ADDITIONS + " WHERE breaker_name = ? AND bucket_millis = ? AND bucket = ?";
		this.read = "SELECT bucket, calls, failed_calls, slow_calls, probes, failed_probes, slow_probes FROM " + table
				+ " WHERE breaker_name = ? AND bucket_millis = ? AND bucket >= ? AND bucket <= ?";
		this.deleteExpired = "DELETE FROM " + table + " WHERE expires_at <= ?";
	}

	String createTable() {
		return this.createTable;
	}

	/** Parameters: breaker name, bucket millis, oldest bucket, newest bucket. */
	String read() {
		return this.read;
	}

	/** Parameters: now in epoch milliseconds. */
	String deleteExpired() {
		return this.deleteExpired;
	}

	/**
	 * Adds counts to a bucket's row, creating it when missing, atomically with respect to
	 * every other addition; the connection is in auto-commit mode.
	 */
	void add(Connection connection, String breakerName, long bucketMillis, long bucket, OutcomeCounts added,
			long expiresAt) throws SQLException {
		if (this.dialect == JdbcDialect.H2) {
			addOnH2(connection, breakerName, bucketMillis, bucket, added, expiresAt);
			return;
		}
		try (PreparedStatement statement = connection.prepareStatement(this.insert)) {
			bindRow(statement, breakerName, bucketMillis, bucket, added, expiresAt);
			if (this.dialect == JdbcDialect.MYSQL) {
				bindCounts(statement, 11, added, expiresAt);
			}
			statement.executeUpdate();
		}
	}

	/**
	 * H2 has no upsert that adds to a row (its {@code MERGE} replaces the row), so: update
	 * the row, insert it when the update found none, and update it after all when a
	 * concurrent addition inserted it first. Each statement is atomic on its own, under the
	 * row's lock, so no addition is lost or counted twice.
	 */
	private void addOnH2(Connection connection, String breakerName, long bucketMillis, long bucket,
			OutcomeCounts added, long expiresAt) throws SQLException {
		if (updateOnH2(connection, breakerName, bucketMillis, bucket, added, expiresAt)) {
			return;
		}
		try (PreparedStatement statement = connection.prepareStatement(this.insert)) {
			bindRow(statement, breakerName, bucketMillis, bucket, added, expiresAt);
			statement.executeUpdate();
			return;
		}
		catch (SQLException ex) {
			if (!isIntegrityViolation(ex)) {
				throw ex;
			}
		}
		if (!updateOnH2(connection, breakerName, bucketMillis, bucket, added, expiresAt)) {
			// Inserted by another process and deleted again at once: only an expired row is.
			throw new SQLException("the row of bucket " + bucket + " vanished while it was being added to");
		}
	}

	private boolean updateOnH2(Connection connection, String breakerName, long bucketMillis, long bucket,
			OutcomeCounts added, long expiresAt) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.update)) {
			int next = bindCounts(statement, 1, added, expiresAt);
			statement.setString(next, breakerName);
			statement.setLong(next + 1, bucketMillis);
			statement.setLong(next + 2, bucket);
			return statement.executeUpdate() == 1;
		}
	}

	private static void bindRow(PreparedStatement statement, String breakerName, long bucketMillis, long bucket,
			OutcomeCounts added, long expiresAt) throws SQLException {
		statement.setString(1, breakerName);
		statement.setLong(2, bucketMillis);
		statement.setLong(3, bucket);
		bindCounts(statement, 4, added, expiresAt);
	}

	/** @return the index of the parameter after them */
	private static int bindCounts(PreparedStatement statement, int first, OutcomeCounts added, long expiresAt)
			throws SQLException {
		statement.setLong(first, added.calls());
		statement.setLong(first + 1, added.failedCalls());
		statement.setLong(first + 2, added.slowCalls());
		statement.setLong(first + 3, added.probes());
		statement.setLong(first + 4, added.failedProbes());
		statement.setLong(first + 5, added.slowProbes());
		statement.setLong(first + 6, expiresAt);
		return first + 7;
	}

	private static boolean isIntegrityViolation(SQLException ex) {
		String state = ex.getSQLState();
		return state != null && state.startsWith("23");
	}

}

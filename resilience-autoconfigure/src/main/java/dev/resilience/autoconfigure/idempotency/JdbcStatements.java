package dev.resilience.autoconfigure.idempotency;

/**
 * The SQL of one {@link JdbcIdempotencyStore}, built once for its dialect, table and
 * source of time. {@code now} is the dialect's clock expression, or a parameter marker
 * when the store has its own clock.
 */
final class JdbcStatements {

	private final boolean insertTakesOver;

	private final String insert;

	private final String takeover;

	private final String read;

	private final String complete;

	private final String release;

	private final String find;

	private final String deleteExpired;

	JdbcStatements(JdbcDialect dialect, String table, String now) {
		this.insertTakesOver = dialect.insertTakesOver();
		this.insert = dialect.insertSql(table, now);
		// Parameters: owner token, fingerprint, [now], lease millis, id, [now].
		this.takeover = insertTakesOver ? null
				: "UPDATE " + table + " SET state = 'P', owner_token = ?, fingerprint = ?, expires_at = " + now
						+ " + ?, result = NULL WHERE id = ? AND expires_at <= " + now;
		// Parameters: [now], id.
		this.read = "SELECT state, fingerprint, result, CASE WHEN expires_at > " + now
				+ " THEN 1 ELSE 0 END FROM " + table + " WHERE id = ?";
		// Parameters: result, [now], ttl millis, id, owner token.
		this.complete = "UPDATE " + table + " SET state = 'C', owner_token = NULL, result = ?, expires_at = " + now
				+ " + ? WHERE id = ? AND state = 'P' AND owner_token = ?";
		// Parameters: id, owner token.
		this.release = "DELETE FROM " + table + " WHERE id = ? AND state = 'P' AND owner_token = ?";
		// Parameters: id, [now].
		this.find = "SELECT result FROM " + table + " WHERE id = ? AND state = 'C' AND expires_at > " + now;
		// Parameters: [now].
		this.deleteExpired = "DELETE FROM " + table + " WHERE expires_at <= " + now;
	}

	boolean insertTakesOver() {
		return insertTakesOver;
	}

	String insert() {
		return insert;
	}

	/** @return the takeover statement, or {@code null} when the insert already takes over */
	String takeover() {
		return takeover;
	}

	String read() {
		return read;
	}

	String complete() {
		return complete;
	}

	String release() {
		return release;
	}

	String find() {
		return find;
	}

	String deleteExpired() {
		return deleteExpired;
	}

}

package dev.resilience.autoconfigure.idempotency;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import dev.resilience.autoconfigure.internal.JdbcTables;
import dev.resilience.core.idempotency.Claim;
import dev.resilience.core.idempotency.Fingerprints;
import dev.resilience.core.idempotency.IdempotencyKey;
import dev.resilience.core.idempotency.IdempotencyStore;
import dev.resilience.core.idempotency.IdempotencyStoreException;
import dev.resilience.core.idempotency.StoredResult;

/**
 * Keeps idempotency keys in a database table shared by every application instance:
 * PostgreSQL, MySQL, MariaDB or H2, detected from the connection's metadata. The table is
 * created on first use when missing. One row per key, identified by
 * {@link IdempotencyKey#storageId()}: state ({@code P} in progress, {@code C} completed),
 * owner token, a digest of the fingerprint, the expiry in epoch milliseconds (the lease's
 * end while in progress, the ttl's end once completed) and the result.
 * <p>
 * Every decision is one atomic statement: a claim inserts only when the key is absent
 * ({@code ON CONFLICT DO NOTHING}-style; on PostgreSQL the same upsert also takes over an
 * expired row), takes over with {@code UPDATE ... WHERE expires_at <= now}, completes and
 * releases with {@code ... WHERE owner_token = ?}. Concurrent claims of one key are thus
 * decided by the database's row locks, across every process.
 * <p>
 * Time is the database's clock by default: every instance then compares leases against
 * one clock, so a skewed application host can neither take over a live claim early nor
 * keep a dead one. A {@link Clock} can be given instead (tests, or a database whose clock
 * is not to be trusted); then every instance sharing the table must keep its clock in sync.
 * <p>
 * Connections are taken straight from the {@link DataSource}, outside any transaction of
 * the caller: a claim must be visible to other instances at once and must not be rolled
 * back with the caller's work.
 */
public final class JdbcIdempotencyStore implements IdempotencyStore {

	/** The table used unless another is named. */
	public static final String DEFAULT_TABLE_NAME = "resilience_idempotency";

	/** How often a claim re-reads a key that changed between its statements. */
	private static final int CLAIM_ATTEMPTS = 3;

	private final DataSource dataSource;

	private final String tableName;

	private final boolean createTable;

	private final Clock clock;

	/** Guards the first use; a lock rather than {@code synchronized}, which pins a virtual thread. */
	private final ReentrantLock initLock = new ReentrantLock();

	private volatile JdbcStatements statements;

	private JdbcIdempotencyStore(Builder builder) {
		this.dataSource = JdbcTables.outsideTransactions(builder.dataSource);
		this.tableName = builder.tableName;
		this.createTable = builder.createTable;
		this.clock = builder.clock;
	}

	/**
	 * @param dataSource where the table lives
	 * @return a store on the default table, created when missing, on the database's clock
	 */
	public static JdbcIdempotencyStore create(DataSource dataSource) {
		return builder(dataSource).build();
	}

	/**
	 * @param dataSource where the table lives
	 * @return a builder
	 */
	public static Builder builder(DataSource dataSource) {
		return new Builder(dataSource);
	}

	/**
	 * @return the table's name
	 */
	public String tableName() {
		return tableName;
	}

	/**
	 * Detects the database and creates the table when missing. Done on first use
	 * anyway; call it at start-up to fail early. A failure is retried by the next use.
	 * @throws IdempotencyStoreException when the database cannot be reached or is not
	 * supported
	 */
	public void initialize() {
		statements();
	}

	@Override
	public Claim claim(IdempotencyKey key, String fingerprint, Duration lease) {
		String token = UUID.randomUUID().toString();
		String fingerprintDigest = Fingerprints.sha256Hex(fingerprint);
		long leaseMillis = StoreDurations.millis(lease);
		return withConnection("claim", key, (connection, sql) -> {
			for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
				if (insert(connection, sql, key, token, fingerprintDigest, leaseMillis)
						|| (sql.takeover() != null && takeOver(connection, sql, key, token, fingerprintDigest,
								leaseMillis))) {
					return Claim.claimed(token);
				}
				Claim found = readLive(connection, sql, key, fingerprintDigest);
				if (found != null) {
					return found;
				}
				// The row was released or expired between our statements: claim again.
			}
			// The key keeps changing hands; to the caller it is busy, which its wait handles.
			return Claim.inProgress();
		});
	}

	private boolean insert(Connection connection, JdbcStatements sql, IdempotencyKey key, String token,
			String fingerprint, long leaseMillis) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql.insert())) {
			Binder binder = new Binder(statement).text(key.storageId()).text(token).text(fingerprint).now().number(
					leaseMillis);
			if (sql.insertTakesOver()) {
				binder.now();
			}
			return statement.executeUpdate() == 1;
		}
		catch (SQLException ex) {
			// Where the insert is plain (H2), a concurrent claim shows as a key violation.
			if (isIntegrityViolation(ex)) {
				return false;
			}
			throw ex;
		}
	}

	private boolean takeOver(Connection connection, JdbcStatements sql, IdempotencyKey key, String token,
			String fingerprint, long leaseMillis) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql.takeover())) {
			new Binder(statement).text(token).text(fingerprint).now().number(leaseMillis).text(key.storageId()).now();
			// The row lock makes this a compare-and-set: of two callers updating the same
			// expired row, the second re-reads it, finds it live and updates nothing.
			return statement.executeUpdate() == 1;
		}
	}

	/** @return what a live row says, or {@code null} when there is no live row */
	private Claim readLive(Connection connection, JdbcStatements sql, IdempotencyKey key, String fingerprint)
			throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql.read())) {
			new Binder(statement).now().text(key.storageId());
			try (ResultSet row = statement.executeQuery()) {
				if (!row.next() || row.getInt(4) != 1) {
					return null;
				}
				if (!fingerprint.equals(row.getString(2))) {
					return Claim.fingerprintMismatch();
				}
				if ("C".equals(row.getString(1).trim())) {
					return Claim.completed(decode(row.getBytes(3)));
				}
				return Claim.inProgress();
			}
		}
	}

	@Override
	public boolean complete(IdempotencyKey key, String ownerToken, StoredResult result, Duration ttl) {
		byte[] bytes = result.toBytes();
		long ttlMillis = StoreDurations.millis(ttl);
		return withConnection("complete", key, (connection, sql) -> {
			try (PreparedStatement statement = connection.prepareStatement(sql.complete())) {
				new Binder(statement).bytes(bytes).now().number(ttlMillis).text(key.storageId()).text(ownerToken);
				return statement.executeUpdate() == 1;
			}
		});
	}

	@Override
	public boolean release(IdempotencyKey key, String ownerToken) {
		return withConnection("release", key, (connection, sql) -> {
			try (PreparedStatement statement = connection.prepareStatement(sql.release())) {
				new Binder(statement).text(key.storageId()).text(ownerToken);
				return statement.executeUpdate() == 1;
			}
		});
	}

	@Override
	public Optional<StoredResult> find(IdempotencyKey key) {
		return withConnection("read", key, (connection, sql) -> {
			try (PreparedStatement statement = connection.prepareStatement(sql.find())) {
				new Binder(statement).text(key.storageId()).now();
				try (ResultSet row = statement.executeQuery()) {
					return row.next() ? Optional.of(decode(row.getBytes(1))) : Optional.empty();
				}
			}
		});
	}

	/**
	 * Deletes every expired row. Claims reuse expired rows on their own; this only keeps
	 * the table from holding keys that are never used again. Call it from a scheduled task.
	 * @return how many rows were deleted
	 */
	public int deleteExpired() {
		return withConnection("delete expired keys", null, (connection, sql) -> {
			try (PreparedStatement statement = connection.prepareStatement(sql.deleteExpired())) {
				new Binder(statement).now();
				return statement.executeUpdate();
			}
		});
	}

	private <T> T withConnection(String operation, IdempotencyKey key, Work<T> work) {
		JdbcStatements sql = statements();
		try (Connection connection = dataSource.getConnection()) {
			// Each statement must be visible to other instances as soon as it returns.
			boolean autoCommit = connection.getAutoCommit();
			if (!autoCommit) {
				connection.setAutoCommit(true);
			}
			try {
				return work.run(connection, sql);
			}
			finally {
				if (!autoCommit) {
					connection.setAutoCommit(false);
				}
			}
		}
		catch (SQLException | RuntimeException ex) {
			if (ex instanceof IdempotencyStoreException storeException) {
				throw storeException;
			}
			throw new IdempotencyStoreException("The JDBC idempotency store (table " + tableName + ") failed to "
					+ operation + ((key != null) ? " key " + key : "") + ": " + ex.getMessage(), ex);
		}
	}

	private JdbcStatements statements() {
		JdbcStatements prepared = statements;
		if (prepared != null) {
			return prepared;
		}
		initLock.lock();
		try {
			if (statements == null) {
				statements = prepare();
			}
			return statements;
		}
		finally {
			initLock.unlock();
		}
	}

	private JdbcStatements prepare() {
		try (Connection connection = dataSource.getConnection()) {
			JdbcDialect dialect = JdbcDialect.forProductName(connection.getMetaData().getDatabaseProductName());
			if (createTable) {
				JdbcTables.createIfMissing(connection, dialect.createTableSql(tableName), tableName);
			}
			return new JdbcStatements(dialect, tableName, (clock != null) ? "?" : dialect.nowMillis());
		}
		catch (SQLException | RuntimeException ex) {
			if (ex instanceof IdempotencyStoreException storeException) {
				throw storeException;
			}
			throw new IdempotencyStoreException(
					"The JDBC idempotency store could not prepare table " + tableName + ": " + ex.getMessage(), ex);
		}
	}

	private static StoredResult decode(byte[] bytes) {
		if (bytes == null) {
			throw new IdempotencyStoreException("A completed idempotency key has no stored result");
		}
		try {
			return StoredResult.fromBytes(bytes);
		}
		catch (IllegalArgumentException ex) {
			throw new IdempotencyStoreException("A stored idempotency result is corrupt: " + ex.getMessage(), ex);
		}
	}

	private static boolean isIntegrityViolation(SQLException ex) {
		String state = ex.getSQLState();
		return state != null && state.startsWith("23");
	}

	@Override
	public String toString() {
		return "JdbcIdempotencyStore[" + tableName + "]";
	}

	/** Work done on one connection. */
	@FunctionalInterface
	private interface Work<T> {

		T run(Connection connection, JdbcStatements sql) throws SQLException;

	}

	/**
	 * Binds parameters in order; {@link #now()} binds the clock's reading only when the
	 * store has a clock, since otherwise the SQL reads the database's clock itself.
	 */
	private final class Binder {

		private final PreparedStatement statement;

		private final long nowMillis;

		private int index = 1;

		Binder(PreparedStatement statement) {
			this.statement = statement;
			this.nowMillis = (clock != null) ? clock.millis() : 0;
		}

		Binder text(String value) throws SQLException {
			statement.setString(index++, value);
			return this;
		}

		Binder number(long value) throws SQLException {
			statement.setLong(index++, value);
			return this;
		}

		Binder bytes(byte[] value) throws SQLException {
			statement.setBytes(index++, value);
			return this;
		}

		Binder now() throws SQLException {
			if (clock != null) {
				statement.setLong(index++, nowMillis);
			}
			return this;
		}

	}

	/**
	 * Builds a {@link JdbcIdempotencyStore}.
	 */
	public static final class Builder {

		private final DataSource dataSource;

		private String tableName = DEFAULT_TABLE_NAME;

		private boolean createTable = true;

		private Clock clock;

		private Builder(DataSource dataSource) {
			if (dataSource == null) {
				throw new IllegalArgumentException("dataSource must not be null");
			}
			this.dataSource = dataSource;
		}

		/**
		 * @param tableName the table, optionally {@code schema.table}; letters, digits
		 * and underscores
		 * @return this builder
		 */
		public Builder tableName(String tableName) {
			this.tableName = JdbcTables.requireUnquotedName(tableName);
			return this;
		}

		/**
		 * @param createTable whether to create the table on first use when it is missing
		 * (default true)
		 * @return this builder
		 */
		public Builder createTable(boolean createTable) {
			this.createTable = createTable;
			return this;
		}

		/**
		 * @param clock the clock to compare leases and ttls against instead of the
		 * database's; every instance sharing the table must then keep its clock in sync
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = clock;
			return this;
		}

		/**
		 * @return the store; it touches the database only when first used
		 */
		public JdbcIdempotencyStore build() {
			return new JdbcIdempotencyStore(this);
		}

	}

}

package dev.resilience.autoconfigure.circuitbreaker.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.resilience.autoconfigure.internal.JdbcTables;
import dev.resilience.core.circuitbreaker.fleet.FleetOutcomeStore;
import dev.resilience.core.circuitbreaker.fleet.FleetStoreException;
import dev.resilience.core.circuitbreaker.fleet.OutcomeCounts;

/**
 * Adds up the fleet's circuit breaker outcomes in a database table: PostgreSQL, MySQL,
 * MariaDB or H2, detected from the connection's metadata. The table is created on first
 * use when missing:
 * <pre>
 * CREATE TABLE resilience_breaker_outcomes (breaker_name VARCHAR(200) NOT NULL,
 *     bucket_millis BIGINT NOT NULL, bucket BIGINT NOT NULL, calls BIGINT NOT NULL,
 *     failed_calls BIGINT NOT NULL, slow_calls BIGINT NOT NULL, probes BIGINT NOT NULL,
 *     failed_probes BIGINT NOT NULL, slow_probes BIGINT NOT NULL, expires_at BIGINT NOT NULL,
 *     PRIMARY KEY (breaker_name, bucket_millis, bucket))
 * </pre>
 * One row per bucket of the whole fleet, not per process, so the table stays as small as
 * the number of breakers times the buckets kept.
 * <p>
 * An exchange adds to the row of each bucket it has something for in one atomic upsert
 * ({@code ON CONFLICT ... DO UPDATE} on PostgreSQL, {@code ON DUPLICATE KEY UPDATE} on
 * MySQL and MariaDB, an update-or-insert on H2), then reads the requested buckets in one
 * {@code SELECT}; an exchange that adds nothing only reads. An addition keeps its row
 * until {@code expires_at}, the bucket's start plus {@code (buckets + 2) x bucketMillis},
 * unless a longer exchange already set a later one. Expired rows are deleted now and then:
 * by an exchange that adds, at most once per {@link Builder#cleanupInterval cleanup
 * interval} per store, "now" being the start of that exchange's bucket.
 * <p>
 * Connections are taken straight from the {@link DataSource}, outside any transaction of
 * the caller, in auto-commit mode: an addition must be visible to the fleet as soon as the
 * exchange returns.
 */
public final class JdbcFleetOutcomeStore implements FleetOutcomeStore {

	/** The table used unless another is named. */
	public static final String DEFAULT_TABLE_NAME = "resilience_breaker_outcomes";

	/** How often a store deletes expired rows unless told otherwise. */
	public static final Duration DEFAULT_CLEANUP_INTERVAL = Duration.ofMinutes(1);

	private static final Log logger = LogFactory.getLog(JdbcFleetOutcomeStore.class);

	private final DataSource dataSource;

	private final String tableName;

	private final boolean createTable;

	private final long cleanupIntervalMillis;

	/** When the next cleanup is due, by the clock of the exchanges' buckets. */
	private final AtomicLong nextCleanupMillis = new AtomicLong(Long.MIN_VALUE);

	/** Guards the first use; a lock rather than {@code synchronized}, which pins a virtual thread. */
	private final ReentrantLock initLock = new ReentrantLock();

	private volatile JdbcStatements statements;

	private JdbcFleetOutcomeStore(Builder builder) {
		this.dataSource = JdbcTables.outsideTransactions(builder.dataSource);
		this.tableName = builder.tableName;
		this.createTable = builder.createTable;
		this.cleanupIntervalMillis = millis(builder.cleanupInterval);
	}

	/**
	 * @param dataSource where the table lives
	 * @return a store on the default table, created when missing
	 */
	public static JdbcFleetOutcomeStore create(DataSource dataSource) {
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
		return this.tableName;
	}

	/**
	 * Detects the database and creates the table when missing. Done on first use anyway;
	 * call it at start-up to fail early. A failure is retried by the next use.
	 * @throws FleetStoreException when the database cannot be reached or is not supported
	 */
	public void initialize() {
		statements();
	}

	@Override
	public List<OutcomeCounts> exchange(String breakerName, long bucketMillis, long bucket, List<OutcomeCounts> added,
			int buckets) {
		FleetOutcomeStore.checkExchange(breakerName, bucketMillis, added, buckets);
		JdbcStatements sql = statements();
		long bucketStart = saturatedMultiply(bucket, bucketMillis);
		try (Connection connection = this.dataSource.getConnection()) {
			if (!connection.getAutoCommit()) {
				// The pool hands connections back to the next user as it found them.
				connection.setAutoCommit(true);
			}
			boolean adds = false;
			for (int i = 0; i < buckets; i++) {
				OutcomeCounts counts = added.get(i);
				if (!counts.isEmpty()) {
					long addedBucket = bucket - buckets + 1 + i;
					long expiresAt = saturatedAdd(saturatedMultiply(addedBucket, bucketMillis),
							BucketRetention.millis(bucketMillis, buckets));
					sql.add(connection, breakerName, bucketMillis, addedBucket, counts, expiresAt);
					adds = true;
				}
			}
			List<OutcomeCounts> counts = read(connection, sql, breakerName, bucketMillis, bucket, buckets);
			if (adds && isCleanupDue(bucketStart)) {
				deleteExpiredQuietly(connection, sql, bucketStart);
			}
			return counts;
		}
		catch (SQLException | RuntimeException ex) {
			throw new FleetStoreException("The JDBC fleet outcome store (table " + this.tableName
					+ ") failed to exchange the outcomes of breaker '" + breakerName + "': " + ex.getMessage(), ex);
		}
	}

	private static List<OutcomeCounts> read(Connection connection, JdbcStatements sql, String breakerName,
			long bucketMillis, long bucket, int buckets) throws SQLException {
		OutcomeCounts[] counts = new OutcomeCounts[buckets];
		Arrays.fill(counts, OutcomeCounts.EMPTY);
		long oldest = bucket - buckets + 1;
		try (PreparedStatement statement = connection.prepareStatement(sql.read())) {
			statement.setString(1, breakerName);
			statement.setLong(2, bucketMillis);
			statement.setLong(3, oldest);
			statement.setLong(4, bucket);
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					OutcomeCounts row = new OutcomeCounts(rows.getLong(2), rows.getLong(3), rows.getLong(4),
							rows.getLong(5), rows.getLong(6), rows.getLong(7));
					if (!row.isEmpty()) {
						counts[(int) (rows.getLong(1) - oldest)] = row;
					}
				}
			}
		}
		return List.of(counts);
	}

	/**
	 * Deletes the rows that expired by {@code now}. Exchanges do it on their own now and
	 * then; call it to do it at once.
	 * @param now the time against which rows are expired
	 * @return how many rows were deleted
	 * @throws FleetStoreException when the database cannot be reached or fails
	 */
	public int deleteExpired(Instant now) {
		JdbcStatements sql = statements();
		try (Connection connection = this.dataSource.getConnection()) {
			if (!connection.getAutoCommit()) {
				connection.setAutoCommit(true);
			}
			return deleteExpired(connection, sql, now.toEpochMilli());
		}
		catch (SQLException | RuntimeException ex) {
			throw new FleetStoreException("The JDBC fleet outcome store (table " + this.tableName
					+ ") failed to delete expired buckets: " + ex.getMessage(), ex);
		}
	}

	private boolean isCleanupDue(long nowMillis) {
		long due = this.nextCleanupMillis.get();
		// Of the exchanges that find it due at once, the one that moves it on does it.
		return nowMillis >= due
				&& this.nextCleanupMillis.compareAndSet(due, saturatedAdd(nowMillis, this.cleanupIntervalMillis));
	}

	private void deleteExpiredQuietly(Connection connection, JdbcStatements sql, long nowMillis) {
		try {
			int deleted = deleteExpired(connection, sql, nowMillis);
			if (deleted > 0 && logger.isDebugEnabled()) {
				logger.debug("Deleted " + deleted + " expired fleet outcome buckets from " + this.tableName);
			}
		}
		catch (SQLException ex) {
			// The exchange itself succeeded; a later one deletes them.
			logger.warn("Could not delete expired fleet outcome buckets from " + this.tableName + ": "
					+ ex.getMessage());
		}
	}

	private static int deleteExpired(Connection connection, JdbcStatements sql, long nowMillis) throws SQLException {
		int isolation = connection.getTransactionIsolation();
		// Under MySQL's default REPEATABLE READ the scan would lock every row it reads, and
		// the gaps between them, against the additions; expired rows are the only ones it
		// needs.
		if (isolation > Connection.TRANSACTION_READ_COMMITTED) {
			connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
		}
		try (PreparedStatement statement = connection.prepareStatement(sql.deleteExpired())) {
			statement.setLong(1, nowMillis);
			return statement.executeUpdate();
		}
		finally {
			if (isolation > Connection.TRANSACTION_READ_COMMITTED) {
				connection.setTransactionIsolation(isolation);
			}
		}
	}

	private JdbcStatements statements() {
		JdbcStatements prepared = this.statements;
		if (prepared != null) {
			return prepared;
		}
		this.initLock.lock();
		try {
			if (this.statements == null) {
				this.statements = prepare();
			}
			return this.statements;
		}
		finally {
			this.initLock.unlock();
		}
	}

	private JdbcStatements prepare() {
		try (Connection connection = this.dataSource.getConnection()) {
			JdbcStatements sql = new JdbcStatements(
					JdbcDialect.forProductName(connection.getMetaData().getDatabaseProductName()), this.tableName);
			if (this.createTable) {
				JdbcTables.createIfMissing(connection, sql.createTable(), this.tableName);
			}
			return sql;
		}
		catch (SQLException | RuntimeException ex) {
			throw new FleetStoreException(
					"The JDBC fleet outcome store could not prepare table " + this.tableName + ": " + ex.getMessage(),
					ex);
		}
	}

	private static long millis(Duration duration) {
		try {
			return duration.toMillis();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
	}

	private static long saturatedMultiply(long a, long b) {
		long low = a * b;
		long high = Math.multiplyHigh(a, b);
		// No overflow when the high half only extends the low half's sign.
		return (high == (low >> 63)) ? low : ((high < 0) ? Long.MIN_VALUE : Long.MAX_VALUE);
	}

	private static long saturatedAdd(long a, long b) {
		long sum = a + b;
		// Overflow only when both have the sign the sum lacks.
		return (((a ^ sum) & (b ^ sum)) < 0) ? ((a < 0) ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
	}

	@Override
	public String toString() {
		return "JdbcFleetOutcomeStore[" + this.tableName + "]";
	}

	/**
	 * Builds a {@link JdbcFleetOutcomeStore}.
	 */
	public static final class Builder {

		private final DataSource dataSource;

		private String tableName = DEFAULT_TABLE_NAME;

		private boolean createTable = true;

		private Duration cleanupInterval = DEFAULT_CLEANUP_INTERVAL;

		private Builder(DataSource dataSource) {
			if (dataSource == null) {
				throw new IllegalArgumentException("dataSource must not be null");
			}
			this.dataSource = dataSource;
		}

		/**
		 * @param tableName the table, optionally {@code schema.table}; letters, digits and
		 * underscores
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
		 * @param cleanupInterval how long a store waits, by the clock of its exchanges'
		 * buckets, between two deletions of expired rows (default
		 * {@link JdbcFleetOutcomeStore#DEFAULT_CLEANUP_INTERVAL}); zero deletes them at
		 * every exchange that adds
		 * @return this builder
		 */
		public Builder cleanupInterval(Duration cleanupInterval) {
			if (cleanupInterval == null || cleanupInterval.isNegative()) {
				throw new IllegalArgumentException("cleanupInterval must be >= 0 but was " + cleanupInterval);
			}
			this.cleanupInterval = cleanupInterval;
			return this;
		}

		/**
		 * @return the store; it touches the database only when first used
		 */
		public JdbcFleetOutcomeStore build() {
			return new JdbcFleetOutcomeStore(this);
		}

	}

}

package dev.resilience.autoconfigure.slo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import dev.resilience.autoconfigure.internal.JdbcTables;
import dev.resilience.core.slo.BucketCount;
import dev.resilience.core.slo.BucketSeries;
import dev.resilience.core.slo.BucketSnapshot;

/**
 * Keeps error-budget buckets in a database table shared by the application's instances:
 * one row per (objective, instance, bucket size, bucket start) with the bucket's events,
 * bad events and the epoch millisecond after which no window reads it. The table is
 * created on first use when missing; the SQL is standard, so PostgreSQL, MySQL, MariaDB
 * and H2 all work.
 * <p>
 * A save updates the instance's rows and inserts those the update did not find, in one
 * transaction. No other writer can touch those rows (an instance id is unique to its
 * process, and an instance saves from one thread at a time), so the update-then-insert
 * needs neither an upsert nor a lock. A load lets the database add up the other
 * instances' rows.
 * <p>
 * Connections are taken straight from the {@link DataSource}, outside any transaction of
 * the caller.
 */
public final class JdbcErrorBudgetStore implements ErrorBudgetStore {

	/** The table used unless another is named. */
	public static final String DEFAULT_TABLE_NAME = "resilience_slo_buckets";

	private final DataSource dataSource;

	private final String tableName;

	private final String update;

	private final String insert;

	private final String load;

	private final String deleteExpired;

	/** Guards the table's creation; a lock rather than {@code synchronized}, which pins a virtual thread. */
	private final ReentrantLock initLock = new ReentrantLock();

	private volatile boolean initialized;

	private JdbcErrorBudgetStore(DataSource dataSource, String tableName) {
		this.dataSource = JdbcTables.outsideTransactions(dataSource);
		this.tableName = tableName;
		this.update = "UPDATE " + tableName + " SET events = ?, bad_events = ?, expires_at = ?"
				+ " WHERE slo_name = ? AND instance_id = ? AND bucket_millis = ? AND bucket_start = ?";
		this.insert = "INSERT INTO " + tableName
				+ " (slo_name, instance_id, bucket_millis, bucket_start, events, bad_events, expires_at)"
				+ " VALUES (?, ?, ?, ?, ?, ?, ?)";
		this.load = "SELECT bucket_millis, bucket_start, SUM(events), SUM(bad_events) FROM " + tableName
				+ " WHERE slo_name = ? AND instance_id <> ? AND expires_at > ? GROUP BY bucket_millis, bucket_start";
		this.deleteExpired = "DELETE FROM " + tableName + " WHERE slo_name = ? AND expires_at <= ?";
	}

	/**
	 * @param dataSource where the table lives
	 * @return a store on the default table
	 */
	public static JdbcErrorBudgetStore create(DataSource dataSource) {
		return create(dataSource, DEFAULT_TABLE_NAME);
	}

	/**
	 * @param dataSource where the table lives
	 * @param tableName the table, optionally schema-qualified
	 * @return a store on that table
	 */
	public static JdbcErrorBudgetStore create(DataSource dataSource, String tableName) {
		Objects.requireNonNull(dataSource, "dataSource must not be null");
		if (!JdbcTables.isUnquotedName(tableName)) {
			throw new IllegalArgumentException("tableName must be an SQL identifier, optionally schema-qualified, but was "
					+ tableName);
		}
		return new JdbcErrorBudgetStore(dataSource, tableName);
	}

	/**
	 * @return the table's name
	 */
	public String tableName() {
		return this.tableName;
	}

	@Override
	public void save(String sloName, String instanceId, BucketSnapshot buckets, Duration sloWindow, Instant now) {
		withConnection("save the buckets of " + sloName, (connection) -> {
			boolean autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try (PreparedStatement update = connection.prepareStatement(this.update);
					PreparedStatement insert = connection.prepareStatement(this.insert)) {
				for (BucketSeries series : buckets.series()) {
					long bucketMillis = series.bucketMillis();
					long retentionMillis = ErrorBudgetStore.retention(series.bucketSize(), sloWindow).toMillis();
					for (BucketCount bucket : series.buckets()) {
						long expiresAt = bucket.startEpochMillis() + bucketMillis + retentionMillis;
						update.setLong(1, bucket.events());
						update.setLong(2, bucket.badEvents());
						update.setLong(3, expiresAt);
						update.setString(4, sloName);
						update.setString(5, instanceId);
						update.setLong(6, bucketMillis);
						update.setLong(7, bucket.startEpochMillis());
						if (update.executeUpdate() == 0) {
							insert.setString(1, sloName);
							insert.setString(2, instanceId);
							insert.setLong(3, bucketMillis);
							insert.setLong(4, bucket.startEpochMillis());
							insert.setLong(5, bucket.events());
							insert.setLong(6, bucket.badEvents());
							insert.setLong(7, expiresAt);
							insert.executeUpdate();
						}
					}
				}
				connection.commit();
			}
			catch (SQLException | RuntimeException ex) {
				try {
					connection.rollback();
				}
				catch (SQLException rollbackFailure) {
					// The connection is likely broken; the original failure says why.
					ex.addSuppressed(rollbackFailure);
				}
				throw ex;
			}
			finally {
				connection.setAutoCommit(autoCommit);
			}
			return null;
		});
	}

	@Override
	public BucketSnapshot load(String sloName, String excludedInstanceId, Instant now) {
		return withConnection("load the buckets of " + sloName, (connection) -> {
			Map<Long, List<BucketCount>> bySize = new TreeMap<>();
			try (PreparedStatement statement = connection.prepareStatement(this.load)) {
				statement.setString(1, sloName);
				statement.setString(2, excludedInstanceId);
				statement.setLong(3, now.toEpochMilli());
				try (ResultSet rows = statement.executeQuery()) {
					while (rows.next()) {
						bySize.computeIfAbsent(rows.getLong(1), (size) -> new ArrayList<>())
							.add(new BucketCount(rows.getLong(2), rows.getLong(3), rows.getLong(4)));
					}
				}
			}
			List<BucketSeries> series = new ArrayList<>(bySize.size());
			bySize.forEach((size, counts) -> series.add(new BucketSeries(Duration.ofMillis(size), counts)));
			return new BucketSnapshot(series);
		});
	}

	@Override
	public void deleteExpired(String sloName, Instant now) {
		withConnection("delete the expired buckets of " + sloName, (connection) -> {
			try (PreparedStatement statement = connection.prepareStatement(this.deleteExpired)) {
				statement.setString(1, sloName);
				statement.setLong(2, now.toEpochMilli());
				return statement.executeUpdate();
			}
		});
	}

	/**
	 * Creates the table when missing. Done on first use anyway; call it at start-up to
	 * fail early. A failure is retried by the next use.
	 * @throws ErrorBudgetStoreException when the database cannot be reached
	 */
	public void initialize() {
		withConnection("create table " + this.tableName, (connection) -> null);
	}

	private <T> T withConnection(String operation, SqlWork<T> work) {
		try (Connection connection = this.dataSource.getConnection()) {
			createTableOnce(connection);
			return work.run(connection);
		}
		catch (SQLException | RuntimeException ex) {
			throw new ErrorBudgetStoreException("The JDBC error budget store failed to " + operation + " in table "
					+ this.tableName + ": " + ex.getMessage(), ex);
		}
	}

	private void createTableOnce(Connection connection) throws SQLException {
		if (this.initialized) {
			return;
		}
		this.initLock.lock();
		try {
			if (!this.initialized) {
				try (Statement statement = connection.createStatement()) {
					// Lengths keep the primary key within MySQL's 3072-byte limit in utf8mb4.
					statement.execute("CREATE TABLE IF NOT EXISTS " + this.tableName
							+ " (slo_name VARCHAR(200) NOT NULL, instance_id VARCHAR(200) NOT NULL,"
							+ " bucket_millis BIGINT NOT NULL, bucket_start BIGINT NOT NULL, events BIGINT NOT NULL,"
							+ " bad_events BIGINT NOT NULL, expires_at BIGINT NOT NULL,"
							+ " PRIMARY KEY (slo_name, instance_id, bucket_millis, bucket_start))");
				}
				if (!connection.getAutoCommit()) {
					connection.commit();
				}
				this.initialized = true;
			}
		}
		finally {
			this.initLock.unlock();
		}
	}

	@Override
	public String toString() {
		return "JdbcErrorBudgetStore[" + this.tableName + "]";
	}

	@FunctionalInterface
	private interface SqlWork<T> {

		T run(Connection connection) throws SQLException;

	}

}

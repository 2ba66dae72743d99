package dev.resilience.autoconfigure.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * What the JDBC stores do alike with their tables: check a configured table name, reach
 * the database outside the caller's transaction, and create a table that may be created
 * by another instance at the same moment. Loaded only by the JDBC stores, so Spring JDBC
 * need not be on the classpath otherwise.
 */
public final class JdbcTables {

	/** A table name, optionally schema-qualified; it is put into SQL text, so no quoting. */
	private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

	private static final int MAX_TABLE_NAME_LENGTH = 128;

	private JdbcTables() {
	}

	/**
	 * @param tableName a table name, or {@code null}
	 * @return whether it is an unquoted SQL name: {@code [schema.]table} of letters, digits
	 * and underscores, not starting with a digit, of any length
	 */
	public static boolean isUnquotedName(String tableName) {
		return tableName != null && TABLE_NAME.matcher(tableName).matches();
	}

	/**
	 * @param tableName the table name a store is given
	 * @return the name, when it is an {@linkplain #isUnquotedName unquoted SQL name} of at
	 * most 128 characters
	 * @throws IllegalArgumentException otherwise
	 */
	public static String requireUnquotedName(String tableName) {
		if (!isUnquotedName(tableName) || tableName.length() > MAX_TABLE_NAME_LENGTH) {
			throw new IllegalArgumentException("tableName must be an unquoted SQL name ([schema.]table of"
					+ " letters, digits and underscores, at most " + MAX_TABLE_NAME_LENGTH + " characters) but was "
					+ tableName);
		}
		return tableName;
	}

	/**
	 * @param dataSource the data source a store is given
	 * @return the data source behind a {@link TransactionAwareDataSourceProxy}, else the
	 * data source itself: a store's statements must neither join the caller's transaction
	 * nor be rolled back with it
	 */
	public static DataSource outsideTransactions(DataSource dataSource) {
		return (dataSource instanceof TransactionAwareDataSourceProxy proxy) ? proxy.getTargetDataSource()
				: dataSource;
	}

	/**
	 * Creates a table in auto-commit mode, unless it is there already.
	 * @param connection the connection to create it on; left in auto-commit mode
	 * @param createTableSql a {@code CREATE TABLE IF NOT EXISTS} statement
	 * @param tableName the table it creates
	 * @throws SQLException when the table could not be created and is not there
	 */
	public static void createIfMissing(Connection connection, String createTableSql, String tableName)
			throws SQLException {
		if (!connection.getAutoCommit()) {
			connection.setAutoCommit(true);
		}
		try (Statement statement = connection.createStatement()) {
			statement.execute(createTableSql);
		}
		catch (SQLException ex) {
			// Two instances creating the table at once: PostgreSQL may fail the second
			// "IF NOT EXISTS" with a key violation in its catalog. The table is there then.
			try (Statement probe = connection.createStatement()) {
				probe.executeQuery("SELECT 1 FROM " + tableName + " WHERE 1 = 0").close();
			}
			catch (SQLException missing) {
				ex.addSuppressed(missing);
				throw ex;
			}
		}
	}

}

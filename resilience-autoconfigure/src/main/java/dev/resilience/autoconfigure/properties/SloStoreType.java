package dev.resilience.autoconfigure.properties;

/**
 * Where the bucket counts of the error budgets are kept ({@code resilience.slo.store}).
 */
public enum SloStoreType {

	/** In this JVM only: each instance reports its own budget, which a restart empties. */
	MEMORY,

	/**
	 * A relational database through JDBC (the application's {@code DataSource}): every
	 * instance writes its counts there, reports the fleet's budget, and the budget
	 * survives restarts.
	 */
	JDBC,

	/**
	 * Redis through Spring Data Redis (the application's {@code RedisConnectionFactory}):
	 * every instance writes its counts there, reports the fleet's budget, and the budget
	 * survives restarts.
	 */
	REDIS

}

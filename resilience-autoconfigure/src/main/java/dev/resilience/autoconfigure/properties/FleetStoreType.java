package dev.resilience.autoconfigure.properties;

/**
 * Where the instances of the application add up the outcomes of their fleet circuit
 * breakers ({@code resilience.fleet.store}).
 */
public enum FleetStoreType {

	/** In this JVM only: nothing is shared with other instances. */
	MEMORY,

	/** A relational database through JDBC (the application's {@code DataSource}). */
	JDBC,

	/** Redis through Spring Data Redis (the application's {@code RedisConnectionFactory}). */
	REDIS

}

package dev.resilience.autoconfigure.properties;

/**
 * Where idempotency keys and stored results live ({@code resilience.idempotency.store}).
 */
public enum IdempotencyStoreType {

	/** In this JVM: bounded, entries expire after their TTL; not shared between instances. */
	MEMORY,

	/** A relational database through JDBC, shared by every instance of the application. */
	JDBC,

	/** Redis through Spring Data Redis, shared by every instance of the application. */
	REDIS

}

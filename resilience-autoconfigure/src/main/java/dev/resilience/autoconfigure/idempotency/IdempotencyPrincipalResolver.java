package dev.resilience.autoconfigure.idempotency;

/**
 * Names who is calling, to scope idempotency keys: keys of different principals never
 * meet, so one user can never receive another's stored result. With Spring Security on
 * the classpath the default is the name of the current authenticated, non-anonymous
 * principal; without it, every call is anonymous. Define a bean of this type to scope
 * keys differently (by tenant, for instance).
 */
@FunctionalInterface
public interface IdempotencyPrincipalResolver {

	/** Treats every call as anonymous. */
	IdempotencyPrincipalResolver ANONYMOUS = () -> null;

	/**
	 * Called on the calling thread, before the call.
	 * @return the current principal's name, or {@code null} when anonymous
	 */
	String currentPrincipal();

}

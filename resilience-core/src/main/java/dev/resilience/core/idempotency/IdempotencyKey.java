package dev.resilience.core.idempotency;

import java.util.Objects;

import dev.resilience.core.internal.Checks;

/**
 * A key as a store sees it: the caller's key scoped by the instance name and by the
 * principal, so that keys of different instances or users never meet and one user can
 * never receive another's stored result.
 */
public final class IdempotencyKey {

	private final String instanceName;

	private final String principal;

	private final String key;

	/** Computed on first use; a race computes the same string twice, which is harmless. */
	private String storageId;

	private IdempotencyKey(String instanceName, String principal, String key) {
		this.instanceName = Checks.notNull("instanceName", instanceName);
		this.principal = (principal != null) ? principal : "";
		this.key = Checks.notNull("key", key);
	}

	/**
	 * @param instanceName the idempotency instance
	 * @param principal the authenticated principal, or {@code null} (same as empty) when
	 * there is none
	 * @param key the caller's key
	 * @return the scoped key
	 */
	public static IdempotencyKey of(String instanceName, String principal, String key) {
		return new IdempotencyKey(instanceName, principal, key);
	}

	/**
	 * @return the idempotency instance
	 */
	public String instanceName() {
		return instanceName;
	}

	/**
	 * @return the principal; empty when anonymous
	 */
	public String principal() {
		return principal;
	}

	/**
	 * @return the caller's key
	 */
	public String key() {
		return key;
	}

	/**
	 * A fixed-length id for shared stores: the SHA-256 of the three parts, each prefixed
	 * by its length so that no two different keys encode alike ({@code ("a:b", "c")} and
	 * {@code ("a", "b:c")} stay apart).
	 * @return 64 hex characters
	 */
	public String storageId() {
		String id = storageId;
		if (id == null) {
			id = Fingerprints.sha256Hex(instanceName.length() + ":" + instanceName + "|" + principal.length() + ":"
					+ principal + "|" + key.length() + ":" + key);
			storageId = id;
		}
		return id;
	}

	@Override
	public boolean equals(Object other) {
		return this == other || (other instanceof IdempotencyKey that && instanceName.equals(that.instanceName)
				&& principal.equals(that.principal) && key.equals(that.key));
	}

	@Override
	public int hashCode() {
		return Objects.hash(instanceName, principal, key);
	}

	@Override
	public String toString() {
		return instanceName + "/" + (principal.isEmpty() ? "-" : principal) + "/" + key;
	}

}

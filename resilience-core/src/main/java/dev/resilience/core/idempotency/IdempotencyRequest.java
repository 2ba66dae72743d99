package dev.resilience.core.idempotency;

import dev.resilience.core.internal.Checks;

/**
 * One idempotent call as the caller describes it.
 *
 * @param key the caller's key; {@code null} or blank makes the call fail with
 * {@link IdempotencyKeyMissingException}
 * @param fingerprint identifies the request (a hash of the arguments or of the body); the
 * same key with another fingerprint is rejected
 * @param principal who is calling, or {@code null} when anonymous; keys of different
 * principals never meet
 */
public record IdempotencyRequest(String key, String fingerprint, String principal) {

	public IdempotencyRequest {
		Checks.notNull("fingerprint", fingerprint);
	}

	/**
	 * @param key the caller's key
	 * @param fingerprint identifies the request
	 * @return an anonymous request
	 */
	public static IdempotencyRequest of(String key, String fingerprint) {
		return new IdempotencyRequest(key, fingerprint, null);
	}

	/**
	 * @param key the caller's key
	 * @param fingerprint identifies the request
	 * @param principal who is calling
	 * @return a request scoped to the principal
	 */
	public static IdempotencyRequest of(String key, String fingerprint, String principal) {
		return new IdempotencyRequest(key, fingerprint, principal);
	}

}

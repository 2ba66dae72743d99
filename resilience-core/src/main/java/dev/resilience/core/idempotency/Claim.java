package dev.resilience.core.idempotency;

import java.util.Objects;

/**
 * What {@link IdempotencyStore#claim} found: the key was free and is now the caller's
 * ({@link Status#CLAIMED}, with the owner token that completes or releases it), it holds a
 * completed result, it is held by a live claim, or it was used with another fingerprint.
 */
public final class Claim {

	/**
	 * The four outcomes of a claim.
	 */
	public enum Status {

		/** The key was absent or expired and is now held by the caller. */
		CLAIMED,

		/** The key holds a result of a call with the same fingerprint, within its ttl. */
		COMPLETED,

		/** Another caller holds the key and its lease has not run out. */
		IN_PROGRESS,

		/** The key is held or completed for a request with another fingerprint. */
		FINGERPRINT_MISMATCH

	}

	private static final Claim IN_PROGRESS = new Claim(Status.IN_PROGRESS, null, null);

	private static final Claim FINGERPRINT_MISMATCH = new Claim(Status.FINGERPRINT_MISMATCH, null, null);

	private final Status status;

	private final String ownerToken;

	private final StoredResult result;

	private Claim(Status status, String ownerToken, StoredResult result) {
		this.status = status;
		this.ownerToken = ownerToken;
		this.result = result;
	}

	/**
	 * @param ownerToken the token that proves ownership to {@code complete} and
	 * {@code release}; unique per claim
	 * @return a successful claim
	 */
	public static Claim claimed(String ownerToken) {
		return new Claim(Status.CLAIMED, Objects.requireNonNull(ownerToken, "ownerToken"), null);
	}

	/**
	 * @param result the stored result of the completed call
	 * @return a claim that found a completed call
	 */
	public static Claim completed(StoredResult result) {
		return new Claim(Status.COMPLETED, null, Objects.requireNonNull(result, "result"));
	}

	/**
	 * @return a claim that found the key held by a live claim
	 */
	public static Claim inProgress() {
		return IN_PROGRESS;
	}

	/**
	 * @return a claim that found the key used with another fingerprint
	 */
	public static Claim fingerprintMismatch() {
		return FINGERPRINT_MISMATCH;
	}

	/**
	 * @return what the claim found
	 */
	public Status status() {
		return status;
	}

	/**
	 * @return the owner token
	 * @throws IllegalStateException unless the status is {@link Status#CLAIMED}
	 */
	public String ownerToken() {
		if (status != Status.CLAIMED) {
			throw new IllegalStateException("A claim with status " + status + " has no owner token");
		}
		return ownerToken;
	}

	/**
	 * @return the stored result
	 * @throws IllegalStateException unless the status is {@link Status#COMPLETED}
	 */
	public StoredResult result() {
		if (status != Status.COMPLETED) {
			throw new IllegalStateException("A claim with status " + status + " has no result");
		}
		return result;
	}

	@Override
	public String toString() {
		return "Claim[" + status + "]";
	}

}

package dev.resilience.core.idempotency;

import java.time.Duration;
import java.util.Optional;

/**
 * Where idempotency keys live. A key is absent, in progress (held by one owner until its
 * lease runs out) or completed (holding a result until its ttl runs out); an expired key
 * counts as absent. Every method is atomic with respect to the others on the same key,
 * across every process that shares the store: of concurrent claims of a free key exactly
 * one gets {@link Claim.Status#CLAIMED}.
 * <p>
 * Implementations throw {@link IdempotencyStoreException} when the store cannot be
 * reached or fails; the caller then does not run the call.
 */
public interface IdempotencyStore {

	/**
	 * Claims a key: an absent or expired key (a completed result past its ttl, or a claim
	 * whose lease ran out because its owner died) becomes in progress, owned by the caller
	 * under a new token, with the given fingerprint and lease. A live key is left alone and
	 * reported: completed with the same fingerprint, in progress with the same fingerprint,
	 * or fingerprint mismatch.
	 * @param key the scoped key
	 * @param fingerprint identifies the request; a store may keep a digest of it
	 * @param lease how long the claim holds unless completed or released
	 * @return what the claim found
	 */
	Claim claim(IdempotencyKey key, String fingerprint, Duration lease);

	/**
	 * Stores the result of the call that holds the key, to be replayed until {@code ttl}
	 * runs out. Does nothing when the owner token no longer holds the key (its lease ran
	 * out and another caller took it over).
	 * @param key the scoped key
	 * @param ownerToken the token of the claim
	 * @param result what to replay
	 * @param ttl how long to keep it, from now
	 * @return whether the result was stored
	 */
	boolean complete(IdempotencyKey key, String ownerToken, StoredResult result, Duration ttl);

	/**
	 * Frees a key whose call failed, so that the next try runs again. Does nothing when
	 * the owner token no longer holds the key.
	 * @param key the scoped key
	 * @param ownerToken the token of the claim
	 * @return whether the key was freed
	 */
	boolean release(IdempotencyKey key, String ownerToken);

	/**
	 * @param key the scoped key
	 * @return the completed result of the key, if it has one within its ttl, whatever its
	 * fingerprint
	 */
	Optional<StoredResult> find(IdempotencyKey key);

}

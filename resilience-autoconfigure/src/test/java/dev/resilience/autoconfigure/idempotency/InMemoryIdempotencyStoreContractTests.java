package dev.resilience.autoconfigure.idempotency;

import java.time.Duration;

import dev.resilience.core.idempotency.Claim;
import dev.resilience.core.idempotency.IdempotencyKey;
import dev.resilience.core.idempotency.IdempotencyStore;
import dev.resilience.core.idempotency.InMemoryIdempotencyStore;
import dev.resilience.core.time.ManualTicker;

/**
 * The in-memory store against the contract every store meets. Its "unreachable" form is a
 * store full of live keys, the one way it refuses a claim.
 */
class InMemoryIdempotencyStoreContractTests extends IdempotencyStoreContractTests {

	private final ManualTicker ticker = ManualTicker.create();

	private final InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create(1000, ticker);

	@Override
	IdempotencyStore store() {
		return store;
	}

	@Override
	void advanceTime(Duration duration) {
		ticker.advance(duration);
	}

	@Override
	IdempotencyStore unreachableStore() {
		InMemoryIdempotencyStore full = InMemoryIdempotencyStore.create(1, ticker);
		Claim claim = full.claim(IdempotencyKey.of("other", null, "k"), "fp", LEASE);
		if (claim.status() != Claim.Status.CLAIMED) {
			throw new IllegalStateException("expected to fill the store");
		}
		return full;
	}

}

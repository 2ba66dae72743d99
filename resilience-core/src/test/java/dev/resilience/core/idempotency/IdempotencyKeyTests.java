package dev.resilience.core.idempotency;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyKeyTests {

	@Test
	void treatsAMissingPrincipalAsAnonymous() {
		IdempotencyKey withNull = IdempotencyKey.of("orders", null, "k1");
		IdempotencyKey withEmpty = IdempotencyKey.of("orders", "", "k1");

		assertThat(withNull).isEqualTo(withEmpty).hasSameHashCodeAs(withEmpty);
		assertThat(withNull.storageId()).isEqualTo(withEmpty.storageId());
		assertThat(withNull.principal()).isEmpty();
	}

	@Test
	void givesDifferentStorageIdsToKeysThatWouldConcatenateAlike() {
		IdempotencyKey a = IdempotencyKey.of("a:b", "c", "d");
		IdempotencyKey b = IdempotencyKey.of("a", "b:c", "d");
		IdempotencyKey c = IdempotencyKey.of("a", "b", "c:d");

		assertThat(a.storageId()).isNotEqualTo(b.storageId()).isNotEqualTo(c.storageId());
		assertThat(b.storageId()).isNotEqualTo(c.storageId());
		assertThat(a).isNotEqualTo(b);
	}

	@Test
	void hasAStableHexStorageId() {
		IdempotencyKey key = IdempotencyKey.of("orders", "alice", "k1");

		assertThat(key.storageId()).hasSize(64).matches("[0-9a-f]+").isEqualTo(key.storageId());
		assertThat(key.storageId()).isEqualTo(IdempotencyKey.of("orders", "alice", "k1").storageId());
		assertThat(key).hasToString("orders/alice/k1");
	}

	@Test
	void digestsLikeSha256() {
		assertThat(Fingerprints.sha256Hex("abc"))
			.isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	}

}

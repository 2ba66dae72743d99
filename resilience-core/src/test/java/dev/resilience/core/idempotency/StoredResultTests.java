package dev.resilience.core.idempotency;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoredResultTests {

	@Test
	void roundTripsBodyAndMetadataThroughBytes() {
		Map<String, String> metadata = new LinkedHashMap<>();
		metadata.put("status", "201");
		metadata.put("content-type", "application/json; charset=ü");
		StoredResult result = StoredResult.of("{\"id\":7}".getBytes(StandardCharsets.UTF_8), metadata);

		StoredResult read = StoredResult.fromBytes(result.toBytes());

		assertThat(read).isEqualTo(result).hasSameHashCodeAs(result);
		assertThat(read.metadata().keySet()).containsExactly("status", "content-type");
		assertThat(new String(read.body(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":7}");
	}

	@Test
	void roundTripsAnEmptyResult() {
		assertThat(StoredResult.fromBytes(StoredResult.empty().toBytes())).isEqualTo(StoredResult.empty());
	}

	@Test
	void copiesTheBodyInAndOut() {
		byte[] body = { 1, 2, 3 };
		StoredResult result = StoredResult.of(body);
		body[0] = 9;
		result.body()[1] = 9;

		assertThat(result.body()).containsExactly(1, 2, 3);
	}

	@Test
	void rejectsBytesInAnotherForm() {
		assertThatThrownBy(() -> StoredResult.fromBytes(new byte[] { 7, 0, 0, 0, 0 }))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("Unknown stored result format 7");
		byte[] valid = StoredResult.of(new byte[] { 1, 2, 3 }).toBytes();
		byte[] truncated = java.util.Arrays.copyOf(valid, valid.length - 1);
		assertThatThrownBy(() -> StoredResult.fromBytes(truncated)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("Corrupt");
		byte[] hugeCount = { 1, 0x7f, 0, 0, 0 };
		assertThatThrownBy(() -> StoredResult.fromBytes(hugeCount)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("Corrupt");
	}

	@Test
	void rejectsNullMetadataValues() {
		Map<String, String> metadata = new LinkedHashMap<>();
		metadata.put("status", null);

		assertThatThrownBy(() -> StoredResult.of(new byte[0], metadata)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("metadata value of status must not be null");
	}

}

package dev.resilience.core.idempotency;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Stores strings as UTF-8, and {@code null} as an empty body marked in the metadata. */
final class TextCodec implements ResultCodec<String> {

	static final TextCodec INSTANCE = new TextCodec();

	@Override
	public StoredResult encode(String result) {
		if (result == null) {
			return StoredResult.of(new byte[0], Map.of("null", "true"));
		}
		return StoredResult.of(result.getBytes(StandardCharsets.UTF_8), Map.of("type", "text/plain"));
	}

	@Override
	public String decode(StoredResult stored) {
		if (stored.metadata().containsKey("null")) {
			return null;
		}
		return new String(stored.body(), StandardCharsets.UTF_8);
	}

}

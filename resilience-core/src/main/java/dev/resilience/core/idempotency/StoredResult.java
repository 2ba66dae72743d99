package dev.resilience.core.idempotency;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.resilience.core.internal.Checks;

/**
 * A completed call's result as a store keeps it: the serialized body and a few string
 * attributes beside it (for a web response: status and content type). {@link #toBytes()}
 * and {@link #fromBytes(byte[])} give stores one binary form to persist.
 */
public final class StoredResult {

	/** Leads the binary form, so that a later layout can be told apart. */
	private static final byte FORMAT_VERSION = 1;

	private static final StoredResult EMPTY = new StoredResult(new byte[0], Map.of());

	private final byte[] body;

	private final Map<String, String> metadata;

	private StoredResult(byte[] body, Map<String, String> metadata) {
		this.body = body;
		this.metadata = metadata;
	}

	/**
	 * @param body the serialized result; copied
	 * @param metadata attributes kept with it; copied, order kept, no nulls
	 * @return the stored form
	 */
	public static StoredResult of(byte[] body, Map<String, String> metadata) {
		Checks.notNull("body", body);
		Checks.notNull("metadata", metadata);
		Map<String, String> copy = new LinkedHashMap<>();
		metadata.forEach((name, value) -> copy.put(Checks.notNull("metadata name", name),
				Checks.notNull("metadata value of " + name, value)));
		return new StoredResult(body.clone(), Collections.unmodifiableMap(copy));
	}

	/**
	 * @param body the serialized result; copied
	 * @return the stored form without attributes
	 */
	public static StoredResult of(byte[] body) {
		return new StoredResult(Checks.notNull("body", body).clone(), Map.of());
	}

	/**
	 * @return an empty body without attributes, for calls that return nothing
	 */
	public static StoredResult empty() {
		return EMPTY;
	}

	/**
	 * @return a copy of the serialized result
	 */
	public byte[] body() {
		return body.clone();
	}

	/**
	 * @return the attributes, in the order given; unmodifiable
	 */
	public Map<String, String> metadata() {
		return metadata;
	}

	/**
	 * @return the binary form: a version byte, the attribute count, each name and value
	 * length-prefixed in UTF-8, then the length-prefixed body
	 */
	public byte[] toBytes() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length + 16 + metadata.size() * 32);
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeByte(FORMAT_VERSION);
			out.writeInt(metadata.size());
			for (Map.Entry<String, String> entry : metadata.entrySet()) {
				writeChunk(out, entry.getKey().getBytes(StandardCharsets.UTF_8));
				writeChunk(out, entry.getValue().getBytes(StandardCharsets.UTF_8));
			}
			writeChunk(out, body);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Writing to memory cannot fail", ex);
		}
		return bytes.toByteArray();
	}

	/**
	 * @param bytes what {@link #toBytes()} produced
	 * @return the stored result
	 * @throws IllegalArgumentException when the bytes are not in that form
	 */
	public static StoredResult fromBytes(byte[] bytes) {
		Checks.notNull("bytes", bytes);
		try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
			byte version = in.readByte();
			if (version != FORMAT_VERSION) {
				throw new IllegalArgumentException("Unknown stored result format " + version);
			}
			int count = in.readInt();
			if (count < 0 || count > bytes.length) {
				throw new IllegalArgumentException("Corrupt stored result: " + count + " attributes");
			}
			Map<String, String> metadata = new LinkedHashMap<>();
			for (int i = 0; i < count; i++) {
				metadata.put(new String(readChunk(in, bytes.length), StandardCharsets.UTF_8),
						new String(readChunk(in, bytes.length), StandardCharsets.UTF_8));
			}
			byte[] body = readChunk(in, bytes.length);
			if (in.available() > 0) {
				throw new IllegalArgumentException("Corrupt stored result: " + in.available() + " trailing bytes");
			}
			return new StoredResult(body, Collections.unmodifiableMap(metadata));
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("Corrupt stored result: " + ex.getMessage(), ex);
		}
	}

	private static void writeChunk(DataOutputStream out, byte[] chunk) throws IOException {
		out.writeInt(chunk.length);
		out.write(chunk);
	}

	private static byte[] readChunk(DataInputStream in, int limit) throws IOException {
		int length = in.readInt();
		if (length < 0 || length > limit) {
			throw new IllegalArgumentException("Corrupt stored result: chunk of " + length + " bytes");
		}
		byte[] chunk = new byte[length];
		in.readFully(chunk);
		return chunk;
	}

	@Override
	public boolean equals(Object other) {
		return this == other || (other instanceof StoredResult that && Arrays.equals(body, that.body)
				&& metadata.equals(that.metadata));
	}

	@Override
	public int hashCode() {
		return 31 * Arrays.hashCode(body) + metadata.hashCode();
	}

	@Override
	public String toString() {
		return "StoredResult[" + body.length + " bytes, " + metadata + "]";
	}

}

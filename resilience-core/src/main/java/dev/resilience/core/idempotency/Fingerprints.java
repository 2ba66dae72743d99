package dev.resilience.core.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 digests in lower-case hex, for request fingerprints and for storage ids of
 * keys. Every Java runtime provides SHA-256, so its absence is treated as impossible.
 */
public final class Fingerprints {

	private static final HexFormat HEX = HexFormat.of();

	private Fingerprints() {
	}

	/**
	 * @param bytes what to digest
	 * @return 64 hex characters
	 */
	public static String sha256Hex(byte[] bytes) {
		try {
			return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java runtime", ex);
		}
	}

	/**
	 * @param text what to digest, as UTF-8
	 * @return 64 hex characters
	 */
	public static String sha256Hex(String text) {
		return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
	}

}

package dev.resilience.autoconfigure.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;

/**
 * A Lua script and its SHA-1, by which Redis caches it. {@link #eval} sends only the
 * SHA-1 ({@code EVALSHA}), and the script itself ({@code EVAL}) when the server answers
 * {@code NOSCRIPT}: on its first use on that server, or after a {@code SCRIPT FLUSH}.
 * Loaded only by the Redis stores, so Spring Data Redis need not be on the classpath
 * otherwise.
 */
public final class RedisScript {

	private final String source;

	private final byte[] sourceBytes;

	private final String sha1;

	private RedisScript(String source) {
		this.source = source;
		this.sourceBytes = source.getBytes(StandardCharsets.UTF_8);
		try {
			this.sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(this.sourceBytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is required of every Java runtime", ex);
		}
	}

	/**
	 * @param source the Lua script
	 * @return the script, with its SHA-1 computed once
	 */
	public static RedisScript of(String source) {
		if (source == null) {
			throw new IllegalArgumentException("source must not be null");
		}
		return new RedisScript(source);
	}

	/**
	 * @return the Lua script
	 */
	public String source() {
		return this.source;
	}

	/**
	 * @return the script's SHA-1 in lower-case hex, by which {@code EVALSHA} names it
	 */
	public String sha1() {
		return this.sha1;
	}

	/**
	 * Runs the script on the connection.
	 * @param <T> the reply's type, as {@code returnType} makes it
	 * @param connection the connection to run it on
	 * @param returnType how to read the script's reply
	 * @param keys how many of {@code keysAndArgs} are keys (they come first)
	 * @param keysAndArgs the keys, then the arguments
	 * @return the script's reply
	 */
	public <T> T eval(RedisConnection connection, ReturnType returnType, int keys, byte[]... keysAndArgs) {
		try {
			return connection.scriptingCommands().evalSha(this.sha1, returnType, keys, keysAndArgs);
		}
		catch (RuntimeException ex) {
			if (!isNoScript(ex)) {
				throw ex;
			}
			// First use on this server (or after SCRIPT FLUSH): send the script itself.
			return connection.scriptingCommands().eval(this.sourceBytes, returnType, keys, keysAndArgs);
		}
	}

	private static boolean isNoScript(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause.getMessage() != null && cause.getMessage().contains("NOSCRIPT")) {
				return true;
			}
		}
		return false;
	}

	@Override
	public String toString() {
		return "RedisScript[" + this.sha1 + "]";
	}

}

package dev.resilience.autoconfigure.idempotency;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;

import dev.resilience.autoconfigure.internal.RedisScript;
import dev.resilience.core.idempotency.Claim;
import dev.resilience.core.idempotency.Fingerprints;
import dev.resilience.core.idempotency.IdempotencyKey;
import dev.resilience.core.idempotency.IdempotencyStore;
import dev.resilience.core.idempotency.IdempotencyStoreException;
import dev.resilience.core.idempotency.StoredResult;

/**
 * Keeps idempotency keys in Redis, shared by every application instance. One hash per key
 * under {@code prefix + storageId}: state ({@code P} in progress, {@code C} completed),
 * owner token, a digest of the fingerprint, the expiry in epoch milliseconds, and the
 * result. Every operation is one Lua script, which Redis runs atomically, so concurrent
 * claims of a key are decided by Redis alone. Each hash also carries a Redis expiry equal
 * to its lease or ttl, so that dead keys vanish without housekeeping.
 * <p>
 * Time is the Redis server's clock ({@code TIME}) by default: every instance then
 * compares leases against one clock. A {@link Clock} can be given instead, for tests;
 * every instance sharing the keys must then keep its clock in sync.
 */
public final class RedisIdempotencyStore implements IdempotencyStore {

	/** The key prefix used unless another is given. */
	public static final String DEFAULT_KEY_PREFIX = "resilience:idempotency:";

	/**
	 * Reads the clock: ARGV's reading when given, else the server's. Older servers
	 * replicate a script that read TIME only as effects, which the first line asks for.
	 */
	private static final String NOW = "if redis.replicate_commands then redis.replicate_commands() end\n"
			+ "local now = tonumber(ARGV[4])\n"
			+ "if not now then local t = redis.call('TIME')"
			+ " now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) end\n";

	/** ARGV: owner token, fingerprint digest, lease millis, [now]. Returns {K} | {P} | {M} | {C, result}. */
	private static final RedisScript CLAIM = RedisScript.of(NOW
			+ "local entry = redis.call('HMGET', KEYS[1], 's', 'f', 'e', 'r')\n"
			+ "if entry[1] and tonumber(entry[3]) > now then\n"
			+ "  if entry[2] ~= ARGV[2] then return {'M'} end\n"
			+ "  if entry[1] == 'C' then return {'C', entry[4]} end\n"
			+ "  return {'P'}\n"
			+ "end\n"
			+ "local lease = tonumber(ARGV[3])\n"
			+ "redis.call('DEL', KEYS[1])\n"
			+ "redis.call('HSET', KEYS[1], 's', 'P', 'o', ARGV[1], 'f', ARGV[2],"
			+ " 'e', string.format('%.0f', now + lease))\n"
			+ "redis.call('PEXPIRE', KEYS[1], lease)\n"
			+ "return {'K'}\n");

	/** ARGV: owner token, result, ttl millis, [now]. Returns 1 when stored. */
	private static final RedisScript COMPLETE = RedisScript.of(NOW
			+ "local entry = redis.call('HMGET', KEYS[1], 's', 'o')\n"
			+ "if entry[1] ~= 'P' or entry[2] ~= ARGV[1] then return 0 end\n"
			+ "local ttl = tonumber(ARGV[3])\n"
			+ "redis.call('HSET', KEYS[1], 's', 'C', 'r', ARGV[2], 'e', string.format('%.0f', now + ttl))\n"
			+ "redis.call('HDEL', KEYS[1], 'o')\n"
			+ "redis.call('PEXPIRE', KEYS[1], ttl)\n"
			+ "return 1\n");

	/** ARGV: owner token, -, -, -. Returns 1 when released. */
	private static final RedisScript RELEASE = RedisScript.of(
			"local entry = redis.call('HMGET', KEYS[1], 's', 'o')\n"
			+ "if entry[1] ~= 'P' or entry[2] ~= ARGV[1] then return 0 end\n"
			+ "redis.call('DEL', KEYS[1])\n"
			+ "return 1\n");

	/** ARGV: -, -, -, [now]. Returns {result} or {}. */
	private static final RedisScript FIND = RedisScript.of(NOW
			+ "local entry = redis.call('HMGET', KEYS[1], 's', 'e', 'r')\n"
			+ "if entry[1] == 'C' and tonumber(entry[2]) > now then return {entry[3]} end\n"
			+ "return {}\n");

	private static final byte[] NONE = new byte[0];

	private final RedisConnectionFactory connectionFactory;

	private final String keyPrefix;

	private final Clock clock;

	private RedisIdempotencyStore(Builder builder) {
		this.connectionFactory = builder.connectionFactory;
		this.keyPrefix = builder.keyPrefix;
		this.clock = builder.clock;
	}

	/**
	 * @param connectionFactory how to reach Redis
	 * @return a store under the default key prefix, on the server's clock
	 */
	public static RedisIdempotencyStore create(RedisConnectionFactory connectionFactory) {
		return builder(connectionFactory).build();
	}

	/**
	 * @param connectionFactory how to reach Redis
	 * @return a builder
	 */
	public static Builder builder(RedisConnectionFactory connectionFactory) {
		return new Builder(connectionFactory);
	}

	/**
	 * @return the prefix of every key this store writes
	 */
	public String keyPrefix() {
		return keyPrefix;
	}

	@Override
	public Claim claim(IdempotencyKey key, String fingerprint, Duration lease) {
		String token = UUID.randomUUID().toString();
		List<byte[]> reply = run("claim", key, CLAIM, utf8(token), utf8(Fingerprints.sha256Hex(fingerprint)),
				utf8(Long.toString(StoreDurations.millis(lease))));
		String outcome = new String(reply.get(0), StandardCharsets.UTF_8);
		switch (outcome) {
			case "K":
				return Claim.claimed(token);
			case "P":
				return Claim.inProgress();
			case "M":
				return Claim.fingerprintMismatch();
			case "C":
				return Claim.completed(decode(reply.get(1)));
			default:
				throw new IdempotencyStoreException("Unexpected answer of the claim script: " + outcome);
		}
	}

	@Override
	public boolean complete(IdempotencyKey key, String ownerToken, StoredResult result, Duration ttl) {
		Long stored = run("complete", key, COMPLETE, ReturnType.INTEGER, utf8(ownerToken), result.toBytes(),
				utf8(Long.toString(StoreDurations.millis(ttl))));
		return stored != null && stored == 1L;
	}

	@Override
	public boolean release(IdempotencyKey key, String ownerToken) {
		Long released = run("release", key, RELEASE, ReturnType.INTEGER, utf8(ownerToken), NONE, NONE);
		return released != null && released == 1L;
	}

	@Override
	public Optional<StoredResult> find(IdempotencyKey key) {
		List<byte[]> reply = run("read", key, FIND, NONE, NONE, NONE);
		return reply.isEmpty() ? Optional.empty() : Optional.of(decode(reply.get(0)));
	}

	private List<byte[]> run(String operation, IdempotencyKey key, RedisScript script, byte[] first, byte[] second,
			byte[] third) {
		List<byte[]> reply = run(operation, key, script, ReturnType.MULTI, first, second, third);
		if (reply == null) {
			throw new IdempotencyStoreException("The Redis idempotency store got no answer to " + operation);
		}
		return reply;
	}

	/**
	 * Runs a script with KEYS[1] = the key, ARGV[1..3] = the arguments and ARGV[4] = the
	 * clock's reading, empty for the server's clock.
	 */
	private <T> T run(String operation, IdempotencyKey key, RedisScript script, ReturnType returnType, byte[] first,
			byte[] second, byte[] third) {
		byte[][] keysAndArgs = { utf8(keyPrefix + key.storageId()), first, second, third,
				(clock != null) ? utf8(Long.toString(clock.millis())) : NONE };
		try (RedisConnection connection = connectionFactory.getConnection()) {
			return script.eval(connection, returnType, 1, keysAndArgs);
		}
		catch (RuntimeException ex) {
			if (ex instanceof IdempotencyStoreException storeException) {
				throw storeException;
			}
			throw new IdempotencyStoreException("The Redis idempotency store failed to " + operation + " key " + key
					+ ": " + ex.getMessage(), ex);
		}
	}

	private static StoredResult decode(byte[] bytes) {
		try {
			return StoredResult.fromBytes(bytes);
		}
		catch (IllegalArgumentException ex) {
			throw new IdempotencyStoreException("A stored idempotency result is corrupt: " + ex.getMessage(), ex);
		}
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return "RedisIdempotencyStore[" + keyPrefix + "]";
	}

	/**
	 * Builds a {@link RedisIdempotencyStore}.
	 */
	public static final class Builder {

		private final RedisConnectionFactory connectionFactory;

		private String keyPrefix = DEFAULT_KEY_PREFIX;

		private Clock clock;

		private Builder(RedisConnectionFactory connectionFactory) {
			if (connectionFactory == null) {
				throw new IllegalArgumentException("connectionFactory must not be null");
			}
			this.connectionFactory = connectionFactory;
		}

		/**
		 * @param keyPrefix the prefix of every key the store writes
		 * @return this builder
		 */
		public Builder keyPrefix(String keyPrefix) {
			if (keyPrefix == null) {
				throw new IllegalArgumentException("keyPrefix must not be null");
			}
			this.keyPrefix = keyPrefix;
			return this;
		}

		/**
		 * @param clock the clock to compare leases and ttls against instead of the
		 * server's; every instance sharing the keys must then keep its clock in sync
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = clock;
			return this;
		}

		/**
		 * @return the store; it touches Redis only when first used
		 */
		public RedisIdempotencyStore build() {
			return new RedisIdempotencyStore(this);
		}

	}

}

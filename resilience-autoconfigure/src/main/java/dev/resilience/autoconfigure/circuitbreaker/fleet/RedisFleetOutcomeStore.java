package dev.resilience.autoconfigure.circuitbreaker.fleet;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;

import dev.resilience.autoconfigure.internal.RedisScript;
import dev.resilience.core.circuitbreaker.fleet.FleetOutcomeStore;
import dev.resilience.core.circuitbreaker.fleet.FleetStoreException;
import dev.resilience.core.circuitbreaker.fleet.OutcomeCounts;

/**
 * Adds up the fleet's circuit breaker outcomes in Redis. One hash per bucket, with the
 * fields {@code calls}, {@code failed}, {@code slow}, {@code probes}, {@code failedProbes}
 * and {@code slowProbes}, under
 * {@code <prefix>{<breakerName>}:<bucketMillis>:<bucket>}: the braces keep a breaker's
 * keys in one cluster slot, which the script needs.
 * <p>
 * An exchange is one Lua script, which Redis runs atomically: it adds to each bucket it
 * has something for with {@code HINCRBY}, and reads the requested buckets with
 * {@code HMGET}. An addition sets the bucket's expiry to
 * {@code (buckets + 2) x bucketMillis}, unless it already has a longer one, so a bucket
 * lives as long as the longest exchange that added to it can read it, and then vanishes
 * without housekeeping. An exchange that adds nothing writes nothing.
 */
public final class RedisFleetOutcomeStore implements FleetOutcomeStore {

	/** The key prefix used unless another is given. */
	public static final String DEFAULT_KEY_PREFIX = "resilience:fleet:";

	/** The hash fields of a bucket, in the order the script adds and returns them. */
	private static final int FIELDS = 6;

	/**
	 * KEYS = the buckets to read, oldest first, the last one the current bucket; ARGV[1] =
	 * the time to live of an added bucket in milliseconds, then the six counts (calls,
	 * failed, slow, probes, failedProbes, slowProbes) to add to each bucket in KEYS order.
	 * Returns the six counts of every bucket in KEYS order, nil where a bucket or field is
	 * missing.
	 */
	private static final RedisScript EXCHANGE = RedisScript.of("""
			local fields = {'calls', 'failed', 'slow', 'probes', 'failedProbes', 'slowProbes'}
			for i = 1, #KEYS do
			  local base = 6 * (i - 1) + 1
			  if tonumber(ARGV[base + 1]) > 0 or tonumber(ARGV[base + 4]) > 0 then
			    for f = 1, 6 do
			      local count = tonumber(ARGV[base + f])
			      if count > 0 then
			        redis.call('HINCRBY', KEYS[i], fields[f], count)
			      end
			    end
			    if redis.call('PTTL', KEYS[i]) < tonumber(ARGV[1]) then
			      redis.call('PEXPIRE', KEYS[i], ARGV[1])
			    end
			  end
			end
			local counts = {}
			for i = 1, #KEYS do
			  local values = redis.call('HMGET', KEYS[i], unpack(fields))
			  for f = 1, 6 do
			    counts[#counts + 1] = values[f]
			  end
			end
			return counts
			""");

	private final RedisConnectionFactory connectionFactory;

	private final String keyPrefix;

	private RedisFleetOutcomeStore(RedisConnectionFactory connectionFactory, String keyPrefix) {
		this.connectionFactory = connectionFactory;
		this.keyPrefix = keyPrefix;
	}

	/**
	 * @param connectionFactory how to reach Redis
	 * @return a store under the default key prefix
	 */
	public static RedisFleetOutcomeStore create(RedisConnectionFactory connectionFactory) {
		return create(connectionFactory, DEFAULT_KEY_PREFIX);
	}

	/**
	 * @param connectionFactory how to reach Redis
	 * @param keyPrefix the start of every key
	 * @return a store under that prefix
	 */
	public static RedisFleetOutcomeStore create(RedisConnectionFactory connectionFactory, String keyPrefix) {
		Objects.requireNonNull(connectionFactory, "connectionFactory must not be null");
		Objects.requireNonNull(keyPrefix, "keyPrefix must not be null");
		return new RedisFleetOutcomeStore(connectionFactory, keyPrefix);
	}

	/**
	 * @return the start of every key
	 */
	public String keyPrefix() {
		return this.keyPrefix;
	}

	@Override
	public List<OutcomeCounts> exchange(String breakerName, long bucketMillis, long bucket, List<OutcomeCounts> added,
			int buckets) {
		FleetOutcomeStore.checkExchange(breakerName, bucketMillis, added, buckets);
		byte[][] keysAndArgs = new byte[(FIELDS + 1) * buckets + 1][];
		keysAndArgs[buckets] = utf8(Long.toString(BucketRetention.millis(bucketMillis, buckets)));
		for (int i = 0; i < buckets; i++) {
			keysAndArgs[i] = utf8(bucketKey(breakerName, bucketMillis, bucket - buckets + 1 + i));
			OutcomeCounts counts = added.get(i);
			long[] values = { counts.calls(), counts.failedCalls(), counts.slowCalls(), counts.probes(),
					counts.failedProbes(), counts.slowProbes() };
			for (int f = 0; f < FIELDS; f++) {
				keysAndArgs[buckets + 1 + FIELDS * i + f] = utf8(Long.toString(values[f]));
			}
		}
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			return counts(EXCHANGE.eval(connection, ReturnType.MULTI, buckets, keysAndArgs), buckets);
		}
		catch (RuntimeException ex) {
			throw new FleetStoreException("The Redis fleet outcome store failed to exchange the outcomes of breaker '"
					+ breakerName + "': " + ex.getMessage(), ex);
		}
	}

	private static List<OutcomeCounts> counts(List<Object> reply, int buckets) {
		if (reply == null || reply.size() != FIELDS * buckets) {
			throw new IllegalStateException("the script answered " + ((reply != null) ? reply.size() : "no")
					+ " values for " + buckets + " buckets");
		}
		List<OutcomeCounts> counts = new ArrayList<>(buckets);
		for (int i = 0; i < reply.size(); i += FIELDS) {
			OutcomeCounts bucket = new OutcomeCounts(number(reply.get(i)), number(reply.get(i + 1)),
					number(reply.get(i + 2)), number(reply.get(i + 3)), number(reply.get(i + 4)),
					number(reply.get(i + 5)));
			counts.add(bucket.isEmpty() ? OutcomeCounts.EMPTY : bucket);
		}
		return counts;
	}

	private static long number(Object value) {
		if (value == null) {
			return 0;
		}
		if (value instanceof byte[] bytes) {
			return Long.parseLong(new String(bytes, StandardCharsets.US_ASCII));
		}
		return ((Number) value).longValue();
	}

	private String bucketKey(String breakerName, long bucketMillis, long bucket) {
		return this.keyPrefix + "{" + breakerName + "}:" + bucketMillis + ":" + bucket;
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return "RedisFleetOutcomeStore[" + this.keyPrefix + "]";
	}

}

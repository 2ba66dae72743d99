package dev.resilience.autoconfigure.slo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;

import dev.resilience.autoconfigure.internal.RedisScript;
import dev.resilience.core.slo.BucketCount;
import dev.resilience.core.slo.BucketSeries;
import dev.resilience.core.slo.BucketSnapshot;

/**
 * Keeps error-budget buckets in Redis, shared by the application's instances. Per
 * objective, instance and bucket size, a sorted set holds one member
 * {@code start:events:bad} per bucket, scored by the bucket's start; an index sorted set
 * per objective lists {@code instanceId|bucketMillis} scored by when its set expires.
 * Keys are {@code <prefix>{<objective>}:...}: the braces keep an objective's keys in one
 * cluster slot.
 * <p>
 * A save is one Lua script per bucket size, so the replacement of a bucket's member, the
 * removal of buckets past their retention and the expiry updates are atomic. An
 * instance's sets expire on their own once it stops writing (it shut down, or the
 * process died), after the longest time a window can read them.
 */
public final class RedisErrorBudgetStore implements ErrorBudgetStore {

	/** The key prefix used unless another is given. */
	public static final String DEFAULT_KEY_PREFIX = "resilience:slo:";

	/**
	 * KEYS[1] = the series set, KEYS[2] = the index; ARGV[1] = the index member, ARGV[2] =
	 * the oldest start kept, ARGV[3] = the sets' time to live in milliseconds, ARGV[4] =
	 * the index score (when the series set expires), then start, events, bad per bucket.
	 */
	private static final RedisScript SAVE = RedisScript.of("""
			for i = 5, #ARGV, 3 do
			  redis.call('ZREMRANGEBYSCORE', KEYS[1], ARGV[i], ARGV[i])
			  redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i] .. ':' .. ARGV[i + 1] .. ':' .. ARGV[i + 2])
			end
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2])
			redis.call('PEXPIRE', KEYS[1], ARGV[3])
			redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
			local ttl = redis.call('PTTL', KEYS[2])
			if ttl < tonumber(ARGV[3]) then
			  redis.call('PEXPIRE', KEYS[2], ARGV[3])
			end
			return 1
			""");

	private final RedisConnectionFactory connectionFactory;

	private final String keyPrefix;

	private RedisErrorBudgetStore(RedisConnectionFactory connectionFactory, String keyPrefix) {
		this.connectionFactory = connectionFactory;
		this.keyPrefix = keyPrefix;
	}

	/**
	 * @param connectionFactory how to reach Redis
	 * @return a store under the default key prefix
	 */
	public static RedisErrorBudgetStore create(RedisConnectionFactory connectionFactory) {
		return create(connectionFactory, DEFAULT_KEY_PREFIX);
	}

	/**
	 * @param connectionFactory how to reach Redis
	 * @param keyPrefix the start of every key
	 * @return a store under that prefix
	 */
	public static RedisErrorBudgetStore create(RedisConnectionFactory connectionFactory, String keyPrefix) {
		Objects.requireNonNull(connectionFactory, "connectionFactory must not be null");
		Objects.requireNonNull(keyPrefix, "keyPrefix must not be null");
		return new RedisErrorBudgetStore(connectionFactory, keyPrefix);
	}

	/**
	 * @return the start of every key
	 */
	public String keyPrefix() {
		return this.keyPrefix;
	}

	@Override
	public void save(String sloName, String instanceId, BucketSnapshot buckets, Duration sloWindow, Instant now) {
		long nowMillis = now.toEpochMilli();
		withConnection("save the buckets of " + sloName, (connection) -> {
			for (BucketSeries series : buckets.series()) {
				if (series.buckets().isEmpty()) {
					continue;
				}
				long retention = ErrorBudgetStore.retention(series.bucketSize(), sloWindow).toMillis();
				long newestEnd = series.buckets().get(series.buckets().size() - 1).startEpochMillis()
						+ series.bucketMillis();
				// A bucket is kept while a window can read it: until its end plus the retention.
				long oldestKept = nowMillis - retention - series.bucketMillis();
				long timeToLive = Math.max(1, Math.max(newestEnd, nowMillis) + retention - nowMillis);
				List<byte[]> keysAndArgs = new ArrayList<>(6 + 3 * series.buckets().size());
				keysAndArgs.add(utf8(seriesKey(sloName, instanceId, series.bucketMillis())));
				keysAndArgs.add(utf8(indexKey(sloName)));
				keysAndArgs.add(utf8(instanceId + "|" + series.bucketMillis()));
				keysAndArgs.add(utf8(Long.toString(oldestKept)));
				keysAndArgs.add(utf8(Long.toString(timeToLive)));
				keysAndArgs.add(utf8(Long.toString(nowMillis + timeToLive)));
				for (BucketCount bucket : series.buckets()) {
					keysAndArgs.add(utf8(Long.toString(bucket.startEpochMillis())));
					keysAndArgs.add(utf8(Long.toString(bucket.events())));
					keysAndArgs.add(utf8(Long.toString(bucket.badEvents())));
				}
				SAVE.eval(connection, ReturnType.INTEGER, 2, keysAndArgs.toArray(new byte[0][]));
			}
			return null;
		});
	}

	@Override
	public BucketSnapshot load(String sloName, String excludedInstanceId, Instant now) {
		return withConnection("load the buckets of " + sloName, (connection) -> {
			Set<byte[]> members = connection.zSetCommands()
				.zRangeByScore(utf8(indexKey(sloName)), (double) now.toEpochMilli(), Double.POSITIVE_INFINITY);
			List<BucketSnapshot> snapshots = new ArrayList<>();
			if (members == null) {
				return BucketSnapshot.empty();
			}
			for (byte[] member : members) {
				String text = new String(member, StandardCharsets.UTF_8);
				int bar = text.lastIndexOf('|');
				String instanceId = text.substring(0, bar);
				if (instanceId.equals(excludedInstanceId)) {
					continue;
				}
				long bucketMillis = Long.parseLong(text.substring(bar + 1));
				Set<byte[]> buckets = connection.zSetCommands()
					.zRange(utf8(seriesKey(sloName, instanceId, bucketMillis)), 0, -1);
				if (buckets == null || buckets.isEmpty()) {
					continue;
				}
				List<BucketCount> counts = new ArrayList<>(buckets.size());
				for (byte[] bucket : buckets) {
					String[] fields = new String(bucket, StandardCharsets.UTF_8).split(":");
					counts.add(new BucketCount(Long.parseLong(fields[0]), Long.parseLong(fields[1]),
							Long.parseLong(fields[2])));
				}
				snapshots.add(new BucketSnapshot(List.of(new BucketSeries(Duration.ofMillis(bucketMillis), counts))));
			}
			return BucketSnapshot.merge(snapshots);
		});
	}

	/**
	 * Removes the index entries of sets that have expired; the sets themselves expire on
	 * their own, and each save trims its set.
	 */
	@Override
	public void deleteExpired(String sloName, Instant now) {
		withConnection("delete the expired buckets of " + sloName, (connection) -> connection.zSetCommands()
			.zRemRangeByScore(utf8(indexKey(sloName)), Double.NEGATIVE_INFINITY, (double) now.toEpochMilli()));
	}

	private String indexKey(String sloName) {
		return this.keyPrefix + "{" + sloName + "}:index";
	}

	private String seriesKey(String sloName, String instanceId, long bucketMillis) {
		return this.keyPrefix + "{" + sloName + "}:" + instanceId + ":" + bucketMillis;
	}

	private <T> T withConnection(String operation, Function<RedisConnection, T> work) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			return work.apply(connection);
		}
		catch (RuntimeException ex) {
			throw new ErrorBudgetStoreException(
					"The Redis error budget store failed to " + operation + ": " + ex.getMessage(), ex);
		}
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return "RedisErrorBudgetStore[" + this.keyPrefix + "]";
	}

}

package dev.resilience.core.circuitbreaker.fleet;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link FleetOutcomeStore} in this JVM: it shares outcomes between the
 * {@link CircuitBreakerFleet}s of one process (or of the simulated processes of a test),
 * not across a fleet of JVMs. Buckets older than the longest read so far are dropped.
 */
public final class InMemoryFleetOutcomeStore implements FleetOutcomeStore {

	private final ConcurrentMap<Key, Series> series = new ConcurrentHashMap<>();

	@Override
	public List<OutcomeCounts> exchange(String breakerName, long bucketMillis, long bucket, List<OutcomeCounts> added,
			int buckets) {
		FleetOutcomeStore.checkExchange(breakerName, bucketMillis, added, buckets);
		return series.computeIfAbsent(new Key(breakerName, bucketMillis), (key) -> new Series())
			.exchange(bucket, added, buckets);
	}

	private record Key(String breakerName, long bucketMillis) {
	}

	private static final class Series {

		private final TreeMap<Long, OutcomeCounts> buckets = new TreeMap<>();

		private int longestRead;

		synchronized List<OutcomeCounts> exchange(long bucket, List<OutcomeCounts> added, int count) {
			for (int i = 0; i < count; i++) {
				OutcomeCounts counts = added.get(i);
				if (!counts.isEmpty()) {
					buckets.merge(bucket - count + 1 + i, counts, OutcomeCounts::plus);
				}
			}
			longestRead = Math.max(longestRead, count);
			Iterator<Map.Entry<Long, OutcomeCounts>> old = buckets.headMap(bucket - longestRead, true)
				.entrySet()
				.iterator();
			while (old.hasNext()) {
				old.next();
				old.remove();
			}
			List<OutcomeCounts> read = new ArrayList<>(count);
			for (long index = bucket - count + 1; index <= bucket; index++) {
				read.add(buckets.getOrDefault(index, OutcomeCounts.EMPTY));
			}
			return read;
		}

	}

}

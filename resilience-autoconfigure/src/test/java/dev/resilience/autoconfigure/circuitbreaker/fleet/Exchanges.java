package dev.resilience.autoconfigure.circuitbreaker.fleet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.resilience.core.circuitbreaker.fleet.FleetOutcomeStore;
import dev.resilience.core.circuitbreaker.fleet.OutcomeCounts;

/**
 * Exchanges that add to the current bucket only, as most tests need.
 */
final class Exchanges {

	private Exchanges() {
	}

	static List<OutcomeCounts> exchangeLatest(FleetOutcomeStore store, String breakerName, long bucketMillis,
			long bucket, OutcomeCounts added, int buckets) {
		List<OutcomeCounts> all = new ArrayList<>(Collections.nCopies(Math.max(buckets, 0), OutcomeCounts.EMPTY));
		if (buckets > 0) {
			all.set(buckets - 1, added);
		}
		return store.exchange(breakerName, bucketMillis, bucket, all, buckets);
	}

}

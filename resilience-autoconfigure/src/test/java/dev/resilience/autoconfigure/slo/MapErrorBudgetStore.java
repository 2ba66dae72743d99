package dev.resilience.autoconfigure.slo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.resilience.core.slo.BucketCount;
import dev.resilience.core.slo.BucketSeries;
import dev.resilience.core.slo.BucketSnapshot;

/**
 * An {@link ErrorBudgetStore} in a map, shared by the contexts of a test as a database
 * would be; it can be switched off to play an unreachable store.
 */
final class MapErrorBudgetStore implements ErrorBudgetStore {

	/** Rows by (objective, instance, bucket size, start). */
	private final Map<List<Object>, BucketCount> rows = new ConcurrentHashMap<>();

	final AtomicInteger saves = new AtomicInteger();

	volatile boolean unreachable;

	/** An objective whose writes throw an {@code Error}, as a broken driver would; null for none. */
	volatile String brokenFor;

	@Override
	public void save(String sloName, String instanceId, BucketSnapshot buckets, Duration sloWindow, Instant now) {
		check();
		if (sloName.equals(this.brokenFor)) {
			throw new NoClassDefFoundError("org/example/driver/Codec");
		}
		this.saves.incrementAndGet();
		for (BucketSeries series : buckets.series()) {
			for (BucketCount bucket : series.buckets()) {
				this.rows.put(List.of(sloName, instanceId, series.bucketMillis(), bucket.startEpochMillis()), bucket);
			}
		}
	}

	@Override
	public BucketSnapshot load(String sloName, String excludedInstanceId, Instant now) {
		check();
		List<BucketSnapshot> snapshots = new ArrayList<>();
		this.rows.forEach((key, bucket) -> {
			if (key.get(0).equals(sloName) && !key.get(1).equals(excludedInstanceId)) {
				snapshots.add(new BucketSnapshot(
						List.of(new BucketSeries(Duration.ofMillis((Long) key.get(2)), List.of(bucket)))));
			}
		});
		return BucketSnapshot.merge(snapshots);
	}

	@Override
	public void deleteExpired(String sloName, Instant now) {
		check();
	}

	/** @return the instance ids that wrote rows of an objective */
	List<Object> instances(String sloName) {
		return this.rows.keySet().stream().filter((key) -> key.get(0).equals(sloName)).map((key) -> key.get(1))
			.distinct().toList();
	}

	private void check() {
		if (this.unreachable) {
			throw new ErrorBudgetStoreException("store is down", null);
		}
	}

}

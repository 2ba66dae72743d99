package dev.resilience.core.slo;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

import dev.resilience.core.internal.Checks;
import dev.resilience.core.slo.internal.BucketLayout;
import dev.resilience.core.slo.internal.BucketRing;

/**
 * Counts the good and bad events of one service level objective and reports its burn
 * rates, budget, alerts and release policy ({@link ErrorBudgetReport}).
 * <h2>Counting</h2>
 * Every event is added to three rings of time buckets, one per resolution:
 * <table>
 * <caption>Resolutions</caption>
 * <tr><th>bucket</th><th>slots</th><th>windows read from it</th><th>worst error</th></tr>
 * <tr><td>10 s</td><td>360 (1 h)</td><td>5m, 30m, 1h</td><td>10 s</td></tr>
 * <tr><td>1 min</td><td>360 (6 h)</td><td>2h, 6h</td><td>1 min</td></tr>
 * <tr><td>1 h</td><td>SLO window in hours (72 to 2400)</td><td>1d, 3d, SLO window</td>
 * <td>1 h</td></tr>
 * </table>
 * A window is the newest {@code ceil(window / bucket)} buckets, the current, partly
 * elapsed one included, so it is at most one bucket short. Recording is O(1), lock-free
 * and allocation-free: per ring, a read and usually one atomic add ({@link BucketRing}).
 * Each slot takes 16 bytes, so the counts of an SLO take
 * {@code (720 + window in hours) * 16} bytes whatever the traffic: 22.5 KiB for 30 days,
 * 48.75 KiB for the longest window of 100 days.
 * <h2>Time</h2>
 * Buckets are keyed by wall-clock milliseconds since the epoch, read from an injected
 * {@link InstantSource}, and not by the monotonic {@code Ticker} used elsewhere: counts
 * are meant to be persisted and added up across instances and restarts, which needs every
 * process to cut buckets at the same instants, and a monotonic reading has an arbitrary
 * origin per process. The budget measures no durations itself (a caller passes a call's
 * duration, measured on its own ticker), so a wall-clock step only moves events between
 * buckets: after a step back an event lands in the earlier bucket its reading names, and
 * a step back further than a ring's span never wipes the later counts the ring holds
 * (see {@link BucketRing}).
 * <h2>Fleets</h2>
 * {@link #snapshot()} exports the counts for a shared store,
 * {@link BucketSnapshot#merge} adds up those of several instances and
 * {@link ErrorBudgetReport#compute} reports on the sum; {@link #addAll} loads counts back,
 * for instance after a restart.
 */
public final class ErrorBudget {

	private final String name;

	private final SloConfig config;

	private final InstantSource clock;

	private final ErrorBudgetListener listener;

	private final BucketLayout layout;

	private final BucketRing[] rings;

	/** A call slower than this is bad; {@code Long.MAX_VALUE} when there is no threshold. */
	private final long latencyThresholdNanos;

	private ErrorBudget(String name, SloConfig config, InstantSource clock, ErrorBudgetListener listener) {
		this.name = Checks.notNull("name", name);
		this.config = Checks.notNull("config", config);
		this.clock = Checks.notNull("clock", clock);
		this.listener = Checks.notNull("listener", listener);
		this.layout = BucketLayout.forWindow(config.window());
		this.rings = layout.newRings();
		this.latencyThresholdNanos = (config.latencyThreshold() != null) ? saturatedNanos(config) : Long.MAX_VALUE;
	}

	private static long saturatedNanos(SloConfig config) {
		try {
			return config.latencyThreshold().toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
	}

	/**
	 * @param name the SLO's name
	 * @param config its settings
	 * @return an error budget on the system clock, without listener
	 */
	public static ErrorBudget create(String name, SloConfig config) {
		return new ErrorBudget(name, config, InstantSource.system(), ErrorBudgetListener.NOOP);
	}

	/**
	 * @param name the SLO's name
	 * @param config its settings
	 * @param clock the wall clock that keys buckets; a {@link java.time.Clock} will do
	 * @param listener receives recorded events
	 * @return an error budget
	 */
	public static ErrorBudget create(String name, SloConfig config, InstantSource clock,
			ErrorBudgetListener listener) {
		return new ErrorBudget(name, config, clock, listener);
	}

	/**
	 * @return the SLO's name
	 */
	public String name() {
		return name;
	}

	/**
	 * @return its settings
	 */
	public SloConfig config() {
		return config;
	}

	/**
	 * Records one event.
	 * @param good whether it met the objective
	 */
	public void record(boolean good) {
		add(clock.millis(), !good, 1);
		notifyListener(good ? 1 : 0, good ? 0 : 1);
	}

	/**
	 * Records one call: it is bad when it failed or took longer than the latency
	 * threshold (a call taking exactly the threshold is good).
	 * @param durationNanos how long it took
	 * @param failed whether it failed
	 */
	public void recordCall(long durationNanos, boolean failed) {
		record(!failed && durationNanos <= latencyThresholdNanos);
	}

	/**
	 * Records events counted elsewhere, all at the current time.
	 * @param goodEvents how many events met the objective; not negative
	 * @param badEvents how many did not; not negative
	 */
	public void record(long goodEvents, long badEvents) {
		if (goodEvents < 0 || badEvents < 0 || goodEvents > BucketRing.MAX_COUNT
				|| badEvents > BucketRing.MAX_COUNT) {
			throw new IllegalArgumentException("goodEvents and badEvents must be in [0, " + BucketRing.MAX_COUNT
					+ "] but were " + goodEvents + " and " + badEvents);
		}
		if (goodEvents + badEvents == 0) {
			return;
		}
		long now = clock.millis();
		if (goodEvents > 0) {
			add(now, false, goodEvents);
		}
		if (badEvents > 0) {
			add(now, true, badEvents);
		}
		notifyListener(goodEvents, badEvents);
	}

	private void add(long epochMillis, boolean bad, long amount) {
		for (BucketRing ring : rings) {
			ring.add(epochMillis, bad, amount);
		}
	}

	private void notifyListener(long good, long bad) {
		try {
			listener.onRecorded(name, good, bad);
		}
		catch (RuntimeException ex) {
			// A faulty listener must not fail the call being recorded.
		}
	}

	/**
	 * @return the report as of now; reads every bucket, so meant for scrapes and
	 * endpoints rather than for every call
	 */
	public ErrorBudgetReport report() {
		long now = clock.millis();
		return ErrorBudgetReport.compute(config, layout, snapshot(now), now);
	}

	/**
	 * @return the non-empty buckets of every resolution as of now, for persistence
	 */
	public BucketSnapshot snapshot() {
		return snapshot(clock.millis());
	}

	private BucketSnapshot snapshot(long now) {
		List<BucketSeries> series = new ArrayList<>(rings.length);
		for (BucketRing ring : rings) {
			series.add(ring.export(now));
		}
		return new BucketSnapshot(series);
	}

	/**
	 * Adds counts to this budget's buckets, for instance those this instance flushed before
	 * a restart. Series of a bucket size this budget does not use, and buckets older than
	 * a resolution's span or later than now, are skipped.
	 * @param snapshot the counts to add
	 */
	public void addAll(BucketSnapshot snapshot) {
		long now = clock.millis();
		for (BucketRing ring : rings) {
			ring.addAll(snapshot.series(ring.bucketSize()), now);
		}
	}

	/** Memory taken by the counts, for the bound promised above. */
	long countingBytes() {
		return layout.countingBytes();
	}

}

package dev.resilience.autoconfigure.slo;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

import dev.resilience.autoconfigure.internal.DaemonSchedulers;
import dev.resilience.core.slo.BucketSnapshot;
import dev.resilience.core.slo.ErrorBudget;

/**
 * Shares this process's error budgets with the other instances of the application through
 * an {@link ErrorBudgetStore}: it writes the budgets' bucket counts every
 * {@code flushInterval} and when the application shuts down, and reads the fleet's counts
 * for reports.
 * <h2>Instances and restarts</h2>
 * Each process writes under an instance id of its own, the application's name and a
 * random UUID ({@code checkout:2f1c...}), so a restarted process never overwrites nor
 * re-counts what its predecessor wrote. The fleet's counts are the stored rows of every
 * other instance id, the predecessors' included, plus this process's live counts (fresher
 * than its own rows): after a restart the budget carries on from the rows written at
 * shutdown. Rows past their {@link ErrorBudgetStore#retention retention} are deleted
 * every ten minutes.
 * <h2>Lifecycle</h2>
 * Started after, and stopped before, the connection factories it writes through; stopped
 * after the web server, so that the last requests are in the final write.
 */
public final class ErrorBudgetFleet implements SmartLifecycle {

	/** After the web server stops (it stops at {@code DEFAULT_PHASE - 2048}), before the connection factories. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Log logger = LogFactory.getLog(ErrorBudgetFleet.class);

	private static final Duration CLEANUP_INTERVAL = Duration.ofMinutes(10);

	/**
	 * Rewrites buckets that ended this shortly before the previous write: an event whose
	 * clock was read before that write but counted after it lands in such a bucket.
	 */
	private static final Duration RECORDING_SLACK = Duration.ofSeconds(1);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private final ErrorBudgetRegistry registry;

	private final ErrorBudgetStore store;

	private final String instanceId;

	private final Duration flushInterval;

	/** One write at a time: a store may rely on being the only writer of its rows. */
	private final ReentrantLock flushLock = new ReentrantLock();

	/** Per budget, when its last successful write began; guarded by {@link #flushLock}. */
	private final Map<String, Instant> flushedAt = new HashMap<>();

	/** Per budget, when expired rows were last deleted; guarded by {@link #flushLock}. */
	private final Map<String, Instant> cleanedAt = new HashMap<>();

	/** Guarded by {@link #flushLock} too, so that a failure streak logs once. */
	private boolean failing;

	private volatile ScheduledExecutorService scheduler;

	private ErrorBudgetFleet(ErrorBudgetRegistry registry, ErrorBudgetStore store, String instanceId,
			Duration flushInterval) {
		this.registry = Objects.requireNonNull(registry, "registry must not be null");
		this.store = Objects.requireNonNull(store, "store must not be null");
		this.instanceId = Objects.requireNonNull(instanceId, "instanceId must not be null");
		if (flushInterval == null || flushInterval.isNegative() || flushInterval.isZero()) {
			throw new IllegalArgumentException("flushInterval must be > 0 but was " + flushInterval);
		}
		this.flushInterval = flushInterval;
	}

	/**
	 * @param registry the budgets to share
	 * @param store where to share them
	 * @param instanceId this process's id in the store, unique to the process
	 * @param flushInterval how often to write
	 * @return the fleet, not yet started
	 */
	public static ErrorBudgetFleet create(ErrorBudgetRegistry registry, ErrorBudgetStore store, String instanceId,
			Duration flushInterval) {
		return new ErrorBudgetFleet(registry, store, instanceId, flushInterval);
	}

	/**
	 * @param applicationName the application's name, to tell instances apart in the store
	 * @return a new id, the name and a random UUID
	 */
	public static String newInstanceId(String applicationName) {
		return applicationName + ":" + UUID.randomUUID();
	}

	/**
	 * @return this process's id in the store
	 */
	public String instanceId() {
		return this.instanceId;
	}

	/**
	 * @return where the budgets are shared
	 */
	public ErrorBudgetStore store() {
		return this.store;
	}

	/**
	 * The fleet's counts of one budget: every other instance's stored buckets plus this
	 * process's live ones.
	 * @param budget one of this process's budgets
	 * @param now the current time
	 * @return the sum
	 * @throws ErrorBudgetStoreException when the store cannot be read
	 */
	public BucketSnapshot fleetSnapshot(ErrorBudget budget, Instant now) {
		BucketSnapshot others = this.store.load(budget.name(), this.instanceId, now);
		return BucketSnapshot.merge(List.of(others, budget.snapshot()));
	}

	/**
	 * Writes the buckets of every budget that changed since its last write. A budget
	 * whose write fails is written in full next time; the others are not held up.
	 * @return whether every write succeeded
	 */
	public boolean flush() {
		this.flushLock.lock();
		try {
			boolean succeeded = true;
			for (ErrorBudget budget : this.registry.errorBudgets()) {
				succeeded &= flush(budget);
			}
			if (succeeded && this.failing) {
				logger.info("Error budgets are written to " + this.store + " again");
			}
			this.failing = !succeeded;
			return succeeded;
		}
		finally {
			this.flushLock.unlock();
		}
	}

	private boolean flush(ErrorBudget budget) {
		String name = budget.name();
		// Read before the snapshot: whatever is counted after it lands in a bucket ending later.
		Instant now = this.registry.clock().instant();
		BucketSnapshot snapshot = budget.snapshot();
		Instant previous = this.flushedAt.get(name);
		BucketSnapshot changed = (previous != null) ? snapshot.since(previous.minus(RECORDING_SLACK)) : snapshot;
		try {
			if (changed.series().stream().anyMatch((series) -> !series.buckets().isEmpty())) {
				this.store.save(name, this.instanceId, changed, budget.config().window(), now);
			}
			this.flushedAt.put(name, now);
			Instant cleaned = this.cleanedAt.get(name);
			if (cleaned == null || !now.isBefore(cleaned.plus(CLEANUP_INTERVAL))) {
				this.store.deleteExpired(name, now);
				this.cleanedAt.put(name, now);
			}
			return true;
		}
		catch (Throwable ex) {
			if (ex instanceof VirtualMachineError error) {
				throw error;
			}
			// Whatever else the store throws fails this budget's write only.
			if (!this.failing) {
				logger.warn("Could not write error budget '" + name + "' to " + this.store
						+ "; reports fall back to this instance's own counts until it can: " + ex.getMessage());
			}
			else if (logger.isDebugEnabled()) {
				logger.debug("Could not write error budget '" + name + "' to " + this.store, ex);
			}
			return false;
		}
	}

	@Override
	public void start() {
		// flush() logs the store's failures itself; anything else it throws is logged by the
		// scheduler, which runs it again after the next interval.
		this.scheduler = DaemonSchedulers.repeat("resilience-slo-flush", this.flushInterval, false, this::flush,
				logger, "write the error budgets' counts");
	}

	/**
	 * Stops the periodic writes and writes once more, so that a restarted process finds
	 * this one's counts.
	 */
	@Override
	public void stop() {
		ScheduledExecutorService executor = this.scheduler;
		this.scheduler = null;
		if (executor != null) {
			DaemonSchedulers.shutdownAndWait(executor, STOP_TIMEOUT);
		}
		flush();
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public String toString() {
		return "ErrorBudgetFleet[" + this.instanceId + " -> " + this.store + "]";
	}

}

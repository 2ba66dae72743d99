package dev.resilience.autoconfigure.idempotency;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.IntSupplier;

import dev.resilience.autoconfigure.internal.DaemonSchedulers;
import dev.resilience.core.idempotency.IdempotencyStore;
import dev.resilience.core.idempotency.InMemoryIdempotencyStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.ClassUtils;

/**
 * Removes expired keys from the store every {@link #INTERVAL}, on a daemon thread of its
 * own: rows of the JDBC store, entries of the memory store. Claims reuse an expired key on
 * their own; this only keeps keys that are never sent again from piling up. Redis expires
 * its keys itself, and a store of another kind is left alone.
 */
final class ExpiredKeysCleanup implements SmartLifecycle {

	/** How often expired keys are removed. */
	static final Duration INTERVAL = Duration.ofMinutes(10);

	private static final Log logger = LogFactory.getLog(ExpiredKeysCleanup.class);

	private final IntSupplier removal;

	private volatile ScheduledExecutorService executor;

	private ExpiredKeysCleanup(IntSupplier removal) {
		this.removal = removal;
	}

	/**
	 * @param store the application's store
	 * @param classLoader the application's class loader, to tell whether Spring JDBC is there
	 * @return the cleanup of the store; it does nothing for a store that needs none
	 */
	static ExpiredKeysCleanup of(IdempotencyStore store, ClassLoader classLoader) {
		if (store instanceof InMemoryIdempotencyStore memory) {
			return new ExpiredKeysCleanup(memory::evictExpired);
		}
		if (ClassUtils.isPresent("org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy", classLoader)) {
			return new ExpiredKeysCleanup(Jdbc.removal(store));
		}
		return new ExpiredKeysCleanup(null);
	}

	/**
	 * Removes the expired keys now.
	 * @return how many were removed; 0 when the store needs no cleanup
	 */
	int runOnce() {
		return (removal != null) ? removal.getAsInt() : 0;
	}

	private void runLogged() {
		try {
			int removed = runOnce();
			if (removed > 0 && logger.isDebugEnabled()) {
				logger.debug("Removed " + removed + " expired idempotency keys");
			}
		}
		catch (RuntimeException ex) {
			// The store may be down for a while; the next run tries again.
			logger.warn("Could not remove expired idempotency keys: " + ex.getMessage());
		}
	}

	@Override
	public void start() {
		if (removal == null || executor != null) {
			return;
		}
		executor = DaemonSchedulers.repeat("resilience-idempotency-cleanup", INTERVAL, false, this::runLogged, logger,
				"remove expired idempotency keys");
	}

	@Override
	public void stop() {
		ScheduledExecutorService scheduler = executor;
		executor = null;
		if (scheduler != null) {
			scheduler.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return executor != null;
	}

	/** Touches Spring JDBC; loaded only when it is there. */
	private static final class Jdbc {

		static IntSupplier removal(IdempotencyStore store) {
			return (store instanceof JdbcIdempotencyStore jdbc) ? jdbc::deleteExpired : null;
		}

	}

}

package dev.resilience.core.bulkhead;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import dev.resilience.core.CheckedSupplier;
import dev.resilience.core.internal.Checks;
import dev.resilience.core.time.Ticker;

/**
 * Limits how many calls run at once. A call takes a {@link Permit} before it runs and
 * gives it back when it ends; past the limit a call waits up to
 * {@link BulkheadConfig#maxWait()} for a permit and is then rejected with
 * {@link BulkheadFullException}.
 * <p>
 * The permits are a fair {@link Semaphore}. A call that finds a permit free and nobody
 * waiting takes it with one compare-and-set and allocates nothing; only a call that has
 * to wait parks (which does not pin a virtual thread's carrier) and joins the queue, so
 * waiters are admitted in arrival order.
 * <p>
 * With {@link BulkheadConfig#adaptive()} set, the limit follows latency instead: each
 * permit records how long its call held it, and the limit moves between
 * {@link AdaptiveLimitConfig#minLimit()} and {@link AdaptiveLimitConfig#maxLimit()} so that
 * calls queue little downstream (a gradient of the no-load latency over the current one,
 * updated once per round trip of calls; see {@link AdaptiveLimitConfig}). Under overload it
 * sheds what the service cannot take in time, rather than letting every call slow down. A
 * lower limit takes effect as calls end: calls already admitted are never interrupted, and
 * no call is admitted while as many as the limit are running. The adaptive path reads the
 * {@link Ticker} twice per call and allocates one small permit per call; the fixed path
 * does neither.
 * <p>
 * An asynchronous call takes its permit with {@link #acquireWithoutWaiting()}: at once or
 * not at all, since its caller's thread (an event loop, say) must not block; it gives the
 * permit back when its result arrives, it fails or it is cancelled.
 */
public final class Bulkhead {

	private final String name;

	private final BulkheadConfig config;

	private final BulkheadListener listener;

	private final long maxWaitNanos;

	private final ResizableSemaphore permits;

	private final LongAdder rejectedCalls = new LongAdder();

	/** One permit object serves every call of a fixed bulkhead: releasing needs no per-call state. */
	private final Permit permit = this::release;

	/** Null for a fixed limit; guarded by itself, which also orders the resizing of the permits. */
	private final AdaptiveLimit adaptiveLimit;

	private final Ticker ticker;

	/** The limit now; changes only under an adaptive limit's lock. */
	private volatile int limit;

	private Bulkhead(String name, BulkheadConfig config, Ticker ticker, BulkheadListener listener) {
		this.name = Checks.notNull("name", name);
		this.config = Checks.notNull("config", config);
		this.ticker = Checks.notNull("ticker", ticker);
		this.listener = Checks.notNull("listener", listener);
		this.maxWaitNanos = config.maxWait().toNanos();
		this.adaptiveLimit = config.isAdaptive() ? new AdaptiveLimit(config.adaptive()) : null;
		this.limit = (this.adaptiveLimit != null) ? this.adaptiveLimit.limit() : config.maxConcurrentCalls();
		this.permits = new ResizableSemaphore(this.limit);
	}

	/**
	 * @param name the bulkhead's name, used in exceptions and events
	 * @param config its settings
	 * @return a bulkhead with every permit free
	 */
	public static Bulkhead of(String name, BulkheadConfig config) {
		return new Bulkhead(name, config, Ticker.system(), BulkheadListener.NOOP);
	}

	/**
	 * @param name the bulkhead's name, used in exceptions and events
	 * @param config its settings
	 * @param listener receives rejections
	 * @return a bulkhead with every permit free
	 */
	public static Bulkhead of(String name, BulkheadConfig config, BulkheadListener listener) {
		return new Bulkhead(name, config, Ticker.system(), listener);
	}

	/**
	 * @param name the bulkhead's name, used in exceptions and events
	 * @param config its settings
	 * @param ticker measures how long calls hold their permits; read only by an adaptive
	 * limit
	 * @param listener receives rejections
	 * @return a bulkhead with every permit free
	 */
	public static Bulkhead of(String name, BulkheadConfig config, Ticker ticker, BulkheadListener listener) {
		return new Bulkhead(name, config, ticker, listener);
	}

	/**
	 * @return the bulkhead's name
	 */
	public String name() {
		return name;
	}

	/**
	 * @return the bulkhead's settings
	 */
	public BulkheadConfig config() {
		return config;
	}

	/**
	 * Takes a permit, waiting up to {@code maxWait} for one.
	 * @return the permit; {@link Permit#release()} must be called exactly once
	 * @throws BulkheadFullException when no permit came free in time (the rejection is
	 * counted and reported to the listener), or when the thread was interrupted while
	 * waiting (its interrupt flag is set again)
	 */
	public Permit acquire() {
		// Barging past queued waiters would starve them under steady load, so the
		// allocation-free path is taken only when nobody waits. The check and the
		// acquisition are not atomic: a caller may slip in just as a waiter queues, which
		// costs that waiter one turn and nothing else.
		if (!permits.hasQueuedThreads() && permits.tryAcquire()) {
			return admitted();
		}
		if (maxWaitNanos > 0 && awaitPermit()) {
			return admitted();
		}
		throw rejected();
	}

	/**
	 * Takes a permit only if one is free now and no caller is queued for one, never
	 * waiting, whatever {@code maxWait} says: for asynchronous calls, whose caller's thread
	 * must not block.
	 * @return the permit; {@link Permit#release()} must be called exactly once
	 * @throws BulkheadFullException when no permit is free (the rejection is counted and
	 * reported to the listener)
	 */
	public Permit acquireWithoutWaiting() {
		// Not past queued waiters, for the same reason as in acquire().
		if (!permits.hasQueuedThreads() && permits.tryAcquire()) {
			return admitted();
		}
		throw rejected();
	}

	private BulkheadFullException rejected() {
		rejectedCalls.increment();
		try {
			listener.onRejected(name);
		}
		catch (RuntimeException ignored) {
			// A listener must not change the outcome of the call.
		}
		return new BulkheadFullException(name, limit);
	}

	private Permit admitted() {
		return (adaptiveLimit != null) ? new TimedPermit(ticker.read()) : permit;
	}

	private boolean awaitPermit() {
		try {
			return permits.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			// The caller asked to stop waiting: keep its request visible to the code above us.
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private void release() {
		permits.release();
	}

	/**
	 * Takes a finished call's latency into the adaptive limit and resizes the permits to it.
	 */
	private void record(long rttNanos, boolean failed) {
		synchronized (adaptiveLimit) {
			int current = limit;
			// Approximate under concurrency, which is all the estimate needs.
			int inFlight = current - permits.availablePermits();
			int next = adaptiveLimit.onSample(rttNanos, inFlight, failed);
			if (next > current) {
				permits.release(next - current);
			}
			else if (next < current) {
				// May leave fewer than zero permits available: calls over the new limit finish
				// as usual, and nobody is admitted until running calls are under it.
				permits.reducePermits(current - next);
			}
			limit = next;
		}
	}

	/**
	 * Runs a call inside the bulkhead: takes a permit, runs the call and gives the permit
	 * back, whatever the call does.
	 * @param <T> the result type
	 * @param call the call to run
	 * @return what the call returned
	 * @throws BulkheadFullException when no permit came free within {@code maxWait}; the
	 * call did not run
	 * @throws Throwable whatever the call threw, unchanged
	 */
	public <T> T execute(CheckedSupplier<T> call) throws Throwable {
		Permit taken = acquire();
		T result;
		try {
			result = call.get();
		}
		catch (Throwable ex) {
			taken.releaseFailed();
			throw ex;
		}
		taken.release();
		return result;
	}

	/**
	 * @return how many calls may run at once now: the configured limit, or the adaptive
	 * limit's current value
	 */
	public int maxConcurrentCalls() {
		return limit;
	}

	/**
	 * @return how many more calls could start now without waiting
	 */
	public int availableConcurrentCalls() {
		// Negative for a moment after an adaptive limit shrank below the calls running.
		return Math.max(0, permits.availablePermits());
	}

	/**
	 * @return how many calls were rejected since the bulkhead was created
	 */
	public long rejectedCalls() {
		return rejectedCalls.sum();
	}

	@Override
	public String toString() {
		return "Bulkhead[" + name + ", " + availableConcurrentCalls() + "/" + maxConcurrentCalls() + " available]";
	}

	/**
	 * The permit of one admitted call. {@link #release()} must be called exactly once,
	 * in a {@code finally} block; the same object is handed to every call, so a second
	 * release would hand out a permit that nobody gave back.
	 */
	@FunctionalInterface
	public interface Permit {

		/**
		 * Gives the permit back to its bulkhead after the call completed; an adaptive
		 * bulkhead takes the call's latency as a sample.
		 */
		void release();

		/**
		 * Gives the permit back to its bulkhead after the call failed. An adaptive
		 * bulkhead learns from a failed call only that latency rose (a timeout), never that
		 * it fell: a quick error says nothing about capacity. A fixed bulkhead treats it as
		 * {@link #release()}.
		 */
		default void releaseFailed() {
			release();
		}

	}

	/**
	 * The permit of one call under an adaptive limit: it knows when the call was admitted.
	 * Releasing it twice returns the permit once.
	 */
	private final class TimedPermit implements Permit {

		private final long admittedAt;

		private boolean released;

		TimedPermit(long admittedAt) {
			this.admittedAt = admittedAt;
		}

		@Override
		public void release() {
			end(false);
		}

		@Override
		public void releaseFailed() {
			end(true);
		}

		private void end(boolean failed) {
			if (released) {
				return;
			}
			released = true;
			try {
				record(ticker.read() - admittedAt, failed);
			}
			finally {
				// Whatever the estimate does, the permit itself goes back.
				permits.release();
			}
		}

	}

	/** Exposes {@link Semaphore#reducePermits}, so that an adaptive limit can shrink. */
	private static final class ResizableSemaphore extends Semaphore {

		private static final long serialVersionUID = 1L;

		ResizableSemaphore(int permits) {
			super(permits, true);
		}

		@Override
		protected void reducePermits(int reduction) {
			super.reducePermits(reduction);
		}

	}

}

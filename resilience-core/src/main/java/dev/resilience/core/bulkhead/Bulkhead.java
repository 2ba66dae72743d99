package dev.resilience.core.bulkhead;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import dev.resilience.core.CheckedSupplier;
import dev.resilience.core.internal.Checks;

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
 * An asynchronous call takes its permit with {@link #acquireWithoutWaiting()}: at once or
 * not at all, since its caller's thread (an event loop, say) must not block; it gives the
 * permit back when its result arrives, it fails or it is cancelled.
 */
public final class Bulkhead {

	private final String name;

	private final BulkheadConfig config;

	private final BulkheadListener listener;

	private final int maxConcurrentCalls;

	private final long maxWaitNanos;

	private final Semaphore permits;

	private final LongAdder rejectedCalls = new LongAdder();

	/** One permit object serves every call: releasing needs no per-call state. */
	private final Permit permit = this::release;

	private Bulkhead(String name, BulkheadConfig config, BulkheadListener listener) {
		this.name = Checks.notNull("name", name);
		this.config = Checks.notNull("config", config);
		this.listener = Checks.notNull("listener", listener);
		this.maxConcurrentCalls = config.maxConcurrentCalls();
		this.maxWaitNanos = config.maxWait().toNanos();
		this.permits = new Semaphore(maxConcurrentCalls, true);
	}

	/**
	 * @param name the bulkhead's name, used in exceptions and events
	 * @param config its settings
	 * @return a bulkhead with every permit free
	 */
	public static Bulkhead of(String name, BulkheadConfig config) {
		return new Bulkhead(name, config, BulkheadListener.NOOP);
	}

	/**
	 * @param name the bulkhead's name, used in exceptions and events
	 * @param config its settings
	 * @param listener receives rejections
	 * @return a bulkhead with every permit free
	 */
	public static Bulkhead of(String name, BulkheadConfig config, BulkheadListener listener) {
		return new Bulkhead(name, config, listener);
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
			return permit;
		}
		if (maxWaitNanos > 0 && awaitPermit()) {
			return permit;
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
			return permit;
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
		return new BulkheadFullException(name, maxConcurrentCalls);
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
		try {
			return call.get();
		}
		finally {
			taken.release();
		}
	}

	/**
	 * @return how many calls may run at once
	 */
	public int maxConcurrentCalls() {
		return maxConcurrentCalls;
	}

	/**
	 * @return how many more calls could start now without waiting
	 */
	public int availableConcurrentCalls() {
		return permits.availablePermits();
	}

	/**
	 * @return how many calls were rejected since the bulkhead was created
	 */
	public long rejectedCalls() {
		return rejectedCalls.sum();
	}

	@Override
	public String toString() {
		return "Bulkhead[" + name + ", " + availableConcurrentCalls() + "/" + maxConcurrentCalls + " available]";
	}

	/**
	 * The permit of one admitted call. {@link #release()} must be called exactly once,
	 * in a {@code finally} block; the same object is handed to every call, so a second
	 * release would hand out a permit that nobody gave back.
	 */
	@FunctionalInterface
	public interface Permit {

		/**
		 * Gives the permit back to its bulkhead.
		 */
		void release();

	}

}

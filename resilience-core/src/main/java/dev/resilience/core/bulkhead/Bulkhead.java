package dev.resilience.core.bulkhead;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

import dev.resilience.core.CheckedSupplier;
import dev.resilience.core.internal.Checks;
import dev.resilience.core.time.Scheduler;
import dev.resilience.core.time.Ticker;

/**
 * Limits how many calls run at once. A call takes a {@link Permit} before it runs and
 * gives it back when it ends; past the limit a call waits up to
 * {@link BulkheadConfig#maxWait()} for a permit and is then rejected with
 * {@link BulkheadFullException}.
 * <p>
 * Waiting calls form one first-in, first-out queue, blocking and asynchronous calls
 * together: they share one fairness. A permit given back while calls wait is handed to the
 * oldest of them, so a call arriving meanwhile cannot take it past them; a blocking call
 * that waits parks its thread (which does not pin a virtual thread's carrier), an
 * asynchronous one ({@link #acquireAsync()}) holds no thread at all. A call that finds a
 * permit free and nobody waiting takes it with one compare-and-set and allocates nothing.
 * <p>
 * With {@link BulkheadConfig#adaptive()} set, the limit follows latency instead: each
 * permit records how long its call held it, and the limit moves between
 * {@link AdaptiveLimitConfig#minLimit()} and {@link AdaptiveLimitConfig#maxLimit()} so that
 * calls queue little downstream (a gradient of the no-load latency over the current one,
 * updated once per round trip of calls; see {@link AdaptiveLimitConfig}). Under overload it
 * sheds what the service cannot take in time, rather than letting every call slow down. A
 * lower limit takes effect as calls end: calls already admitted are never interrupted, and
 * no call is admitted while as many as the limit are running; a higher one serves waiting
 * calls first. The adaptive path reads the {@link Ticker} twice per call and allocates one
 * small permit per call; the fixed path does neither.
 * <p>
 * An asynchronous call takes its permit with {@link #acquireAsync()}, whose wait for
 * {@code maxWait} is timed by the {@link Scheduler}, or with {@link #acquireWithoutWaiting()}
 * when it must not wait at all; it gives the permit back when its result arrives, it fails
 * or it is cancelled.
 */
public final class Bulkhead {

	/**
	 * How many hand-offs to asynchronous waiters may nest on one thread's stack: a served
	 * call that completes at once gives its permit back at once, which serves the next
	 * waiter inside the same stack. Deeper hand-offs go through the scheduler.
	 */
	private static final int MAX_NESTED_HAND_OFFS = 16;

	private static final ThreadLocal<int[]> HAND_OFF_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

	private final String name;

	private final BulkheadConfig config;

	private final BulkheadListener listener;

	private final long maxWaitNanos;

	private final PermitQueue permits;

	private final LongAdder rejectedCalls = new LongAdder();

	/** One permit object serves every call of a fixed bulkhead: releasing needs no per-call state. */
	private final Permit permit = this::release;

	/** Null for a fixed limit; guarded by itself, which also orders the resizing of the permits. */
	private final AdaptiveLimit adaptiveLimit;

	private final Ticker ticker;

	private final Scheduler scheduler;

	/** The limit now; changes only under an adaptive limit's lock. */
	private volatile int limit;

	private Bulkhead(String name, BulkheadConfig config, Ticker ticker, Scheduler scheduler,
			BulkheadListener listener) {
		this.name = Checks.notNull("name", name);
		this.config = Checks.notNull("config", config);
		this.ticker = Checks.notNull("ticker", ticker);
		this.scheduler = Checks.notNull("scheduler", scheduler);
		this.listener = Checks.notNull("listener", listener);
		this.maxWaitNanos = saturatedNanos(config.maxWait());
		this.adaptiveLimit = config.isAdaptive() ? new AdaptiveLimit(config.adaptive()) : null;
		this.limit = (this.adaptiveLimit != null) ? this.adaptiveLimit.limit() : config.maxConcurrentCalls();
		this.permits = new PermitQueue(this.limit);
	}

	/**
	 * @param name the bulkhead's name, used in exceptions and events
	 * @param config its settings
	 * @return a bulkhead with every permit free, timing asynchronous waits on
	 * {@link Scheduler#system()}
	 */
	public static Bulkhead of(String name, BulkheadConfig config) {
		return new Bulkhead(name, config, Ticker.system(), Scheduler.system(), BulkheadListener.NOOP);
	}

	/**
	 * @param name the bulkhead's name, used in exceptions and events
	 * @param config its settings
	 * @param listener receives rejections
	 * @return a bulkhead with every permit free, timing asynchronous waits on
	 * {@link Scheduler#system()}
	 */
	public static Bulkhead of(String name, BulkheadConfig config, BulkheadListener listener) {
		return new Bulkhead(name, config, Ticker.system(), Scheduler.system(), listener);
	}

	/**
	 * @param name the bulkhead's name, used in exceptions and events
	 * @param config its settings
	 * @param ticker measures how long calls hold their permits; read only by an adaptive
	 * limit
	 * @param listener receives rejections
	 * @return a bulkhead with every permit free, timing asynchronous waits on
	 * {@link Scheduler#system()}
	 */
	public static Bulkhead of(String name, BulkheadConfig config, Ticker ticker, BulkheadListener listener) {
		return new Bulkhead(name, config, ticker, Scheduler.system(), listener);
	}

	/**
	 * @param name the bulkhead's name, used in exceptions and events
	 * @param config its settings
	 * @param ticker measures how long calls hold their permits; read only by an adaptive
	 * limit
	 * @param scheduler ends the waits of asynchronous calls ({@link #acquireAsync()}) after
	 * {@code maxWait}
	 * @param listener receives rejections
	 * @return a bulkhead with every permit free
	 */
	public static Bulkhead of(String name, BulkheadConfig config, Ticker ticker, Scheduler scheduler,
			BulkheadListener listener) {
		return new Bulkhead(name, config, ticker, scheduler, listener);
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
	 * Takes a permit, waiting up to {@code maxWait} for one in the queue of waiting calls.
	 * The wait parks the thread and is timed on the system clock.
	 * @return the permit; {@link Permit#release()} must be called exactly once
	 * @throws BulkheadFullException when no permit came free in time (the rejection is
	 * counted and reported to the listener), or when the thread was interrupted while
	 * waiting (its interrupt flag is set again)
	 */
	public Permit acquire() {
		// Barging past queued waiters would starve them under steady load, so the
		// allocation-free path is taken only when nobody waits.
		if (permits.tryAcquire()) {
			return admitted();
		}
		if (maxWaitNanos > 0 && awaitPermit()) {
			return admitted();
		}
		throw rejected();
	}

	/**
	 * Takes a permit only if one is free now and no caller is queued for one, never
	 * waiting, whatever {@code maxWait} says.
	 * @return the permit; {@link Permit#release()} must be called exactly once
	 * @throws BulkheadFullException when no permit is free (the rejection is counted and
	 * reported to the listener)
	 */
	public Permit acquireWithoutWaiting() {
		// Not past queued waiters, for the same reason as in acquire().
		if (permits.tryAcquire()) {
			return admitted();
		}
		throw rejected();
	}

	/**
	 * Takes a permit without blocking any thread, for asynchronous calls: at once when one
	 * is free and nobody waits; otherwise, with a {@code maxWait}, the call joins the queue
	 * of waiting calls (behind blocking callers that came first) and the returned future
	 * completes when a permit is handed to it, or fails with {@link BulkheadFullException}
	 * once {@code maxWait} has passed on the bulkhead's {@link Scheduler}. Without a
	 * {@code maxWait} a full bulkhead fails the future at once.
	 * <p>
	 * Cancelling the future (or completing it in any other way) before it is served leaves
	 * the queue; a permit handed over at that very moment goes back to the bulkhead. A
	 * served future's continuation runs on the thread that gave the permit back.
	 * @return the permit's future, already completed unless the call waits; the permit must
	 * be released exactly once
	 */
	public CompletableFuture<Permit> acquireAsync() {
		if (permits.tryAcquire()) {
			return CompletableFuture.completedFuture(admitted());
		}
		if (maxWaitNanos <= 0) {
			return CompletableFuture.failedFuture(rejected());
		}
		AsyncWaiter waiter = new AsyncWaiter();
		if (permits.enqueue(waiter)) {
			return CompletableFuture.completedFuture(admitted());
		}
		// Registered after queueing: a waiter served meanwhile finds its future done, which is fine.
		waiter.future.whenComplete(waiter);
		Scheduler.Cancellable timer;
		try {
			timer = scheduler.schedule(waiter, maxWaitNanos);
		}
		catch (RuntimeException refused) {
			// The scheduler is shut down: nothing would end the wait, so it ends now.
			waiter.run();
			return waiter.future;
		}
		waiter.timer = timer;
		if (!waiter.isWaiting()) {
			// Served or cancelled before the timer was known: its own stop missed it.
			timer.cancel();
		}
		return waiter.future;
	}

	private BulkheadFullException rejected() {
		countRejected();
		return new BulkheadFullException(name, limit);
	}

	private void countRejected() {
		rejectedCalls.increment();
		try {
			listener.onRejected(name);
		}
		catch (RuntimeException ignored) {
			// A listener must not change the outcome of the call.
		}
	}

	private Permit admitted() {
		return (adaptiveLimit != null) ? new TimedPermit(ticker.read()) : permit;
	}

	private boolean awaitPermit() {
		try {
			return permits.acquire(maxWaitNanos);
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
		int added;
		synchronized (adaptiveLimit) {
			int current = limit;
			// Approximate under concurrency, which is all the estimate needs.
			int inFlight = current - permits.availablePermits();
			int next = adaptiveLimit.onSample(rttNanos, inFlight, failed);
			if (next < current) {
				// May leave fewer than zero permits available: calls over the new limit finish
				// as usual, and nobody is admitted until running calls are under it.
				permits.reduce(current - next);
			}
			limit = next;
			added = next - current;
		}
		if (added > 0) {
			// Outside the monitor: the new permits go to waiting calls, whose code may run now.
			permits.release(added);
		}
	}

	/**
	 * Serves an asynchronous waiter on this thread, or through the scheduler when hand-offs
	 * already nest deep on this thread's stack.
	 */
	private void handOff(AsyncWaiter waiter) {
		int[] depth = HAND_OFF_DEPTH.get();
		if (depth[0] >= MAX_NESTED_HAND_OFFS) {
			try {
				scheduler.schedule(waiter::deliver, 0);
				return;
			}
			catch (RuntimeException refused) {
				// The scheduler is shut down: serve it here rather than never.
			}
		}
		depth[0]++;
		try {
			waiter.deliver();
		}
		finally {
			depth[0]--;
		}
	}

	private static long saturatedNanos(java.time.Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException tooLong) {
			return Long.MAX_VALUE;
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

	/**
	 * @return how many calls wait for a permit now, blocking and asynchronous
	 */
	public int waitingCalls() {
		return permits.waitingCount();
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

	/**
	 * An asynchronous call waiting for a permit: its future, and the timer that rejects it
	 * after {@code maxWait}. It settles once, through the queue: served, timed out or
	 * cancelled.
	 */
	private final class AsyncWaiter extends PermitQueue.Waiter implements Runnable, BiConsumer<Permit, Throwable> {

		final CompletableFuture<Permit> future = new CompletableFuture<>();

		volatile Scheduler.Cancellable timer;

		boolean isWaiting() {
			return state.get() == WAITING;
		}

		/** {@code maxWait} is over. */
		@Override
		public void run() {
			if (!permits.abandon(this) || future.isDone()) {
				return; // served, or cancelled by its caller
			}
			// Counted before the caller hears of it, as a blocking caller's rejection is, so
			// that whoever reacts to the rejection reads a count that includes it. A caller
			// that cancels in the instant between sees a cancellation of a call the bulkhead
			// did reject.
			countRejected();
			future.completeExceptionally(new BulkheadFullException(name, limit));
		}

		/** The future completed: served or timed out (nothing to do), or cancelled by its caller. */
		@Override
		public void accept(Permit served, Throwable error) {
			if (permits.abandon(this)) {
				stopTimer();
			}
		}

		@Override
		void granted() {
			stopTimer();
			handOff(this);
		}

		void deliver() {
			if (future.isDone()) {
				// Cancelled just after it was served: the permit goes back, to the next waiter if any.
				permits.release();
				return;
			}
			Permit served = admitted();
			if (!future.complete(served)) {
				// Cancelled between the check and now; a permit never delivered is no sample.
				permits.release();
			}
		}

		private void stopTimer() {
			Scheduler.Cancellable current = timer;
			if (current != null) {
				current.cancel();
			}
		}

	}

}

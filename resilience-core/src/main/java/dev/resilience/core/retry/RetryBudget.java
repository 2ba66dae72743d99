package dev.resilience.core.retry;

import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

import dev.resilience.core.time.Ticker;

/**
 * A retry budget: a token bucket that keeps the retries of one instance to a fraction of
 * its traffic, so that a failing dependency sees a bounded extra load instead of a retry
 * storm. Every first attempt deposits {@code ratio} tokens, every retry withdraws one, and
 * a quiet instance may retry {@code minRetriesPerSecond} times per second while its retries
 * succeed: over a window it holds {@code max(floor, ratio x first attempts)} tokens minus its retries, with
 * {@code floor = minRetriesPerSecond x window} in seconds. The floor is a minimum, not an
 * addition: an instance whose traffic earns more than the floor gets exactly what its
 * traffic earns, so a failing instance of {@code r} requests per second retries at most
 * {@code max(ratio x r, minRetriesPerSecond)} times per second. Deposits and withdrawals
 * expire after {@code window}.
 * <p>
 * <b>Time slices.</b> Each window is cut into 10 slices; slice
 * boundaries are at {@code origin + q x window + ceil(i x window / 10)}, so any 10
 * consecutive slices span exactly one window whatever its length in nanoseconds. A ring of
 * 11 slots holds, per slice, the first-attempt count at the slice's start and the retries
 * taken in it. Expiry is conservative in both directions:
 * <ul>
 * <li>a deposit counts in its own slice and the 9 after it: at most one window, at least
 * nine tenths of one;</li>
 * <li>a withdrawal counts in its own slice and the 10 after it: always longer than one
 * window, at most eleven tenths.</li>
 * </ul>
 * <b>Invariant.</b> A retry at instant {@code t} is granted only if
 * {@code max(floor, ratio x D) - W >= 1} (with {@code floor} 0 while it is suspended), with
 * {@code D} counting first attempts made in {@code (t - window, t]} only and {@code W} counting every retry granted in
 * {@code (t - window, t)}. Hence, for every granted retry at {@code t}:
 * <pre>
 * retries in (t - window, t] &lt;= max(ratio x firstAttempts in (t - window, t], floor)
 * </pre>
 * and so any interval of length {@code window} holds at most the larger of {@code floor}
 * and {@code ratio} times the first attempts of the window that ends at its last retry. (No
 * budget can bound retries by the first attempts of the same interval alone: tokens
 * deposited just before an interval may be spent inside it.) The check and the withdrawal
 * are one atomic step, so concurrency adds no slack.
 * <p>
 * <b>Dating deposits without reading the clock.</b> {@link #recordFirstAttempt()} runs on
 * every call and does not read the ticker (a clock read costs more than the rest of a
 * successful retrying call): the deposit counts from the slice of the budget's latest
 * reading, which it takes whenever a retry is asked for, its tokens are read, or a caller
 * that has a reading anyway passes it to {@link #recordFirstAttempt(long)}. A deposit is
 * therefore never dated later than it was made, only possibly earlier, so it may expire
 * early, never late, and the invariant above holds as stated. The only effect is at the
 * start of a failing period that follows a quiet one: deposits made while nobody asked
 * for a retry have already expired, and the first window allows the floor plus what is
 * deposited from the first failure on (dated exactly from then, as failures keep the
 * reading current).
 * <p>
 * <b>Tokens are spent at a bounded pace.</b> A window's tokens are not all available at
 * once: within one slice the budget grants at most {@value #BURST} times the slice's share
 * of them ({@code BURST x max(floor, ratio x D) / 10}, rounded up) or, if that is more,
 * {@code ratio} times the first attempts of the slice itself. A steady stream of calls that
 * starts failing therefore retries at most twice its ratio (or twice the floor's rate) per
 * slice, instead of spending a whole window's savings (a second of its traffic, with the
 * defaults) in the first second of the failure, when the dependency is least able to take
 * them; a burst of traffic still earns its own share at once. While the floor is in force
 * a slice also holds at least the retries of one call ({@code maxAttempts - 1} of the retry
 * that owns the budget), so a quiet instance's failing call makes all its attempts.
 * Pacing only withholds retries, so the invariant above holds as stated.
 * <p>
 * <b>The floor holds while retries work.</b> The floor lets a quiet instance retry a
 * sporadic failure; it must not let a fleet of quiet instances multiply an outage (a
 * process of 0.4 requests per second with a floor of 1 retry per second would retry every
 * failure). So a call that fails although it retried ({@link #recordFailureAfterRetry()})
 * suspends the floor, and the next successful attempt ({@link #recordSuccess()}) restores
 * it: while suspended, the budget allows only what the ratio earns. A call in progress
 * keeps the retries it may make; a failing instance spends at most the retries of the calls
 * in flight when the first of them fails on the floor before only the ratio counts.
 * <p>
 * <b>Cost.</b> {@link #recordFirstAttempt()} increments a {@link LongAdder}; {@link
 * #recordSuccess()} reads a volatile flag. {@link #recordFirstAttempt(long)} also compares
 * the reading with a volatile slice end, with no lock except once per slice to rotate the
 * ring. {@link #tryAcquireRetry()} and {@link #available()} run only when an attempt failed
 * or metrics are read; they take a short lock (a few arithmetic operations, at most 11 slot
 * resets, never blocking inside) because the check and the withdrawal must be one step.
 * Memory is constant.
 * <p>
 * A disabled budget grants every retry but still counts them, so {@link #available()} shows
 * what an enabled one would have allowed (never below zero).
 */
public final class RetryBudget {

	/** How many slices one window is cut into. */
	static final int SLICES_PER_WINDOW = 10;

	/** How many times its average pace a budget may spend its tokens at, per slice. */
	static final int BURST = 2;

	/** One slot more than a window's slices: withdrawals stay for the extra slice. */
	private static final int SLOTS = SLICES_PER_WINDOW + 1;

	private final RetryBudgetConfig config;

	private final Ticker ticker;

	private final boolean enabled;

	private final double ratio;

	/** {@code minRetriesPerSecond x window}: the tokens a window holds at least. */
	private final double floor;

	private final long windowNanos;

	/** A slice's least share while the floor is in force: the retries of one call. */
	private final int retriesPerCall;

	private final long origin;

	/** First attempts ever made; a slice's deposits are differences of this total. */
	private final LongAdder firstAttempts = new LongAdder();

	private final LongAdder denied = new LongAdder();

	/** The reading at which the current slice ends; read without the lock on the hot path. */
	private volatile long currentSliceEnd;

	private final Object lock = new Object();

	// Guarded by lock.
	private long currentSlice;

	/** Per slot: {@link #firstAttempts} as seen when the slot's slice was rotated in. */
	private final long[] firstAttemptsAtStart = new long[SLOTS];

	/** Per slot: retries granted in the slot's slice. */
	private final long[] retries = new long[SLOTS];

	private long retriesInRing;

	/** Set by a call that failed after retrying, cleared by a success: the floor does not count while set. */
	private volatile boolean floorSuspended;

	private RetryBudget(RetryBudgetConfig config, Ticker ticker, int retriesPerCall) {
		this.config = config;
		this.retriesPerCall = retriesPerCall;
		this.ticker = ticker;
		this.enabled = config.enabled();
		this.ratio = config.ratio();
		this.windowNanos = config.window().toNanos();
		this.floor = config.minRetriesPerSecond() * (windowNanos / 1e9);
		this.origin = ticker.read();
		this.currentSlice = 0;
		this.currentSliceEnd = sliceStart(1);
	}

	/**
	 * @param config the budget's settings
	 * @param ticker the time source for the window
	 * @return a new, empty budget
	 */
	public static RetryBudget of(RetryBudgetConfig config, Ticker ticker) {
		return of(config, ticker, 0);
	}

	/**
	 * A budget for a retry whose calls make up to {@code retriesPerCall} retries each: while
	 * the floor is in force, a slice may hold at least that many retries, so that a quiet
	 * instance's failing call makes all its attempts on the floor whatever the pace.
	 * @param config the budget's settings
	 * @param ticker the time source for the window
	 * @param retriesPerCall the retries one call may make, {@code maxAttempts - 1}; 0 for none
	 * @return a new, empty budget
	 */
	public static RetryBudget of(RetryBudgetConfig config, Ticker ticker, int retriesPerCall) {
		Objects.requireNonNull(config, "config must not be null");
		Objects.requireNonNull(ticker, "ticker must not be null");
		if (retriesPerCall < 0) {
			throw new IllegalArgumentException("retriesPerCall must be at least 0 but was " + retriesPerCall);
		}
		return new RetryBudget(config, ticker, retriesPerCall);
	}

	/**
	 * Deposits {@code ratio} tokens for the first attempt of a logical call, dated by the
	 * budget's latest reading of its ticker rather than by a new one (see the class
	 * description: such a deposit may expire early, never late).
	 */
	public void recordFirstAttempt() {
		this.firstAttempts.increment();
	}

	/**
	 * Deposits {@code ratio} tokens for a first attempt made at {@code now}, a reading of
	 * this budget's ticker taken by the caller: a caller that reads the time anyway (to time
	 * the attempt) dates the deposit exactly at no extra cost.
	 * @param now a recent reading of the budget's ticker
	 */
	public void recordFirstAttempt(long now) {
		if (now - this.currentSliceEnd >= 0) {
			synchronized (this.lock) {
				rotateTo(now);
			}
		}
		// Race: a slice may begin between the check above and this increment. The deposit
		// then counts from the newer slice: it is dated by the moment it is added, which is
		// what the invariant speaks about.
		this.firstAttempts.increment();
	}

	/**
	 * Records that an attempt, first or retry, succeeded: restores the floor if a call
	 * that failed after retrying suspended it. Costs one volatile read when the floor is
	 * in force.
	 */
	public void recordSuccess() {
		if (this.floorSuspended) {
			this.floorSuspended = false;
		}
	}

	/**
	 * Records that a call failed although it retried: suspends the floor until an attempt
	 * succeeds, so that a failing instance retries only what its traffic earns.
	 */
	public void recordFailureAfterRetry() {
		if (!this.floorSuspended) {
			this.floorSuspended = true;
		}
	}

	/**
	 * @return whether a call that failed after retrying has suspended the floor and no
	 * attempt has succeeded since
	 */
	public boolean isFloorSuspended() {
		return this.floorSuspended;
	}

	/**
	 * Withdraws one token for a retry, if there is one.
	 * @return {@code true} if the retry may go ahead; {@code false} if the budget is spent,
	 * in which case the denial is counted
	 */
	public boolean tryAcquireRetry() {
		synchronized (this.lock) {
			// Reading the ticker inside the lock keeps rotations in time order.
			rotateTo(this.ticker.read());
			if (!this.enabled || mayRetry()) {
				this.retries[slot(this.currentSlice)]++;
				this.retriesInRing++;
				return true;
			}
		}
		this.denied.increment();
		return false;
	}

	/**
	 * @return the window's tokens, {@code max(floor, ratio x first attempts)} minus its
	 * retries; never negative. The pace may hold some of them back for the window's later
	 * slices.
	 */
	public double available() {
		synchronized (this.lock) {
			rotateTo(this.ticker.read());
			return Math.max(0.0, tokens());
		}
	}

	/**
	 * @return how many first attempts were recorded since this budget was created
	 */
	public long firstAttempts() {
		return this.firstAttempts.sum();
	}

	/**
	 * @return how many retries were refused since this budget was created
	 */
	public long deniedRetries() {
		return this.denied.sum();
	}

	/**
	 * @return the budget's settings
	 */
	public RetryBudgetConfig config() {
		return this.config;
	}

	// Guarded by lock. The deposits of the last 10 slices are the total now minus the total
	// when the oldest of them began; retriesInRing covers all 11 slots. The floor is the
	// larger term when traffic is low, never added to what the traffic earns.
	private double tokens() {
		return windowTokens(this.firstAttempts.sum()) - this.retriesInRing;
	}

	// Guarded by lock. The window's tokens before its retries are withdrawn, given the
	// first-attempt total now.
	private double windowTokens(long total) {
		long deposits = total - this.firstAttemptsAtStart[slot(this.currentSlice - (SLICES_PER_WINDOW - 1))];
		return Math.max(this.floorSuspended ? 0.0 : this.floor, this.ratio * deposits);
	}

	// Guarded by lock. Tokens are spent at a bounded pace, not all at once: in one slice at
	// most BURST times the slice's share of the window's tokens, or the ratio of the slice's
	// own first attempts if that is more (a burst of traffic earns its share at once).
	private boolean mayRetry() {
		long total = this.firstAttempts.sum();
		double window = windowTokens(total);
		if (window - this.retriesInRing < 1) {
			return false;
		}
		long sliceDeposits = total - this.firstAttemptsAtStart[slot(this.currentSlice)];
		double sliceShare = Math.max(Math.ceil(BURST * window / SLICES_PER_WINDOW), Math.floor(this.ratio * sliceDeposits));
		if (!this.floorSuspended && this.floor >= 1) {
			sliceShare = Math.max(sliceShare, this.retriesPerCall);
		}
		return this.retries[slot(this.currentSlice)] < sliceShare;
	}

	// Guarded by lock. Resets the slots of every slice that began since the last rotation
	// (at most all 11), so the cost is bounded however long the budget sat idle.
	private void rotateTo(long now) {
		long slice = sliceIndex(now);
		if (slice <= this.currentSlice) {
			// Another thread rotated with a later reading, or the slice has not changed.
			return;
		}
		long total = this.firstAttempts.sum();
		for (long s = Math.max(this.currentSlice + 1, slice - SLOTS + 1); s <= slice; s++) {
			int slot = slot(s);
			// Taken late (after the slice began) this mark can only be too high, so deposits
			// made between the boundary and now, including every deposit recorded without a
			// reading since the last rotation, count in an older slice and expire early: the
			// conservative direction. No deposit is lost or counted twice.
			this.firstAttemptsAtStart[slot] = total;
			this.retriesInRing -= this.retries[slot];
			this.retries[slot] = 0;
		}
		this.currentSlice = slice;
		this.currentSliceEnd = sliceStart(slice + 1);
	}

	private long sliceIndex(long now) {
		long elapsed = now - this.origin;
		if (elapsed <= 0) {
			return 0;
		}
		long windows = elapsed / this.windowNanos;
		long intoWindow = elapsed % this.windowNanos;
		// intoWindow x 10 stays far below overflow: the window is at most 10 minutes.
		return windows * SLICES_PER_WINDOW + (intoWindow * SLICES_PER_WINDOW) / this.windowNanos;
	}

	private long sliceStart(long slice) {
		long windows = slice / SLICES_PER_WINDOW;
		long index = slice % SLICES_PER_WINDOW;
		long intoWindow = (index * this.windowNanos + SLICES_PER_WINDOW - 1) / SLICES_PER_WINDOW;
		return this.origin + windows * this.windowNanos + intoWindow;
	}

	private static int slot(long slice) {
		return (int) Math.floorMod(slice, (long) SLOTS);
	}

	@Override
	public String toString() {
		return "RetryBudget[" + this.config + "]";
	}

}

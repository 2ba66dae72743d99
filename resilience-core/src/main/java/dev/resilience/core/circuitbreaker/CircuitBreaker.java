package dev.resilience.core.circuitbreaker;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import dev.resilience.core.CheckedSupplier;
import dev.resilience.core.ExceptionClassifier;
import dev.resilience.core.circuitbreaker.internal.RateThresholds;
import dev.resilience.core.circuitbreaker.internal.SlidingWindow;
import dev.resilience.core.circuitbreaker.internal.WindowCounts;
import dev.resilience.core.time.Ticker;

/**
 * A circuit breaker: lets calls through while the recent ones mostly succeed, refuses
 * them for a while once too many fail or are slow, then lets a few probes decide whether
 * to close again.
 * <p>
 * The breaker is one {@link AtomicReference} to a state object whose kind never changes
 * ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}, {@code FORCED_OPEN},
 * {@code DISABLED}); every transition installs a new object by compare-and-set and the
 * listener hears of it afterwards, outside any lock, with its exceptions caught. Each
 * state object is also the {@link Permit} it hands out, so admitting a call allocates
 * nothing, and an outcome reported on a permit whose state is no longer current (a call
 * admitted while closed that ends after the breaker opened) is not recorded.
 * <p>
 * {@code OPEN} lasts one open period of {@link Ticker} time; the move to
 * {@code HALF_OPEN} happens lazily, when a call arrives or the state is read at or after
 * that instant. {@code CLOSED} opens when its window trips (a failure or slow-call rate at
 * or above its threshold over at least {@code minimumCalls}), or after
 * {@code consecutiveFailureThreshold} failures in a row without a success between them,
 * whatever the window holds: a dependency that fails every call is cut off within a few
 * calls, not after half a window. {@code HALF_OPEN} admits exactly {@code halfOpenCalls} probes; when all
 * have completed, a failure or slow-call rate of the probes at or above its threshold
 * opens the breaker again, otherwise it closes with an empty window.
 * <p>
 * <b>Open periods.</b> The first open period is {@code openDuration}. When the probes
 * fail, the breaker opens again for the previous period times
 * {@code openDurationMultiplier}, at most {@code maxOpenDuration}: a short outage is
 * probed again soon, a long one rarely. The period is part of the open state object, so
 * {@link CallNotPermittedException#retryAfter()} and {@link #timeUntilHalfOpen()} always
 * tell the period in force.
 * <p>
 * <b>Flapping.</b> Closing does not forget the growth at once. A breaker that opens again
 * less than {@code maxOpenDuration} after its probes closed it opens for the last period
 * times the multiplier, as if those probes had failed: a dependency that passes a few
 * probes but fails again under full load is given longer and longer rests instead of a
 * burst of traffic every {@code openDuration}. A breaker that has stayed closed for
 * {@code maxOpenDuration} opens for {@code openDuration} again. The closed state keeps
 * what it needs for this in two final fields, read only when the window trips.
 * <p>
 * <b>Operators.</b> {@link #transitionTo} and {@link #reset()} start afresh: after them the
 * next opening lasts {@code openDuration}, whatever the period had grown to ({@code OPEN}
 * itself lasts {@code openDuration}; probes of an operator's {@code HALF_OPEN} that fail
 * open it for {@code openDuration}; leaving {@code FORCED_OPEN} or {@code DISABLED} for
 * {@code CLOSED} keeps no memory of earlier openings).
 */
public final class CircuitBreaker {

	private static final System.Logger LOGGER = System.getLogger(CircuitBreaker.class.getName());

	private final String name;

	private final CircuitBreakerConfig config;

	private final Ticker ticker;

	private final CircuitBreakerListener listener;

	private final RateThresholds thresholds;

	private final long slowCallNanos;

	private final int consecutiveFailureThreshold;

	/** The first open period. */
	private final long openNanos;

	/** The longest open period; also how long a closed breaker remembers the growth. */
	private final long maxOpenNanos;

	private final double openMultiplier;

	/** {@code null} when nothing is ignored: an empty classifier would accept everything. */
	private final ExceptionClassifier ignored;

	private final ExceptionClassifier recorded;

	private final LongAdder notPermittedCalls = new LongAdder();

	private final State forcedOpen = new ForcedOpen();

	private final State disabled = new Disabled();

	private final AtomicReference<State> state;

	private CircuitBreaker(String name, CircuitBreakerConfig config, Ticker ticker, CircuitBreakerListener listener) {
		this.name = Objects.requireNonNull(name, "name must not be null");
		this.config = Objects.requireNonNull(config, "config must not be null");
		this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
		this.listener = Objects.requireNonNull(listener, "listener must not be null");
		this.thresholds = RateThresholds.of(config);
		this.slowCallNanos = saturatedNanos(config.slowCallDuration());
		this.consecutiveFailureThreshold = config.consecutiveFailureThreshold();
		this.openNanos = saturatedNanos(config.openDuration());
		this.maxOpenNanos = saturatedNanos(config.maxOpenDuration());
		this.openMultiplier = config.openDurationMultiplier();
		this.ignored = config.ignore().isEmpty() ? null : ExceptionClassifier.of(config.ignore(), List.of());
		this.recorded = ExceptionClassifier.of(config.recordOn(), List.of());
		this.state = new AtomicReference<>(new Closed(0, 0));
	}

	/**
	 * @param name the breaker's name, as metrics and the actuator show it
	 * @param config its settings
	 * @return a closed breaker on the system ticker, without a listener
	 */
	public static CircuitBreaker of(String name, CircuitBreakerConfig config) {
		return new CircuitBreaker(name, config, Ticker.system(), CircuitBreakerListener.NOOP);
	}

	/**
	 * @param name the breaker's name, as metrics and the actuator show it
	 * @param config its settings
	 * @param ticker the time source of the open state, call durations and a time window
	 * @param listener receives transitions and call outcomes
	 * @return a closed breaker
	 */
	public static CircuitBreaker of(String name, CircuitBreakerConfig config, Ticker ticker,
			CircuitBreakerListener listener) {
		return new CircuitBreaker(name, config, ticker, listener);
	}

	/**
	 * @return the breaker's name
	 */
	public String name() {
		return name;
	}

	/**
	 * @return the breaker's settings
	 */
	public CircuitBreakerConfig config() {
		return config;
	}

	/**
	 * @return the clock the breaker times its calls and open periods with
	 */
	public Ticker ticker() {
		return ticker;
	}

	/**
	 * Admits one call or refuses it. An admitted call must report exactly one outcome on
	 * the returned permit.
	 * @return the permit of the admitted call
	 * @throws CallNotPermittedException when open (carrying the time until half-open),
	 * forced open, or half-open with every probe slot taken (both carrying zero)
	 */
	public Permit acquirePermission() {
		for (;;) {
			Permit permit = state.get().acquire();
			if (permit != null) {
				return permit;
			}
			// The state moved on (an open breaker became half-open): ask the new one.
		}
	}

	/**
	 * Runs a call through the breaker: acquires a permit, runs the call, records its
	 * outcome with its duration from the ticker and returns or rethrows it unchanged.
	 * @param call the protected call
	 * @param <T> the result type
	 * @return the call's result
	 * @throws CallNotPermittedException when the breaker refuses the call
	 * @throws Throwable whatever the call throws
	 */
	public <T> T execute(CheckedSupplier<T> call) throws Throwable {
		Permit permit = acquirePermission();
		long start = ticker.read();
		T result;
		try {
			result = call.get();
		}
		catch (Throwable error) {
			long end = ticker.read();
			permit.onError(end - start, end, error);
			throw error;
		}
		long end = ticker.read();
		permit.onSuccess(end - start, end);
		return result;
	}

	/**
	 * @return the current state; reading it once the open period has passed moves an open
	 * breaker to half-open
	 */
	public CircuitBreakerState state() {
		return currentState().kind;
	}

	/**
	 * Moves the breaker to a state at once, as an operator would. Every call installs a
	 * fresh state and forgets how far the open period had grown: {@code CLOSED} with an
	 * empty window, {@code OPEN} for {@code openDuration}, {@code HALF_OPEN} with all
	 * probe slots free (failing probes open it for {@code openDuration}). Outcomes of calls
	 * admitted before are not recorded. The listener hears of it when the state changes.
	 * @param target the state to move to
	 */
	public void transitionTo(CircuitBreakerState target) {
		Objects.requireNonNull(target, "target must not be null");
		State next = newState(target);
		// Unconditional: an operator's decision wins over any transition racing with it.
		State previous = state.getAndSet(next);
		if (previous.kind != target) {
			notifyTransition(previous.kind, target);
		}
	}

	/**
	 * Opens the breaker on outcomes seen elsewhere, by the same dependency's breakers in
	 * other processes. A closed breaker opens as if its own window had just tripped, for the
	 * open period a tripped window would give it (longer while the growth of a recent
	 * opening is remembered), keeping the counts its window holds. A half-open breaker opens
	 * as if its probes had failed, for the next, longer period; the outcomes of probes still
	 * running are not recorded. Does nothing in any other state: an open breaker keeps its
	 * period, and an operator's state is left alone.
	 * @return whether this call opened the breaker
	 */
	public boolean trip() {
		State current = state.get();
		if (!(current instanceof Closed) && !(current instanceof HalfOpen)) {
			return false;
		}
		long now = ticker.read();
		int trippedMinimumCalls = (current instanceof Closed) ? config.minimumCalls() : config.halfOpenCalls();
		State open = new Open(now, current.openPeriodNanos(now), current.counts(), trippedMinimumCalls);
		if (!state.compareAndSet(current, open)) {
			return false; // an outcome or an operator moved it first
		}
		notifyTransition(current.kind, CircuitBreakerState.OPEN);
		return true;
	}

	/**
	 * Keeps the breaker open while other processes probe the dependency for it. An open
	 * breaker stays open for at least {@code atLeast} from now (never less than the rest of
	 * its period); a half-open breaker that has not admitted a probe yet opens again for
	 * {@code atLeast}, keeping the period its probes would have grown from. Neither counts
	 * as a failed round of probes: the growth of the open period is unchanged. Does nothing
	 * in any other state, nor to a half-open breaker with a probe admitted.
	 * @param atLeast how long from now the breaker must stay open
	 * @return whether the breaker is open until at least then
	 */
	public boolean holdOpen(Duration atLeast) {
		long holdNanos = saturatedNanos(Objects.requireNonNull(atLeast, "atLeast must not be null"));
		if (holdNanos < 0) {
			throw new IllegalArgumentException("atLeast must not be negative but was " + atLeast);
		}
		for (;;) {
			State current = state.get();
			long now = ticker.read();
			State held;
			if (current instanceof Open) {
				Open open = (Open) current;
				if (open.remainingNanos(now) >= holdNanos) {
					return true;
				}
				held = new Open(now, open.periodNanos, holdNanos, open.tripped, open.trippedMinimumCalls);
			}
			else if (current instanceof HalfOpen && ((HalfOpen) current).untouched()) {
				HalfOpen halfOpen = (HalfOpen) current;
				held = new Open(now, halfOpen.previousOpenNanos, holdNanos, WindowCounts.EMPTY, config.halfOpenCalls());
			}
			else {
				return false;
			}
			if (state.compareAndSet(current, held)) {
				if (current.kind != CircuitBreakerState.OPEN) {
					notifyTransition(current.kind, CircuitBreakerState.OPEN);
				}
				return true;
			}
		}
	}

	/**
	 * Closes an open or half-open breaker on probes made elsewhere, by the same
	 * dependency's breakers in other processes, as if its own probes had passed: the window
	 * starts empty and the growth of the open period is remembered as after passed probes.
	 * The outcomes of its own probes still running are not recorded. Does nothing in any
	 * other state.
	 * @return whether this call closed the breaker
	 */
	public boolean pass() {
		State current = state.get();
		long previousOpenNanos;
		if (current instanceof Open) {
			previousOpenNanos = ((Open) current).periodNanos;
		}
		else if (current instanceof HalfOpen) {
			previousOpenNanos = ((HalfOpen) current).previousOpenNanos;
		}
		else {
			return false;
		}
		if (!state.compareAndSet(current, new Closed(previousOpenNanos, ticker.read()))) {
			return false; // an outcome or an operator moved it first
		}
		notifyTransition(current.kind, CircuitBreakerState.CLOSED);
		return true;
	}

	/**
	 * Closes the breaker with an empty window, forgets the growth of its open period and
	 * zeroes the count of refused calls.
	 */
	public void reset() {
		transitionTo(CircuitBreakerState.CLOSED);
		notPermittedCalls.reset();
	}

	/**
	 * @return how long until an open breaker admits probes; zero in every other state
	 */
	public Duration timeUntilHalfOpen() {
		State current = currentState();
		return current instanceof Open ? Duration.ofNanos(((Open) current).remainingNanos(ticker.read()))
				: Duration.ZERO;
	}

	/**
	 * @return while {@code OPEN}, the length of the current open period; in any other
	 * state, how long the breaker would stay open if it opened now (on failed probes when
	 * {@code HALF_OPEN}, on a tripped window when {@code CLOSED}): {@code openDuration},
	 * or longer while the growth is remembered
	 */
	public Duration currentOpenDuration() {
		return Duration.ofNanos(currentState().openPeriodNanos(ticker.read()));
	}

	/**
	 * @return a snapshot of the state and counts (see {@link CircuitBreakerMetrics})
	 */
	public CircuitBreakerMetrics metrics() {
		State current = currentState();
		WindowCounts counts = current.counts();
		int minimumCalls = current.minimumCalls();
		return new CircuitBreakerMetrics(current.kind, counts.failureRate(minimumCalls),
				counts.slowCallRate(minimumCalls), counts.calls(), counts.failedCalls(), counts.slowCalls(),
				notPermittedCalls.sum());
	}

	@Override
	public String toString() {
		return "CircuitBreaker[" + name + ", " + state.get().kind + "]";
	}

	/**
	 * The permit of one admitted call. Exactly one of its methods is called, once, per
	 * admitted call. Permits are shared by the calls admitted in the same state, so they
	 * carry no per-call data and cost nothing to hand out.
	 */
	public interface Permit {

		/**
		 * The call returned normally.
		 * @param durationNanos how long it took
		 */
		void onSuccess(long durationNanos);

		/**
		 * The call threw. Classified by {@code ignore} and {@code recordOn}; a
		 * {@code null} error counts as a failure.
		 * @param durationNanos how long it took
		 * @param error what it threw
		 */
		void onError(long durationNanos, Throwable error);

		/**
		 * The call returned normally, timed on the breaker's own {@link #ticker()}: its
		 * listener hears the reading at the call's end as well, and need not read a clock
		 * of its own to place the call in time.
		 * @param durationNanos how long it took
		 * @param endNanos the breaker's ticker reading at the call's end, or
		 * {@link CircuitBreakerListener#NO_END} for a call timed on another clock, which is
		 * {@link #onSuccess(long)}
		 */
		default void onSuccess(long durationNanos, long endNanos) {
			onSuccess(durationNanos);
		}

		/**
		 * The call threw, timed on the breaker's own {@link #ticker()}, as
		 * {@link #onSuccess(long, long)}.
		 * @param durationNanos how long it took
		 * @param endNanos the breaker's ticker reading at the call's end, or
		 * {@link CircuitBreakerListener#NO_END} for a call timed on another clock
		 * @param error what it threw
		 */
		default void onError(long durationNanos, long endNanos, Throwable error) {
			onError(durationNanos, error);
		}

		/**
		 * The call was abandoned without an outcome (cancelled): nothing is recorded and
		 * a half-open probe slot is freed for another call.
		 */
		void onCancel();

	}

	private State currentState() {
		for (;;) {
			State current = state.get();
			if (!(current instanceof Open) || ((Open) current).remainingNanos(ticker.read()) > 0) {
				return current;
			}
			((Open) current).toHalfOpen();
		}
	}

	private State newState(CircuitBreakerState kind) {
		switch (kind) {
			case CLOSED:
				return new Closed(0, 0);
			case OPEN:
				return new Open(ticker.read(), openNanos, WindowCounts.EMPTY, Integer.MAX_VALUE);
			case HALF_OPEN:
				return new HalfOpen(0);
			case FORCED_OPEN:
				return forcedOpen;
			case DISABLED:
				return disabled;
			default:
				throw new IllegalArgumentException("Unknown state " + kind);
		}
	}

	private void complete(State issuer, long durationNanos, long endNanos, boolean threw, Throwable error) {
		if (threw && ignored != null && ignored.test(error)) {
			issuer.release();
			notifyCall(CallOutcome.IGNORED, durationNanos, endNanos);
			return;
		}
		boolean failed = threw && (error == null || recorded.test(error));
		boolean slow = durationNanos >= slowCallNanos;
		State next = issuer.record(SlidingWindow.outcome(failed, slow));
		CallOutcome outcome = failed ? (slow ? CallOutcome.SLOW_FAILURE : CallOutcome.FAILURE)
				: (slow ? CallOutcome.SLOW_SUCCESS : CallOutcome.SUCCESS);
		notifyCall(outcome, durationNanos, endNanos);
		if (issuer.kind == CircuitBreakerState.HALF_OPEN) {
			notifyProbe(outcome, durationNanos, endNanos);
		}
		if (next != null) {
			notifyTransition(issuer.kind, next.kind);
		}
	}

	private CallNotPermittedException refuse(CircuitBreakerState kind, long retryAfterNanos) {
		notPermittedCalls.increment();
		notifyCall(CallOutcome.NOT_PERMITTED, 0, CircuitBreakerListener.NO_END);
		return new CallNotPermittedException(name, kind, Duration.ofNanos(retryAfterNanos));
	}

	private void notifyCall(CallOutcome outcome, long durationNanos, long endNanos) {
		try {
			if (endNanos == CircuitBreakerListener.NO_END) {
				listener.onCall(name, outcome, durationNanos);
			}
			else {
				listener.onCall(name, outcome, durationNanos, endNanos);
			}
		}
		catch (Throwable ex) {
			listenerFailed(ex);
		}
	}

	private void notifyProbe(CallOutcome outcome, long durationNanos, long endNanos) {
		try {
			if (endNanos == CircuitBreakerListener.NO_END) {
				listener.onProbe(name, outcome, durationNanos);
			}
			else {
				listener.onProbe(name, outcome, durationNanos, endNanos);
			}
		}
		catch (Throwable ex) {
			listenerFailed(ex);
		}
	}

	private void notifyTransition(CircuitBreakerState from, CircuitBreakerState to) {
		try {
			listener.onStateTransition(name, from, to);
		}
		catch (Throwable ex) {
			listenerFailed(ex);
		}
	}

	private void listenerFailed(Throwable ex) {
		if (ex instanceof VirtualMachineError) {
			throw (VirtualMachineError) ex;
		}
		LOGGER.log(System.Logger.Level.WARNING, "Listener of circuit breaker '" + name + "' failed", ex);
	}

	/**
	 * @param previousNanos an open period, or 0 for none
	 * @return the period after it: {@code openDuration} after none, else the previous one
	 * times the multiplier, at most {@code maxOpenDuration}
	 */
	private long nextOpenNanos(long previousNanos) {
		if (previousNanos == 0) {
			return openNanos;
		}
		double grown = previousNanos * openMultiplier;
		// In double: a long product could overflow; at and above the cap, the cap.
		return (grown >= maxOpenNanos) ? maxOpenNanos : Math.max(previousNanos, (long) grown);
	}

	private static long saturatedNanos(Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
	}

	/**
	 * One state of the breaker and the permit of the calls it admits.
	 */
	private abstract class State implements Permit {

		final CircuitBreakerState kind;

		State(CircuitBreakerState kind) {
			this.kind = kind;
		}

		/** @return a permit, or {@code null} when the state changed and the caller must re-read it */
		abstract Permit acquire();

		/** @return the state this outcome moved the breaker to, or {@code null} */
		State record(int outcome) {
			return null;
		}

		/** A call admitted by this state ended without an outcome to record. */
		void release() {
		}

		WindowCounts counts() {
			return WindowCounts.EMPTY;
		}

		int minimumCalls() {
			return Integer.MAX_VALUE;
		}

		/** @return the open period in force, or the one the next opening would get */
		long openPeriodNanos(long now) {
			return openNanos;
		}

		final boolean isCurrent() {
			return state.get() == this;
		}

		@Override
		public final void onSuccess(long durationNanos) {
			onSuccess(durationNanos, CircuitBreakerListener.NO_END);
		}

		@Override
		public final void onError(long durationNanos, Throwable error) {
			onError(durationNanos, CircuitBreakerListener.NO_END, error);
		}

		@Override
		public final void onSuccess(long durationNanos, long endNanos) {
			complete(this, durationNanos, endNanos, false, null);
		}

		@Override
		public final void onError(long durationNanos, long endNanos, Throwable error) {
			complete(this, durationNanos, endNanos, true, error);
		}

		@Override
		public final void onCancel() {
			release();
		}

	}

	private final class Closed extends State {

		private final SlidingWindow window = SlidingWindow.of(config, ticker);

		/** The open period before probes closed the breaker; 0 when nothing is remembered. */
		private final long previousOpenNanos;

		private final long closedAt;

		/** Failures since the last success; counted only with a consecutive-failure threshold. */
		private final AtomicInteger failuresInARow = new AtomicInteger();

		Closed(long previousOpenNanos, long closedAt) {
			super(CircuitBreakerState.CLOSED);
			this.previousOpenNanos = previousOpenNanos;
			this.closedAt = closedAt;
		}

		@Override
		Permit acquire() {
			return this;
		}

		@Override
		State record(int outcome) {
			if (!isCurrent()) {
				return null; // admitted by an earlier closed state: its window is gone
			}
			if (!window.record(outcome) && !failedInARow(outcome)) {
				return null;
			}
			long now = ticker.read();
			State open = new Open(now, openPeriodNanos(now), window.counts(), config.minimumCalls());
			// Several callers may trip the window at once; only the first transition wins.
			return state.compareAndSet(this, open) ? open : null;
		}

		/**
		 * @return whether this outcome makes {@code consecutiveFailureThreshold} failures in a
		 * row; a success (slow or not) ends the row. A success costs one volatile read while
		 * the row is empty.
		 */
		private boolean failedInARow(int outcome) {
			if (consecutiveFailureThreshold == 0) {
				return false;
			}
			if ((outcome & SlidingWindow.FAILED) != 0) {
				return failuresInARow.incrementAndGet() >= consecutiveFailureThreshold;
			}
			if (failuresInARow.get() != 0) {
				failuresInARow.set(0);
			}
			return false;
		}

		@Override
		long openPeriodNanos(long now) {
			// Reopening soon after probes closed it: those probes were wrong, keep growing.
			boolean remembered = previousOpenNanos != 0 && now - closedAt < maxOpenNanos;
			return nextOpenNanos(remembered ? previousOpenNanos : 0);
		}

		@Override
		WindowCounts counts() {
			return window.counts();
		}

		@Override
		int minimumCalls() {
			return config.minimumCalls();
		}

	}

	private final class Open extends State {

		private final long openedAt;

		/** The open period: what the next one grows from. */
		private final long periodNanos;

		/** How long after {@code openedAt} it admits probes: the period, or a hold's length. */
		private final long lengthNanos;

		private final WindowCounts tripped;

		private final int trippedMinimumCalls;

		Open(long openedAt, long periodNanos, WindowCounts tripped, int trippedMinimumCalls) {
			this(openedAt, periodNanos, periodNanos, tripped, trippedMinimumCalls);
		}

		Open(long openedAt, long periodNanos, long lengthNanos, WindowCounts tripped, int trippedMinimumCalls) {
			super(CircuitBreakerState.OPEN);
			this.openedAt = openedAt;
			this.periodNanos = periodNanos;
			this.lengthNanos = lengthNanos;
			this.tripped = tripped;
			this.trippedMinimumCalls = trippedMinimumCalls;
		}

		@Override
		Permit acquire() {
			long remaining = remainingNanos(ticker.read());
			if (remaining > 0) {
				throw refuse(CircuitBreakerState.OPEN, remaining);
			}
			toHalfOpen();
			return null;
		}

		long remainingNanos(long now) {
			// Differences of ticker readings, never absolute ones: the ticker's origin is arbitrary.
			return Math.max(0, lengthNanos - (now - openedAt));
		}

		void toHalfOpen() {
			State halfOpen = new HalfOpen(periodNanos);
			// Racing callers all see the open state expire; only one installs the half-open state.
			if (state.compareAndSet(this, halfOpen)) {
				notifyTransition(CircuitBreakerState.OPEN, CircuitBreakerState.HALF_OPEN);
			}
		}

		@Override
		WindowCounts counts() {
			return tripped;
		}

		@Override
		int minimumCalls() {
			return trippedMinimumCalls;
		}

		@Override
		long openPeriodNanos(long now) {
			return periodNanos;
		}

	}

	private final class HalfOpen extends State {

		private final int probes = config.halfOpenCalls();

		private final AtomicInteger freeSlots = new AtomicInteger(probes);

		private final AtomicInteger completed = new AtomicInteger();

		private final AtomicInteger failed = new AtomicInteger();

		private final AtomicInteger slow = new AtomicInteger();

		/** The open period before this state; 0 for an operator's half-open state. */
		private final long previousOpenNanos;

		HalfOpen(long previousOpenNanos) {
			super(CircuitBreakerState.HALF_OPEN);
			this.previousOpenNanos = previousOpenNanos;
		}

		@Override
		Permit acquire() {
			for (;;) {
				int free = freeSlots.get();
				if (free == 0) {
					throw refuse(CircuitBreakerState.HALF_OPEN, 0);
				}
				// Compare-and-set, not decrement-then-undo: of any number of racing callers
				// exactly as many succeed as there are free slots, and none goes below zero.
				if (freeSlots.compareAndSet(free, free - 1)) {
					return this;
				}
			}
		}

		@Override
		State record(int outcome) {
			if (!isCurrent()) {
				return null;
			}
			if ((outcome & SlidingWindow.FAILED) != 0) {
				failed.incrementAndGet();
			}
			if ((outcome & SlidingWindow.SLOW) != 0) {
				slow.incrementAndGet();
			}
			// Incremented after the counts above, so the caller that completes the last probe
			// sees the outcome of every probe; only that caller decides.
			if (completed.incrementAndGet() != probes) {
				return null;
			}
			WindowCounts tally = new WindowCounts(probes, failed.get(), slow.get());
			long now = ticker.read();
			State next = thresholds.rateReached(probes, tally.failedCalls(), tally.slowCalls())
					? new Open(now, openPeriodNanos(now), tally, probes) : new Closed(previousOpenNanos, now);
			return state.compareAndSet(this, next) ? next : null;
		}

		@Override
		long openPeriodNanos(long now) {
			return nextOpenNanos(previousOpenNanos);
		}

		/** @return whether no probe has been admitted yet */
		boolean untouched() {
			return freeSlots.get() == probes && completed.get() == 0;
		}

		@Override
		void release() {
			if (isCurrent()) {
				freeSlots.incrementAndGet();
			}
		}

		@Override
		WindowCounts counts() {
			return new WindowCounts(completed.get(), failed.get(), slow.get());
		}

	}

	private final class ForcedOpen extends State {

		ForcedOpen() {
			super(CircuitBreakerState.FORCED_OPEN);
		}

		@Override
		Permit acquire() {
			throw refuse(CircuitBreakerState.FORCED_OPEN, 0);
		}

	}

	private final class Disabled extends State {

		Disabled() {
			super(CircuitBreakerState.DISABLED);
		}

		@Override
		Permit acquire() {
			return this; // outcomes still reach the listener through complete(), never a window
		}

	}

}

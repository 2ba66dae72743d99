package dev.resilience.core.circuitbreaker.fleet;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

import dev.resilience.core.circuitbreaker.CallOutcome;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.circuitbreaker.CircuitBreakerListener;
import dev.resilience.core.circuitbreaker.CircuitBreakerState;
import dev.resilience.core.circuitbreaker.SlidingWindowType;
import dev.resilience.core.circuitbreaker.internal.RateThresholds;

/**
 * Opens a process's circuit breakers on the outcomes of the whole fleet: every process
 * adds its breakers' outcomes to a {@link FleetOutcomeStore}, bucket by bucket, and opens
 * a closed breaker when the fleet's recent outcomes reach that breaker's thresholds.
 * <p>
 * A breaker sees only its own process's calls. In a fleet of many small processes each
 * sees a trickle: at 0.4 calls a second, 20 calls (the default minimum) take 50 s, so a
 * dependency that fails every call keeps receiving the fleet's traffic for most of a
 * minute. The same dependency's failures reach the fleet's counts within a bucket, and
 * every member opens at its next exchange.
 * <h2>What is shared, and what stays local</h2>
 * Each process keeps its own breaker: its own window, its own open period and growth, and
 * every call is admitted or refused locally, without waiting for the store. What the fleet
 * shares is the opening and the probing.
 * <ul>
 * <li><b>Opening.</b> A closed breaker opens, as if its window had tripped, when the fleet's
 * recent calls reach its thresholds.</li>
 * <li><b>Probing.</b> The fleet holds the breakers it opened, instead of letting every
 * process probe a dependency that may still be down: at each exchange a held breaker is
 * kept open for two more intervals ({@link CircuitBreaker#holdOpen}), unless its process is
 * drawn to probe. In the first round after the opening each process is drawn with a chance
 * of at least {@link #FIRST_ROUND_PROBERS}, enough to let much of the traffic through at once
 * if the dependency is already well again; once the fleet's probes have failed, with a
 * chance equal to its part of the fleet's calls while its breaker was closed, so about one
 * process per interval probes. A drawn process's breaker goes half-open when its period
 * runs out and sends its own probes. A held breaker also probes on its own once the fleet
 * holds no longer: when calls that were no probes, of members whose breakers are closed,
 * started two intervals or more after it opened and stay below its thresholds (a member
 * that opened again after the fleet's probes passed would otherwise wait for a draw sized
 * for a whole fleet waiting, with no prober left to close it). Every probe's outcome reaches the store with the calls.
 * A held or half-open breaker closes ({@link CircuitBreaker#pass}) when the fleet's newest
 * {@code halfOpenCalls} probes that started after it opened stay below its thresholds; a
 * half-open one opens again, as if its probes had failed, when the fleet's newest probes
 * since it went half-open fail, or when the fleet's newest {@code minimumCalls} calls since
 * then trip (a process that sees a call every few seconds would take most of a minute to
 * send its own probes). For this an exchange moves an open breaker whose period has passed
 * to half-open itself, without waiting for a call. A breaker that opened on its own
 * outcomes, not the fleet's, probes on its own.</li>
 * </ul>
 * An exchange happens every bucket ({@code syncInterval}), on a thread of the caller's
 * choosing ({@link #sync()}), never on a protected call's thread, which pays only for
 * counting its outcome.
 * <h2>Early exchanges</h2>
 * Given an {@link ExchangeScheduler} ({@link #exchangeEarlyWith}), a failed or slow call,
 * and every probe, brings its breaker's next exchange forward: it runs a fifth of an
 * interval after the last one, or at once if that is past, at most
 * {@link #EARLY_EXCHANGES_PER_INTERVAL} times between two scheduled exchanges. With
 * exchanges on schedule only, an outcome reaches the store at its process's next exchange
 * and the other processes at theirs, up to two intervals later; a slowdown that the fleet
 * sees at once would wait half a second at the default interval before any breaker opened,
 * and every call sent meanwhile joins the dependency's queue. Early, every process that sees
 * a failure adds it within a fifth of an interval and reads the fleet's counts back in the
 * same exchange, so the processes that see the failures open first, as soon as the fleet's
 * counts reach the thresholds; a process whose breaker opens on its own failures adds them
 * at once, and a probe's verdict reaches the held processes sooner. A process whose calls
 * succeed exchanges on schedule only, and one that sees failures in every interval at most
 * three times an interval.
 * <h2>The fleet's window</h2>
 * The fleet's outcomes are counted in buckets of {@code syncInterval}, each outcome in the
 * bucket its call started in: a call that times out counts where it began, so the calls
 * since an instant are exactly those that started after it (an outcome of a call that
 * started more than the window's reach before it ended is not counted). For a breaker with a
 * count window of {@code n} calls the decision takes the newest buckets, newest first,
 * until they hold at least {@code n} calls, within the last {@link #COUNT_WINDOW_HORIZON};
 * with a time window of {@code n} seconds, the buckets of the last {@code n} seconds. It
 * opens the breaker when those hold at least {@code minimumCalls} calls and the failure or
 * slow-call rate reaches its threshold, the breaker's own thresholds. Buckets that started
 * before the breaker last closed or went half-open are left out: the failures that opened
 * the breaker once do not open it again after its probes passed, nor cut its probes short.
 * <h2>What an exchange reads</h2>
 * An exchange adds to and reads only the buckets a call may still end in: as far back as
 * {@link #MIN_READ_REACH} or the longest call this process saw lately, plus two intervals;
 * older buckets no longer change and are taken from what earlier exchanges read.
 * <h2>When the store fails</h2>
 * The breaker goes on deciding on its own outcomes; the exchange's outcomes may or may not
 * have been counted and are not sent again. Nobody renews a hold, so a held breaker probes
 * on its own once its hold runs out. {@link #view} tells the last failure.
 */
public final class CircuitBreakerFleet implements CircuitBreakerListener {

	/** How far back the fleet's window of a count-window breaker reaches at most. */
	public static final Duration COUNT_WINDOW_HORIZON = Duration.ofSeconds(10);

	/** The bucket length and exchange interval unless another is chosen. */
	public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofMillis(250);

	private static final int UNDECIDED = 0;

	private static final int PASSED = 1;

	private static final int FAILED = 2;

	/**
	 * At least this part of the fleet probes in the first round after the fleet opened its
	 * breakers: enough to let most of the traffic through at once when the dependency is
	 * already well again, little enough not to flood it when it is not.
	 */
	public static final double FIRST_ROUND_PROBERS = 0.25;

	/**
	 * How far back every exchange reads at least: calls that end within this of their start
	 * reach every process, whatever the length of its own calls.
	 */
	public static final Duration MIN_READ_REACH = Duration.ofSeconds(3);

	/** How long the longest call seen is remembered when deciding how many buckets to read: one to two of these. */
	private static final long LONGEST_CALL_MEMORY_MILLIS = 60_000;

	/**
	 * How many early exchanges a breaker makes at most between two scheduled ones
	 * ({@link #exchangeEarlyWith}): a process whose calls keep failing exchanges at most
	 * three times an interval.
	 */
	public static final int EARLY_EXCHANGES_PER_INTERVAL = 2;

	/** An early exchange comes this part of an interval after the last exchange at the soonest. */
	private static final int EARLY_EXCHANGE_GAP_DIVISOR = 5;

	/** How often, at least, a held process without calls of its own is drawn to probe. */
	public static final Duration IDLE_PROBE_INTERVAL = Duration.ofMinutes(1);

	private static final System.Logger LOGGER = System.getLogger(CircuitBreakerFleet.class.getName());

	private final FleetOutcomeStore store;

	private final InstantSource clock;

	private final long bucketMillis;

	private final ConcurrentMap<String, Member> members = new ConcurrentHashMap<>();

	/** Draws which processes probe; used by {@link #sync()} only, on one thread at a time. */
	private final RandomGenerator random;

	/** How long a held breaker is kept open at each exchange: two exchanges' worth. */
	private final Duration hold;

	/** The soonest an early exchange follows the last exchange, in millis. */
	private final long earlyGapMillis;

	/** Runs early exchanges; {@code null} when there are none. */
	private volatile ExchangeScheduler earlyScheduler;

	private CircuitBreakerFleet(FleetOutcomeStore store, InstantSource clock, Duration syncInterval,
			RandomGenerator random) {
		this.store = Objects.requireNonNull(store, "store must not be null");
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
		this.random = Objects.requireNonNull(random, "random must not be null");
		Objects.requireNonNull(syncInterval, "syncInterval must not be null");
		if (syncInterval.toMillis() <= 0) {
			throw new IllegalArgumentException("syncInterval must be at least 1ms but was " + syncInterval);
		}
		this.bucketMillis = syncInterval.toMillis();
		this.hold = Duration.ofMillis(2 * bucketMillis);
		this.earlyGapMillis = earlyExchangeGap(syncInterval).toMillis();
	}

	/**
	 * @param store where the fleet adds up its outcomes
	 * @param clock the wall clock that keys buckets; every process's must agree to well
	 * within {@code syncInterval}
	 * @param syncInterval the bucket length, and how often {@link #sync()} should run
	 * @return a fleet without members
	 */
	public static CircuitBreakerFleet create(FleetOutcomeStore store, InstantSource clock, Duration syncInterval) {
		return new CircuitBreakerFleet(store, clock, syncInterval, new SplittableRandom());
	}

	/**
	 * @param store where the fleet adds up its outcomes
	 * @param clock the wall clock that keys buckets; every process's must agree to well
	 * within {@code syncInterval}
	 * @param syncInterval the bucket length, and how often {@link #sync()} should run
	 * @param random draws whether this process probes while the fleet holds its breakers
	 * open; {@link #sync()} alone uses it
	 * @return a fleet without members
	 */
	public static CircuitBreakerFleet create(FleetOutcomeStore store, InstantSource clock, Duration syncInterval,
			RandomGenerator random) {
		return new CircuitBreakerFleet(store, clock, syncInterval, random);
	}

	/**
	 * @return the bucket length, the interval {@link #sync()} is meant to run at
	 */
	public Duration syncInterval() {
		return Duration.ofMillis(bucketMillis);
	}

	/**
	 * @param syncInterval an exchange interval
	 * @return the soonest an early exchange follows the last exchange at that interval: a
	 * fifth of it, at least 1 ms
	 */
	public static Duration earlyExchangeGap(Duration syncInterval) {
		return Duration.ofMillis(Math.max(1, syncInterval.toMillis() / EARLY_EXCHANGE_GAP_DIVISOR));
	}

	/**
	 * Lets failed and slow calls, and probes, bring their breaker's next exchange forward
	 * (see "Early exchanges" above), from now on.
	 * @param scheduler runs a breaker's early exchange after a delay, on a thread that is no
	 * protected call's (the one that runs {@link #sync()} will do); {@code null} for exchanges
	 * on schedule only, the default
	 */
	public void exchangeEarlyWith(ExchangeScheduler scheduler) {
		this.earlyScheduler = scheduler;
	}

	/**
	 * Shares a breaker's outcomes with the fleet from now on. The breaker must report its
	 * calls to this fleet, as one of its listeners.
	 * @param breaker the breaker; a second breaker of the same name replaces the first
	 */
	public void join(CircuitBreaker breaker) {
		Objects.requireNonNull(breaker, "breaker must not be null");
		members.put(breaker.name(), new Member(breaker));
	}

	/**
	 * @param name a breaker's name
	 * @return whether that breaker shares its outcomes
	 */
	public boolean isMember(String name) {
		return members.containsKey(name);
	}

	/**
	 * @param name a breaker's name
	 * @return what this process last learned from the fleet about it, empty when it is
	 * not a member
	 */
	public Optional<FleetView> view(String name) {
		Member member = members.get(name);
		return (member != null) ? Optional.of(member.view) : Optional.empty();
	}

	@Override
	public void onCall(String name, CallOutcome outcome, long durationNanos) {
		Member member = members.get(name);
		if (member != null) {
			member.record(outcome, durationNanos);
		}
	}

	@Override
	public void onCall(String name, CallOutcome outcome, long durationNanos, long endNanos) {
		Member member = members.get(name);
		if (member != null) {
			member.record(outcome, durationNanos, endNanos);
		}
	}

	@Override
	public void onProbe(String name, CallOutcome outcome, long durationNanos) {
		Member member = members.get(name);
		if (member != null) {
			member.probed(outcome, durationNanos);
		}
	}

	@Override
	public void onProbe(String name, CallOutcome outcome, long durationNanos, long endNanos) {
		Member member = members.get(name);
		if (member != null) {
			member.probed(outcome, durationNanos, endNanos);
		}
	}

	@Override
	public void onStateTransition(String name, CircuitBreakerState from, CircuitBreakerState to) {
		Member member = members.get(name);
		if (member != null) {
			member.transitioned(to);
		}
	}

	/**
	 * Exchanges every member's outcomes with the store, opens the closed and half-open
	 * breakers whose fleet's window trips, and holds, closes or reopens the breakers whose
	 * probing the fleet shares. Meant to run every {@link #syncInterval()}; calls that overlap
	 * (an operator's beside the scheduled one) take turns per member. A failing store is
	 * logged and remembered in the views, never thrown.
	 */
	public void sync() {
		for (Member member : members.values()) {
			member.sync();
		}
	}

	/**
	 * Runs the early exchanges of a fleet's breakers ({@link #exchangeEarlyWith}).
	 */
	@FunctionalInterface
	public interface ExchangeScheduler {

		/**
		 * Runs {@code exchange} once, after {@code delayMillis}, on a thread that is no
		 * protected call's. Called on the thread of the call that failed, so it must not
		 * block; it may throw {@link RejectedExecutionException} once it no longer runs
		 * anything (the application is stopping), and the exchange is then dropped.
		 * @param exchange one breaker's exchange; it takes turns with {@link #sync()}
		 * @param delayMillis how long to wait first, 0 for at once
		 */
		void schedule(Runnable exchange, long delayMillis);

	}

	private final class Member {

		private final CircuitBreaker breaker;

		private final RateThresholds thresholds;

		/** How many buckets an exchange reads. */
		private final int buckets;

		/** For a count window, the calls it holds; 0 for a time window. */
		private final long windowCalls;

		/**
		 * This process's outcomes not yet sent, by the bucket their calls started in: the
		 * tally of bucket {@code b} sits at {@code b & (length - 1)}, replaced by a newer
		 * bucket's when that one comes round; the ring is longer than an exchange reads, so
		 * no bucket an exchange reads is replaced.
		 */
		private final AtomicReferenceArray<Tally> unsent;

		/** The bucket most calls start in, kept to spare them a division. */
		private volatile Tally latest = new Tally(Long.MIN_VALUE, Long.MAX_VALUE);

		/** Buckets that start before this instant (epoch millis) are not counted. */
		private volatile long countFrom = Long.MIN_VALUE;

		private volatile FleetView view = FleetView.NONE;

		private boolean failing;

		/**
		 * Whether the fleet opened the breaker and coordinates its probing until it closes:
		 * it holds the breaker open unless this process was drawn to probe, and closes it when
		 * the fleet's probes pass.
		 */
		private volatile boolean coordinated;

		/** Whether the fleet's probes failed since it opened the breaker: the first round is over. */
		private volatile boolean probesFailed;

		/** Whether the draw of the first round after the fleet opened the breaker was made. */
		private boolean firstRoundDrawn;

		/**
		 * Whether this process probes, drawn to or released once other members call freely,
		 * until its breaker next opens or closes.
		 */
		private volatile boolean probing;

		/** Set while the exchange itself holds the breaker open: that opening is no new one. */
		private volatile boolean holding;

		/** When the breaker last opened (epoch millis); probes that ended before do not close it. */
		private volatile long openedAt = Long.MIN_VALUE;

		/**
		 * This process's part of the fleet's calls while its breaker was last closed, in
		 * [0, 1]; 1 until known. Drawn against at every exchange while held, so the fleet
		 * sends about one prober per exchange interval.
		 */
		private double share = 1;

		/**
		 * The fleet's totals of the buckets the exchanges read, by bucket: buckets older than
		 * an exchange reads are taken from here. Slot as in {@link #unsent}.
		 */
		private final OutcomeCounts[] known;

		private final long[] knownBucket;

		/**
		 * The clock's epoch millis less the breaker's ticker reading in millis, taken when
		 * the member joined and at every exchange.
		 */
		private volatile long tickerOffsetMillis;

		/** The longest call this process saw since {@link #longestSince}, in nanoseconds. */
		private volatile long longestNanos;

		/** The longest call of the period before, so that a long call is remembered for one to two periods. */
		private long longestBefore;

		private long longestSince = Long.MIN_VALUE;

		/** Taken by {@link #sync()}: overlapping syncs take turns. */
		private final ReentrantLock exchanging = new ReentrantLock();

		/** Set while an early exchange is scheduled and has not started. */
		private final AtomicBoolean earlyScheduled = new AtomicBoolean();

		/** Early exchanges since the last scheduled one; written under {@link #exchanging}. */
		private volatile int earlySinceScheduled;

		/** When the last exchange started (epoch millis); before any, none. */
		private volatile long lastExchangeMillis = Long.MIN_VALUE;

		/** Exchanges tried with the store, and of those early ones; written under {@link #exchanging}. */
		private long tried;

		private long triedEarly;

		/** The bucket of the last exchange that reckoned this process's share of the calls. */
		private long lastShareBucket = Long.MIN_VALUE;

		/** The bucket of the last exchange that succeeded; before any, none. */
		private long lastExchanged = Long.MIN_VALUE;

		/**
		 * The calls this process sent in its last exchanges, one slot per bucket with an
		 * exchange (an early exchange adds to the slot of the bucket's first).
		 */
		private final long[] sent;

		/** Slots of {@link #sent} filled so far. */
		private long sentSlots;

		Member(CircuitBreaker breaker) {
			this.breaker = breaker;
			CircuitBreakerConfig config = breaker.config();
			this.thresholds = RateThresholds.of(config);
			long horizonMillis;
			if (config.slidingWindowType() == SlidingWindowType.TIME) {
				horizonMillis = config.slidingWindowSize() * 1000L;
				this.windowCalls = 0;
			}
			else {
				horizonMillis = COUNT_WINDOW_HORIZON.toMillis();
				this.windowCalls = config.slidingWindowSize();
			}
			this.buckets = (int) Math.max(1, Math.min(3600, (horizonMillis + bucketMillis - 1) / bucketMillis));
			this.unsent = new AtomicReferenceArray<>(Integer.highestOneBit(buckets + 2) * 2);
			this.sent = new long[buckets];
			this.known = new OutcomeCounts[unsent.length()];
			this.knownBucket = new long[unsent.length()];
			Arrays.fill(knownBucket, Long.MIN_VALUE);
			measureTickerOffset();
		}

		/**
		 * @return how many of the newest buckets an exchange adds to and reads: those a call
		 * may still end in, as far back as the longest call this process saw lately (at least
		 * {@link #MIN_READ_REACH}) plus two exchanges (the adding process's and this one's)
		 * and the current bucket, widened by the exchanges missed since the last one; older
		 * buckets no longer change, and are taken from what earlier exchanges read. The first
		 * exchange, and one after the clock went back, read them all; an early exchange in the
		 * bucket of the last one reads no more than that one.
		 */
		private int bucketsToRead(long now, long bucket) {
			if (now - longestSince >= LONGEST_CALL_MEMORY_MILLIS || now < longestSince) {
				longestBefore = longestNanos;
				longestNanos = 0;
				longestSince = now;
			}
			if (lastExchanged == Long.MIN_VALUE || bucket < lastExchanged) {
				return buckets;
			}
			long reachMillis = Math.max(MIN_READ_REACH.toMillis(), Math.max(longestBefore, longestNanos) / 1_000_000);
			// Exchanges missed since the last one widen the read by as many buckets.
			// An early exchange in the bucket of the last one reads as much as that one did.
			long reach = (reachMillis + bucketMillis - 1) / bucketMillis + 3 + Math.max(0, bucket - lastExchanged - 1);
			return (int) Math.min(buckets, reach);
		}

		/**
		 * @return the fleet's totals of all the buckets a decision looks at, oldest first:
		 * the ones just read, and older ones as earlier exchanges read them
		 */
		private List<OutcomeCounts> remember(long bucket, List<OutcomeCounts> read) {
			int first = buckets - read.size();
			OutcomeCounts[] all = new OutcomeCounts[buckets];
			for (int i = 0; i < buckets; i++) {
				long index = bucket - buckets + 1 + i;
				int slot = (int) (index & (known.length - 1));
				if (i >= first) {
					known[slot] = read.get(i - first);
					knownBucket[slot] = index;
				}
				all[i] = (knownBucket[slot] == index) ? known[slot] : OutcomeCounts.EMPTY;
			}
			return Arrays.asList(all);
		}

		void transitioned(CircuitBreakerState to) {
			if (to == CircuitBreakerState.CLOSED || to == CircuitBreakerState.HALF_OPEN) {
				countFrom = clock.millis();
			}
			if (to == CircuitBreakerState.CLOSED) {
				coordinated = false;
				probing = false;
				probesFailed = false;
				firstRoundDrawn = false;
			}
			else if (to == CircuitBreakerState.OPEN && !holding) {
				openedAt = clock.millis();
				probing = false;
			}
		}

		void probed(CallOutcome outcome, long durationNanos) {
			countProbe(outcome, clock.millis() - durationNanos / 1_000_000);
		}

		void probed(CallOutcome outcome, long durationNanos, long endNanos) {
			countProbe(outcome, startMillis(durationNanos, endNanos));
		}

		private void countProbe(CallOutcome outcome, long started) {
			Tally tally = tally(Math.floorDiv(started, bucketMillis));
			if (tally != null) {
				tally.addProbe(outcome);
			}
			exchangeSoon(); // passed or failed, the fleet's held breakers wait for its verdict
		}

		/**
		 * @return when a call timed on the breaker's ticker started, in epoch millis: its
		 * start's reading moved by the ticker's offset from the clock, taken at the last
		 * exchange, so that a call costs no clock read of its own (on a 2-core test machine a
		 * third read, after the breaker's two, cost a call about 120 ns with two threads
		 * sharing the breaker)
		 */
		private long startMillis(long durationNanos, long endNanos) {
			return Math.floorDiv(endNanos - durationNanos, 1_000_000) + tickerOffsetMillis;
		}

		/** Takes the ticker's offset from the clock again: the two may drift apart. */
		private void measureTickerOffset() {
			tickerOffsetMillis = clock.millis() - Math.floorDiv(breaker.ticker().read(), 1_000_000);
		}

		void record(CallOutcome outcome, long durationNanos) {
			if (outcome == CallOutcome.NOT_PERMITTED || outcome == CallOutcome.IGNORED) {
				return; // not an outcome of the dependency
			}
			count(outcome, durationNanos, clock.millis() - durationNanos / 1_000_000);
		}

		void record(CallOutcome outcome, long durationNanos, long endNanos) {
			if (outcome == CallOutcome.NOT_PERMITTED || outcome == CallOutcome.IGNORED) {
				return; // not an outcome of the dependency
			}
			count(outcome, durationNanos, startMillis(durationNanos, endNanos));
		}

		private void count(CallOutcome outcome, long durationNanos, long started) {
			if (durationNanos > longestNanos) {
				longestNanos = durationNanos; // racy: a longer call lost to a race shows again
			}
			Tally tally = latest;
			if (started - tally.startMillis >= bucketMillis || started < tally.startMillis) {
				tally = tally(Math.floorDiv(started, bucketMillis));
				if (tally == null) {
					return; // started before the oldest bucket an exchange reads
				}
			}
			tally.add(outcome);
			if (outcome != CallOutcome.SUCCESS) {
				exchangeSoon();
			}
		}

		/**
		 * After a failed or slow call, or any probe: schedules an early exchange unless one is
		 * scheduled already or this interval's are spent. The call that opens the breaker on its
		 * own outcomes counts too: its process's failures then reach the fleet at once.
		 */
		private void exchangeSoon() {
			ExchangeScheduler scheduler = earlyScheduler;
			if (scheduler == null || earlySinceScheduled >= EARLY_EXCHANGES_PER_INTERVAL
					|| !earlyScheduled.compareAndSet(false, true)) {
				return;
			}
			long last = lastExchangeMillis;
			long delay = (last == Long.MIN_VALUE) ? 0 : Math.max(0, last + earlyGapMillis - clock.millis());
			try {
				scheduler.schedule(this::exchangeEarly, Math.min(delay, earlyGapMillis));
			}
			catch (RejectedExecutionException ex) {
				earlyScheduled.set(false); // stopping: the exchanges on schedule have ended too
			}
			catch (RuntimeException ex) {
				// Thrown on, it would reach the protected call that failed; the exchange on
				// schedule still comes, and the next failure asks again.
				earlyScheduled.set(false);
				LOGGER.log(System.Logger.Level.WARNING, "Could not schedule an early exchange of circuit breaker '"
						+ breaker.name() + "'", ex);
			}
		}

		private void exchangeEarly() {
			exchanging.lock();
			try {
				// Cleared first: a failure during this exchange may schedule the next one.
				earlyScheduled.set(false);
				if (earlySinceScheduled >= EARLY_EXCHANGES_PER_INTERVAL) {
					return;
				}
				earlySinceScheduled++;
				exchange(true);
			}
			finally {
				exchanging.unlock();
			}
		}

		/** @return the tally of a bucket, made when its slot holds an older one; null for a bucket too old */
		private Tally tally(long bucket) {
			int slot = (int) (bucket & (unsent.length() - 1));
			for (;;) {
				Tally current = unsent.get(slot);
				if (current != null && current.bucket == bucket) {
					return current;
				}
				if (current != null && current.bucket > bucket) {
					return null;
				}
				Tally fresh = new Tally(bucket, bucket * bucketMillis);
				if (unsent.compareAndSet(slot, current, fresh)) {
					if (fresh.bucket > latest.bucket) {
						latest = fresh;
					}
					return fresh;
				}
			}
		}

		void sync() {
			// A lock, not synchronized: the exchange waits on the store, which would pin a
			// virtual thread's carrier inside a monitor.
			exchanging.lock();
			try {
				earlySinceScheduled = 0;
				exchange(false);
			}
			finally {
				exchanging.unlock();
			}
		}

		private void exchange(boolean early) {
			tried++;
			if (early) {
				triedEarly++;
			}
			measureTickerOffset();
			long now = clock.millis();
			lastExchangeMillis = now;
			long bucket = Math.floorDiv(now, bucketMillis);
			int read = bucketsToRead(now, bucket);
			List<OutcomeCounts> added = takeUnsent(bucket, read);
			List<OutcomeCounts> fleet;
			try {
				fleet = remember(bucket, store.exchange(breaker.name(), bucketMillis, bucket, added, read));
				lastExchanged = bucket;
			}
			catch (Throwable ex) {
				if (ex instanceof VirtualMachineError error) {
					throw error;
				}
				// Whatever else the store throws, a driver's missing class included, is a
				// failed exchange: thrown on, it would skip the other members' exchanges.
				failed(ex);
				return;
			}
			if (failing) {
				failing = false;
				LOGGER.log(System.Logger.Level.INFO, "The fleet's outcomes of circuit breaker '" + breaker.name()
						+ "' can be exchanged again");
			}
			// Reading the state moves an open breaker whose period has passed to half-open.
			CircuitBreakerState state = breaker.state();
			OutcomeCounts window = window(fleet, bucket,
					(state == CircuitBreakerState.HALF_OPEN) ? thresholds.minimumCalls() : windowCalls);
			boolean tripped = thresholds.exceeded(window.calls(), window.failedCalls(), window.slowCalls());
			long trips = view.trips();
			if (state == CircuitBreakerState.CLOSED) {
				share = share(added, fleet, bucket);
			}
			if (tripped && state != CircuitBreakerState.OPEN && breaker.trip()) {
				trips++;
				coordinated = true;
				state = CircuitBreakerState.OPEN;
			}
			if (coordinated && (state == CircuitBreakerState.OPEN || state == CircuitBreakerState.HALF_OPEN)) {
				coordinate(fleet, bucket, state);
			}
			boolean coordinating = coordinated && breaker.state() != CircuitBreakerState.CLOSED;
			view = new FleetView(window, tripped, trips, tried, triedEarly, view.failedExchanges(), clock.instant(),
					null, coordinating && !probing, coordinating && probing);
		}

		/**
		 * While the fleet holds the breaker: closes it when the fleet's newest probes since it
		 * opened pass, or else keeps it open unless this process is drawn to probe.
		 */
		private void coordinate(List<OutcomeCounts> fleet, long bucket, CircuitBreakerState state) {
			int sinceOpened = probeVerdict(fleet, bucket, openedAt);
			if (sinceOpened == PASSED) {
				breaker.pass();
				return;
			}
			if (state == CircuitBreakerState.HALF_OPEN && probeVerdict(fleet, bucket, countFrom) == FAILED) {
				probesFailed = true;
				breaker.trip(); // the fleet's probes since it went half-open failed: so would its own
				return;
			}
			if (sinceOpened == FAILED) {
				probesFailed = true;
			}
			if (probing) {
				return;
			}
			if (othersCallFreely(fleet, bucket)) {
				// Other members' breakers are closed again: the fleet no longer holds its
				// breakers, and a draw sized for a fleet that all waits could keep this one
				// open for many intervals with no probe left to close it. It probes on its own.
				probing = true;
				return;
			}
			double chance = (share > 0) ? share : (double) bucketMillis / IDLE_PROBE_INTERVAL.toMillis();
			if (!probesFailed && !firstRoundDrawn) {
				firstRoundDrawn = true;
				chance = Math.max(chance, FIRST_ROUND_PROBERS);
			}
			if (random.nextDouble() < chance) {
				probing = true; // its open period runs out, and its own probes go ahead
				return;
			}
			holding = true;
			try {
				breaker.holdOpen(hold);
			}
			finally {
				holding = false;
			}
		}

		/**
		 * @return whether the fleet's newest {@code halfOpenCalls} probes that started in
		 * the bucket of {@code from} or later passed ({@link #PASSED}), as the breaker's own
		 * would have to, or failed ({@link #FAILED}); {@link #UNDECIDED} while there are fewer.
		 * The bucket of {@code from} counts: an open period shorter than a bucket must not hide
		 * the probes that follow it in the same bucket.
		 */
		private int probeVerdict(List<OutcomeCounts> fleet, long bucket, long from) {
			int needed = breaker.config().halfOpenCalls();
			long probes = 0;
			long failed = 0;
			long slow = 0;
			for (int i = fleet.size() - 1; i >= 0 && probes < needed; i--) {
				long start = (bucket - (fleet.size() - 1 - i)) * bucketMillis;
				if (start + bucketMillis <= from) {
					break;
				}
				OutcomeCounts counts = fleet.get(i);
				probes += counts.probes();
				failed += counts.failedProbes();
				slow += counts.slowProbes();
			}
			if (probes < needed) {
				return UNDECIDED;
			}
			return thresholds.rateReached(probes, failed, slow) ? FAILED : PASSED;
		}

		/**
		 * @return whether the fleet's calls that started two intervals or more after the
		 * breaker opened hold at least {@code halfOpenCalls} that were no probes, calls of
		 * members whose breakers are closed, and those stay below the breaker's thresholds.
		 * A probe counts among the calls and among the probes of the bucket it started in,
		 * so calls less probes are the other calls. The two intervals leave out members the
		 * fleet had yet to open at their next exchange. Failing calls of closed members
		 * release nobody: they are no sign that the dependency is well, only that those
		 * members have not heard (or cannot reach the store).
		 */
		private boolean othersCallFreely(List<OutcomeCounts> fleet, long bucket) {
			if (openedAt == Long.MIN_VALUE) {
				return false;
			}
			long from = openedAt + hold.toMillis();
			long calls = 0;
			long failed = 0;
			long slow = 0;
			for (int i = fleet.size() - 1; i >= 0; i--) {
				long start = (bucket - (fleet.size() - 1 - i)) * bucketMillis;
				if (start < from) {
					break;
				}
				OutcomeCounts counts = fleet.get(i);
				calls += counts.calls() - counts.probes();
				failed += counts.failedCalls() - counts.failedProbes();
				slow += counts.slowCalls() - counts.slowProbes();
			}
			return calls >= breaker.config().halfOpenCalls()
					&& !thresholds.rateReached(calls, Math.max(0, failed), Math.max(0, slow));
		}

		/** @return this process's part of the calls of the buckets the last exchanges read */
		private double share(List<OutcomeCounts> added, List<OutcomeCounts> fleet, long bucket) {
			long mine = 0;
			for (OutcomeCounts counts : added) {
				mine += counts.calls();
			}
			if (bucket == lastShareBucket && sentSlots > 0) {
				// An early exchange in the same bucket: one slot a bucket, as the fleet's counts are.
				sent[(int) ((sentSlots - 1) % sent.length)] += mine;
			}
			else {
				sent[(int) (sentSlots++ % sent.length)] = mine;
				lastShareBucket = bucket;
			}
			long all = 0;
			for (OutcomeCounts counts : fleet) {
				all += counts.calls();
			}
			if (all == 0) {
				return share;
			}
			long recent = 0;
			for (long calls : sent) {
				recent += calls;
			}
			return Math.min(1, (double) recent / all);
		}

		/**
		 * @return the unsent outcomes of the buckets an exchange reads, oldest first, zeroed
		 * here; outcomes of calls that started before those buckets are dropped
		 */
		private List<OutcomeCounts> takeUnsent(long bucket, int read) {
			long oldest = bucket - read + 1;
			OutcomeCounts[] added = new OutcomeCounts[read];
			Arrays.fill(added, OutcomeCounts.EMPTY);
			for (int slot = 0; slot < unsent.length(); slot++) {
				Tally tally = unsent.get(slot);
				// A tally older than the buckets read is dropped when its slot is next needed.
				if (tally != null && tally.bucket >= oldest && tally.bucket <= bucket) {
					added[(int) (tally.bucket - oldest)] = tally.take();
				}
				// A bucket after this one (the clock went back): sent by a later exchange.
			}
			return Arrays.asList(added);
		}

		private OutcomeCounts window(List<OutcomeCounts> fleet, long bucket, long enoughCalls) {
			OutcomeCounts window = OutcomeCounts.EMPTY;
			long from = countFrom;
			for (int i = fleet.size() - 1; i >= 0; i--) {
				long start = (bucket - (fleet.size() - 1 - i)) * bucketMillis;
				if (start < from || (enoughCalls > 0 && window.calls() >= enoughCalls)) {
					break;
				}
				window = window.plus(fleet.get(i));
			}
			return window;
		}

		private void failed(Throwable ex) {
			view = new FleetView(view.window(), view.tripped(), view.trips(), tried, triedEarly,
					view.failedExchanges() + 1, view.lastExchange(), String.valueOf(ex.getMessage()), false, false);
			if (!failing) {
				failing = true;
				LOGGER.log(System.Logger.Level.WARNING, "Could not exchange the fleet's outcomes of circuit breaker '"
						+ breaker.name() + "'; it decides on this process's outcomes until the store answers", ex);
			}
		}

	}

	/** One bucket's outcomes of this process, counted by the calls' threads. */
	private static final class Tally {

		final long bucket;

		final long startMillis;

		private final LongAdder calls = new LongAdder();

		private final LongAdder failed = new LongAdder();

		private final LongAdder slow = new LongAdder();

		private final LongAdder probes = new LongAdder();

		private final LongAdder failedProbes = new LongAdder();

		private final LongAdder slowProbes = new LongAdder();

		Tally(long bucket, long startMillis) {
			this.bucket = bucket;
			this.startMillis = startMillis;
		}

		void add(CallOutcome outcome) {
			count(outcome, calls, failed, slow);
		}

		void addProbe(CallOutcome outcome) {
			count(outcome, probes, failedProbes, slowProbes);
		}

		private static void count(CallOutcome outcome, LongAdder all, LongAdder failed, LongAdder slow) {
			// The kind first, the call last: an exchange that reads between them sees a
			// failure or slow call without its call, and keeps it for the next one.
			if (outcome == CallOutcome.FAILURE || outcome == CallOutcome.SLOW_FAILURE) {
				failed.increment();
			}
			if (outcome == CallOutcome.SLOW_SUCCESS || outcome == CallOutcome.SLOW_FAILURE) {
				slow.increment();
			}
			all.increment();
		}

		OutcomeCounts take() {
			long c = calls.sumThenReset();
			long f = keep(failed, c);
			long s = keep(slow, c);
			long p = probes.sumThenReset();
			return new OutcomeCounts(c, f, s, p, keep(failedProbes, p), keep(slowProbes, p));
		}

		/** @return the adder's sum up to {@code whole}, which it is reset to; the rest stays for the next take */
		private static long keep(LongAdder part, long whole) {
			long sum = part.sumThenReset();
			if (sum > whole) {
				part.add(sum - whole);
				return whole;
			}
			return sum;
		}

	}

}

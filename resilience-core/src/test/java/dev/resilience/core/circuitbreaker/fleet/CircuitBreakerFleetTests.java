package dev.resilience.core.circuitbreaker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.resilience.core.circuitbreaker.CallNotPermittedException;
import dev.resilience.core.circuitbreaker.CallOutcome;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.circuitbreaker.CircuitBreakerListener;
import dev.resilience.core.circuitbreaker.CircuitBreakerState;
import dev.resilience.core.circuitbreaker.SlidingWindowType;
import dev.resilience.core.time.ManualTicker;

class CircuitBreakerFleetTests {

	private static final Duration SYNC = Duration.ofSeconds(1);

	private static final Duration OPEN = Duration.ofSeconds(5);

	/** A second boundary plus 100 ms, so that advancing by whole seconds stays inside buckets. */
	private final ManualTicker ticker = ManualTicker.startingAt(1_800_000_000_100_000_000L);

	private final InstantSource clock = () -> Instant.ofEpochSecond(0, ticker.read());

	private final InMemoryFleetOutcomeStore store = new InMemoryFleetOutcomeStore();

	private static CircuitBreakerConfig.Builder config() {
		return CircuitBreakerConfig.builder()
			.slidingWindowSize(100)
			.minimumCalls(20)
			.failureRateThreshold(50)
			.consecutiveFailureThreshold(0)
			.slowCallDuration(Duration.ofSeconds(1))
			.openDuration(OPEN)
			.maxOpenDuration(Duration.ofSeconds(30))
			.halfOpenCalls(2);
	}

	/** Draws that always pick the process to probe: each breaker probes on its own, as without coordination. */
	private static final RandomGenerator ALWAYS_PROBES = () -> 0L;

	/** Draws that never pick a process whose part of the fleet's calls is below 1. */
	private static final RandomGenerator NEVER_PROBES = () -> -1L;

	/** One process: its own fleet member and its own breaker, sharing the store. */
	private final class Process {

		final CircuitBreakerFleet fleet;

		final CircuitBreaker breaker;

		final List<String> transitions = new ArrayList<>();

		Process(CircuitBreakerConfig.Builder config) {
			this(config, ALWAYS_PROBES);
		}

		Process(CircuitBreakerConfig.Builder config, RandomGenerator draws) {
			this.fleet = CircuitBreakerFleet.create(store, clock, SYNC, draws);
			CircuitBreakerListener recording = new CircuitBreakerListener() {

				@Override
				public void onStateTransition(String name, CircuitBreakerState from, CircuitBreakerState to) {
					transitions.add(from + "->" + to);
					fleet.onStateTransition(name, from, to);
				}

				@Override
				public void onCall(String name, CallOutcome outcome, long durationNanos) {
					fleet.onCall(name, outcome, durationNanos);
				}

				@Override
				public void onProbe(String name, CallOutcome outcome, long durationNanos) {
					fleet.onProbe(name, outcome, durationNanos);
				}

			};
			this.breaker = CircuitBreaker.of("payments", config.build(), ticker, recording);
			fleet.join(breaker);
		}

		List<String> listenerTransitions() {
			return transitions;
		}

		void fail(int calls) {
			for (int i = 0; i < calls; i++) {
				breaker.acquirePermission().onError(0, new IOException("down"));
			}
		}

		void succeed(int calls) {
			for (int i = 0; i < calls; i++) {
				breaker.acquirePermission().onSuccess(0);
			}
		}

		FleetView view() {
			return fleet.view("payments").orElseThrow();
		}

	}

	/** @return a process whose breaker records every outcome and never opens */
	private Process busyProcess() {
		Process busy = new Process(config());
		busy.breaker.transitionTo(CircuitBreakerState.DISABLED);
		return busy;
	}

	/** @return a process whose breaker the fleet opened: 10 failures of its own, 10 of the busy one */
	private Process openedByTheFleet(Process busy) {
		Process quiet = new Process(config());
		quiet.fail(10);
		busy.fail(10);
		busy.fleet.sync();
		quiet.fleet.sync();
		assertThat(quiet.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		return quiet;
	}

	@Test
	void failuresTooFewForAnyOneProcessOpenEveryBreakerOfTheFleet() {
		List<Process> processes = List.of(new Process(config()), new Process(config()), new Process(config()));
		for (Process process : processes) {
			process.fail(8);
			assertThat(process.breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		}
		processes.forEach((process) -> process.fleet.sync());
		// The first two saw 8 and 16 calls, under the minimum of 20; the last saw all 24.
		assertThat(processes.get(0).breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		assertThat(processes.get(1).breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		assertThat(processes.get(2).breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		processes.forEach((process) -> process.fleet.sync());
		for (Process process : processes) {
			assertThat(process.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
			assertThat(process.breaker.timeUntilHalfOpen()).isEqualTo(OPEN);
			assertThat(process.view().window()).isEqualTo(new OutcomeCounts(24, 24, 0));
			assertThat(process.view().tripped()).isTrue();
			assertThat(process.view().trips()).isEqualTo(1);
			assertThat(process.view().lastFailure()).isNull();
		}
	}

	@Test
	void aFleetFailureRateBelowTheThresholdOpensNothing() {
		Process a = new Process(config());
		Process b = new Process(config());
		a.fail(10);
		a.succeed(5);
		b.fail(9);
		b.succeed(26);
		a.fleet.sync();
		b.fleet.sync();
		a.fleet.sync();
		assertThat(a.view().window()).isEqualTo(new OutcomeCounts(50, 19, 0));
		assertThat(a.view().tripped()).isFalse();
		assertThat(a.breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		assertThat(b.breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
	}

	@Test
	void slowCallsOfTheFleetOpenBySlowCallRate() {
		CircuitBreakerConfig.Builder config = config().slowCallRateThreshold(50);
		Process a = new Process(config);
		Process b = new Process(config);
		for (Process process : List.of(a, b)) {
			for (int i = 0; i < 12; i++) {
				process.breaker.acquirePermission().onSuccess(Duration.ofSeconds(2).toNanos());
			}
			process.fleet.sync();
		}
		assertThat(b.view().window()).isEqualTo(new OutcomeCounts(24, 0, 24));
		assertThat(b.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
	}

	@Test
	void refusedAndIgnoredCallsAndOtherBreakersAreNotCounted() {
		Process a = new Process(config().ignore(List.of(IllegalStateException.class)));
		a.breaker.acquirePermission().onError(0, new IllegalStateException("ignored"));
		a.fleet.onCall("inventory", CallOutcome.FAILURE, 0);
		a.breaker.transitionTo(CircuitBreakerState.FORCED_OPEN);
		for (int i = 0; i < 5; i++) {
			try {
				a.breaker.acquirePermission();
			}
			catch (RuntimeException expected) {
				// refused
			}
		}
		a.breaker.transitionTo(CircuitBreakerState.CLOSED);
		a.succeed(1);
		a.fleet.sync();
		long bucket = Math.floorDiv(clock.millis(), SYNC.toMillis());
		assertThat(store.exchange("payments", SYNC.toMillis(), bucket, List.of(OutcomeCounts.EMPTY), 1))
			.containsExactly(new OutcomeCounts(1, 0, 0));
		assertThat(a.fleet.isMember("inventory")).isFalse();
		assertThat(a.fleet.view("inventory")).isEmpty();
	}

	@Test
	void failuresBeforeTheBreakerClosedDoNotOpenItAgain() {
		Process a = new Process(config());
		Process b = new Process(config());
		openTogether(a, b, 15);
		// Probes pass within the same bucket's reach: the failing buckets must not trip it again.
		ticker.advance(OPEN);
		a.succeed(2);
		assertThat(a.breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		a.fleet.sync();
		assertThat(a.breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		assertThat(a.view().window().failedCalls()).isZero();
		// The fleet opened b; a's passed probes close it at its next exchange.
		ticker.advance(SYNC);
		b.fleet.sync();
		assertThat(b.breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		// New failures after the close count again, once their bucket started after it.
		ticker.advance(SYNC);
		b.fail(2);
		a.fail(19);
		b.fleet.sync();
		a.fleet.sync();
		assertThat(a.view().window()).isEqualTo(new OutcomeCounts(21, 21, 0));
		assertThat(a.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		assertThat(a.view().trips()).isEqualTo(2);
	}

	@Test
	void theFleetsCallsSinceABreakerWentHalfOpenOpenItAgain() {
		Process quiet = new Process(config());
		Process busy = new Process(config());
		quiet.fail(10);
		busy.fail(10);
		quiet.fleet.sync();
		busy.fleet.sync();
		quiet.fleet.sync();
		assertThat(quiet.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		ticker.advance(OPEN);
		assertThat(quiet.breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
		// The failures that opened it are older than its half-open state: they do not count.
		quiet.fleet.sync();
		assertThat(quiet.breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
		// The busy process's breaker was tripped open too; its own window keeps failing calls
		// once an operator closes it, and those reach the fleet's next bucket.
		ticker.advance(SYNC);
		busy.breaker.transitionTo(CircuitBreakerState.DISABLED);
		busy.fail(25);
		busy.fleet.sync();
		quiet.fleet.sync();
		assertThat(quiet.view().window()).isEqualTo(new OutcomeCounts(25, 25, 0));
		assertThat(quiet.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		// As if its probes had failed: the next period is longer.
		assertThat(quiet.breaker.timeUntilHalfOpen()).isEqualTo(OPEN.multipliedBy(3).dividedBy(2));
		assertThat(quiet.view().trips()).isEqualTo(2);
	}

	@Test
	void anExchangeMovesAnOpenBreakerWhosePeriodPassedToHalfOpen() {
		Process busy = busyProcess();
		Process quiet = openedByTheFleet(busy);
		assertThat(quiet.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		ticker.advance(OPEN);
		// No call arrives at the quiet process: its exchange alone starts the half-open state...
		quiet.fleet.sync();
		assertThat(quiet.listenerTransitions()).endsWith("OPEN->HALF_OPEN");
		// ...so the fleet's failures of the next bucket reopen it before any probe of its own.
		ticker.advance(SYNC);
		busy.fail(20);
		busy.fleet.sync();
		quiet.fleet.sync();
		assertThat(quiet.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		assertThat(quiet.breaker.metrics().notPermittedCalls()).isZero();
	}

	@Test
	void aHalfOpenBreakerLooksAtTheFleetsNewestCallsOnly() {
		Process busy = busyProcess();
		Process quiet = openedByTheFleet(busy);
		ticker.advance(OPEN);
		quiet.fleet.sync();
		assertThat(quiet.breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
		ticker.advance(SYNC);
		busy.succeed(80);
		busy.fleet.sync();
		ticker.advance(SYNC);
		busy.fail(20);
		busy.fleet.sync();
		quiet.fleet.sync();
		// The newest minimum-calls (20) calls all failed: the 80 successes before them do not
		// dilute them, as they would in a closed breaker's window of 100.
		assertThat(quiet.view().window()).isEqualTo(new OutcomeCounts(20, 20, 0));
		assertThat(quiet.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
	}

	@Test
	void aCallCountsInTheBucketItStartedIn() {
		Process busy = busyProcess();
		Process quiet = openedByTheFleet(busy);
		assertThat(quiet.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		ticker.advance(OPEN);
		assertThat(quiet.breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
		ticker.advance(SYNC.multipliedBy(2));
		// Time-outs of calls that started before the quiet breaker went half-open.
		for (int i = 0; i < 25; i++) {
			busy.breaker.acquirePermission().onError(Duration.ofSeconds(3).toNanos(), new IOException("timed out"));
		}
		busy.fleet.sync();
		quiet.fleet.sync();
		assertThat(quiet.view().window()).isEqualTo(OutcomeCounts.EMPTY);
		assertThat(quiet.breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
		// Calls that started after it: they count.
		busy.fail(25);
		busy.fleet.sync();
		quiet.fleet.sync();
		assertThat(quiet.view().window()).isEqualTo(new OutcomeCounts(25, 25, 0));
		assertThat(quiet.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
	}

	@Test
	void aCallTimedOnTheBreakersTickerCountsInItsStartBucketWithoutAClockRead() throws Throwable {
		AtomicInteger clockReads = new AtomicInteger();
		// The wall clock runs 7 s and 300 ms ahead of the ticker: the member learns the offset.
		long aheadNanos = Duration.ofMillis(7_300).toNanos();
		InstantSource counted = () -> {
			clockReads.incrementAndGet();
			return Instant.ofEpochSecond(0, ticker.read() + aheadNanos);
		};
		CircuitBreakerFleet fleet = CircuitBreakerFleet.create(store, counted, SYNC, ALWAYS_PROBES);
		CircuitBreaker breaker = CircuitBreaker.of("payments", config().build(), ticker, fleet);
		fleet.join(breaker);
		int readsBefore = clockReads.get();
		// Slow calls: each starts, then the ticker moves 2 s before it fails.
		for (int i = 0; i < 3; i++) {
			assertThatExceptionOfType(IOException.class).isThrownBy(() -> breaker.execute(() -> {
				ticker.advance(Duration.ofSeconds(2));
				throw new IOException("timed out");
			}));
		}
		assertThat(clockReads.get()).as("clock reads while calling").isEqualTo(readsBefore);
		fleet.sync();
		// On the wall clock the calls started 7.3, 9.3 and 11.3 s after the ticker's start,
		// 13.3 s is now: of the six newest 1 s buckets the second and fourth hold one each,
		// the first call's bucket is older.
		assertThat(store.exchange("payments", SYNC.toMillis(), Math.floorDiv(counted.millis(), SYNC.toMillis()),
				Collections.nCopies(6, OutcomeCounts.EMPTY), 6))
			.extracting(OutcomeCounts::calls)
			.containsExactly(0L, 1L, 0L, 1L, 0L, 0L);
	}

	@Test
	void aCallThatStartedBeforeTheBucketsReadIsNotCounted() {
		Process a = new Process(config());
		a.breaker.acquirePermission().onError(CircuitBreakerFleet.COUNT_WINDOW_HORIZON.plusSeconds(1).toNanos(),
				new IOException("timed out long ago"));
		a.breaker.acquirePermission().onError(Duration.ofSeconds(3).toNanos(), new IOException("timed out"));
		a.fleet.sync();
		assertThat(a.view().window()).isEqualTo(new OutcomeCounts(1, 1, 1));
	}

	@Test
	void aCountWindowTakesTheNewestBucketsUntilItHoldsItsCalls() {
		Process a = new Process(config());
		Process quiet = new Process(config());
		for (int i = 0; i < 100; i++) {
			a.breaker.acquirePermission().onError(0, new IOException("down"));
			a.breaker.transitionTo(CircuitBreakerState.CLOSED); // keep it closed while it records
		}
		a.fleet.sync();
		assertThat(a.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		a.breaker.transitionTo(CircuitBreakerState.CLOSED);
		ticker.advance(SYNC);
		quiet.succeed(100);
		quiet.fleet.sync();
		// The newest bucket holds the window's 100 calls, all successes: the older failures are out.
		assertThat(quiet.view().window()).isEqualTo(new OutcomeCounts(100, 0, 0));
		assertThat(quiet.breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
	}

	@Test
	void aCountWindowReachesBackTenSecondsAtMost() {
		Process a = new Process(config());
		Process b = new Process(config());
		a.fail(15);
		a.fleet.sync();
		ticker.advance(CircuitBreakerFleet.COUNT_WINDOW_HORIZON);
		b.fail(15);
		b.fleet.sync();
		assertThat(b.view().window()).isEqualTo(new OutcomeCounts(15, 15, 0));
		assertThat(b.breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		ticker.advance(CircuitBreakerFleet.COUNT_WINDOW_HORIZON.minus(SYNC));
		a.fail(5);
		a.fleet.sync();
		assertThat(a.view().window()).isEqualTo(new OutcomeCounts(20, 20, 0));
		assertThat(a.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
	}

	@Test
	void aTimeWindowCoversItsSeconds() {
		CircuitBreakerConfig.Builder config = config().slidingWindowType(SlidingWindowType.TIME).slidingWindowSize(5);
		Process a = new Process(config);
		Process b = new Process(config);
		a.fail(15);
		a.fleet.sync();
		ticker.advance(Duration.ofSeconds(5));
		b.fail(15);
		b.fleet.sync();
		assertThat(b.view().window()).isEqualTo(new OutcomeCounts(15, 15, 0));
		ticker.advance(Duration.ofSeconds(4));
		a.fail(5);
		a.fleet.sync();
		assertThat(a.view().window()).isEqualTo(new OutcomeCounts(20, 20, 0));
		assertThat(a.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
	}

	@Test
	void aFailingStoreLeavesTheBreakerToItsOwnOutcomes() {
		AtomicBoolean down = new AtomicBoolean(true);
		AtomicInteger exchanges = new AtomicInteger();
		FleetOutcomeStore flaky = (name, bucketMillis, bucket, added, buckets) -> {
			exchanges.incrementAndGet();
			if (down.get()) {
				throw new FleetStoreException("store unreachable", null);
			}
			return store.exchange(name, bucketMillis, bucket, added, buckets);
		};
		CircuitBreakerFleet fleet = CircuitBreakerFleet.create(flaky, clock, SYNC);
		CircuitBreaker breaker = CircuitBreaker.of("payments", config().build(), ticker, fleet);
		fleet.join(breaker);
		breaker.acquirePermission().onError(0, new IOException("down"));
		fleet.sync();
		assertThat(exchanges).hasValue(1);
		assertThat(fleet.view("payments").orElseThrow().lastFailure()).isEqualTo("store unreachable");
		assertThat(fleet.view("payments").orElseThrow().lastExchange()).isNull();
		assertThat(fleet.view("payments").orElseThrow().failedExchanges()).isEqualTo(1);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		down.set(false);
		breaker.acquirePermission().onSuccess(0);
		fleet.sync();
		FleetView view = fleet.view("payments").orElseThrow();
		assertThat(view.lastFailure()).isNull();
		assertThat(view.failedExchanges()).isEqualTo(1);
		assertThat(view.lastExchange()).isEqualTo(clock.instant());
		// The failed exchange's outcome is not sent again.
		assertThat(view.window()).isEqualTo(new OutcomeCounts(1, 0, 0));
	}

	@Test
	void aStoreThrowingAnErrorFailsThatExchangeOnlyAndTheOtherMembersStillExchange() {
		AtomicInteger exchanges = new AtomicInteger();
		FleetOutcomeStore broken = (name, bucketMillis, bucket, added, buckets) -> {
			exchanges.incrementAndGet();
			if (name.equals("payments")) {
				throw new NoClassDefFoundError("org/example/driver/Codec");
			}
			return store.exchange(name, bucketMillis, bucket, added, buckets);
		};
		CircuitBreakerFleet fleet = CircuitBreakerFleet.create(broken, clock, SYNC);
		CircuitBreaker payments = CircuitBreaker.of("payments", config().build(), ticker, fleet);
		CircuitBreaker orders = CircuitBreaker.of("orders", config().build(), ticker, fleet);
		fleet.join(payments);
		fleet.join(orders);
		orders.acquirePermission().onSuccess(0);
		fleet.sync();
		fleet.sync();
		assertThat(exchanges).hasValue(4);
		FleetView failed = fleet.view("payments").orElseThrow();
		assertThat(failed.failedExchanges()).isEqualTo(2);
		assertThat(failed.lastFailure()).isEqualTo("org/example/driver/Codec");
		FleetView exchanged = fleet.view("orders").orElseThrow();
		assertThat(exchanged.failedExchanges()).isZero();
		assertThat(exchanged.lastExchange()).isEqualTo(clock.instant());
		assertThat(exchanged.window()).isEqualTo(new OutcomeCounts(1, 0, 0));
	}

	@Test
	void aVirtualMachineErrorIsNotTakenForAFailedExchange() {
		FleetOutcomeStore exhausted = (name, bucketMillis, bucket, added, buckets) -> {
			throw new OutOfMemoryError("test");
		};
		CircuitBreakerFleet fleet = CircuitBreakerFleet.create(exhausted, clock, SYNC);
		fleet.join(CircuitBreaker.of("payments", config().build(), ticker, fleet));
		assertThatThrownBy(fleet::sync).isInstanceOf(OutOfMemoryError.class);
	}

	/** Two processes the fleet opened together: one drawn to probe, one the fleet holds open. */
	private Process[] proberAndHeld() {
		Process prober = new Process(config());
		Process held = new Process(config(), NEVER_PROBES);
		openTogether(prober, held, 10);
		return new Process[] { prober, held };
	}

	/** Fails each process's calls, too few to open either, and lets the fleet open both. */
	private static void openTogether(Process first, Process second, int failuresEach) {
		first.fail(failuresEach);
		second.fail(failuresEach);
		first.fleet.sync();
		second.fleet.sync();
		first.fleet.sync();
		assertThat(first.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		assertThat(second.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
	}

	/** Advances whole exchange intervals, both processes exchanging at each. */
	private void exchangeFor(Duration time, Process... processes) {
		for (long i = 0; i < time.dividedBy(SYNC); i++) {
			ticker.advance(SYNC);
			for (Process process : processes) {
				process.fleet.sync();
			}
		}
	}

	@Test
	void theFleetHoldsABreakerOpenUntilOtherProcessesProbesPass() {
		Process[] processes = proberAndHeld();
		Process prober = processes[0];
		Process held = processes[1];
		// Its own open period (5 s) and more pass: held open, it admits no probe of its own.
		exchangeFor(OPEN.plus(SYNC.multipliedBy(2)), held);
		assertThat(held.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		assertThat(held.breaker.timeUntilHalfOpen()).isEqualTo(SYNC.multipliedBy(2));
		assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(held.breaker::acquirePermission);
		// The prober's open period has passed: its probes (2) pass and close it...
		assertThat(prober.breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
		prober.succeed(2);
		assertThat(prober.breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		// ...and reach the held process with the prober's next exchange.
		held.fleet.sync();
		assertThat(held.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		prober.fleet.sync();
		held.fleet.sync();
		assertThat(held.breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		assertThat(held.listenerTransitions()).containsExactly("CLOSED->OPEN", "OPEN->CLOSED");
	}

	@Test
	void failedProbesOfTheFleetReopenEveryHalfOpenBreakerAndKeepHoldingTheRest() {
		Process[] processes = proberAndHeld();
		Process prober = processes[0];
		Process held = processes[1];
		Process second = new Process(config());
		second.fail(1);
		second.fleet.sync(); // the fleet's window trips it too
		assertThat(second.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		exchangeFor(OPEN, held, second);
		assertThat(second.breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
		// The first prober's probes fail, in a bucket after the second went half-open; the
		// second has not probed yet.
		ticker.advance(SYNC);
		assertThat(prober.breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
		prober.fail(2);
		assertThat(prober.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		prober.fleet.sync();
		second.fleet.sync();
		held.fleet.sync();
		// As if its own probes had failed: open again, for a longer period.
		assertThat(second.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		assertThat(second.breaker.timeUntilHalfOpen()).isEqualTo(OPEN.multipliedBy(3).dividedBy(2));
		assertThat(second.listenerTransitions()).endsWith("OPEN->HALF_OPEN", "HALF_OPEN->OPEN");
		assertThat(held.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		assertThat(held.listenerTransitions()).containsExactly("CLOSED->OPEN");
	}

	@Test
	void aHeldBreakerProbesOnItsOwnOnceOtherMembersCallFreelyAgain() {
		// The member the fleet opened is never drawn to probe (its part of the fleet's calls is a half).
		Process busy = busyProcess();
		Process held = new Process(config(), NEVER_PROBES);
		held.fail(10);
		busy.fail(10);
		busy.fleet.sync();
		held.fleet.sync();
		assertThat(held.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		// Calls of the next interval may be a member's the fleet has yet to open: still held.
		ticker.advance(SYNC);
		busy.succeed(5);
		busy.fleet.sync();
		held.fleet.sync();
		assertThat(held.view().held()).isTrue();
		// Past its own open period, with no probe anywhere in the fleet: held all along.
		exchangeFor(OPEN.plus(SYNC), held);
		assertThat(held.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		assertThat(held.view().held()).isTrue();
		// Another member calls, and its calls fail: no sign that the dependency is well.
		busy.fail(5);
		busy.fleet.sync();
		held.fleet.sync();
		assertThat(held.view().held()).isTrue();
		// It calls freely and well: its breaker is closed, nobody is left to probe for this
		// one, so it probes on its own once the last hold runs out.
		ticker.advance(SYNC);
		busy.succeed(10);
		busy.fleet.sync();
		held.fleet.sync();
		assertThat(held.view().held()).isFalse();
		assertThat(held.view().probing()).isTrue();
		exchangeFor(SYNC.multipliedBy(2), held);
		assertThat(held.breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
		held.succeed(2);
		assertThat(held.breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		assertThat(held.listenerTransitions()).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN",
				"HALF_OPEN->CLOSED");
	}

	@Test
	void aHeldBreakerStaysHeldWhileTheFleetsProbesFail() {
		Process[] processes = proberAndHeld();
		Process prober = processes[0];
		Process held = processes[1];
		exchangeFor(OPEN.plus(SYNC), held, prober);
		// The prober's probes fail: the only calls since the opening, they release nobody.
		assertThat(prober.breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
		prober.fail(2);
		exchangeFor(SYNC.multipliedBy(3), prober, held);
		assertThat(held.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		assertThat(held.view().held()).isTrue();
	}

	@Test
	void probesThatStartedBeforeABreakerOpenedDoNotCloseIt() {
		Process[] processes = proberAndHeld();
		Process prober = processes[0];
		Process held = processes[1];
		exchangeFor(OPEN, held);
		// A probe admitted before the held process opens again on failures of its own...
		CircuitBreaker.Permit probe = prober.breaker.acquirePermission();
		held.breaker.transitionTo(CircuitBreakerState.CLOSED);
		ticker.advance(SYNC);
		held.fail(1);
		prober.fleet.sync();
		held.fleet.sync();
		assertThat(held.breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		held.breaker.transitionTo(CircuitBreakerState.OPEN);
		// ...ends after it: the bucket it started in is older than the opening, so it is no verdict.
		ticker.advance(SYNC);
		probe.onSuccess(SYNC.multipliedBy(2).toNanos());
		prober.succeed(1);
		prober.fleet.sync();
		held.fleet.sync();
		assertThat(prober.breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		assertThat(held.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
	}

	@Test
	void aHeldBreakerProbesOnItsOwnOnceTheStoreStopsAnswering() {
		AtomicBoolean down = new AtomicBoolean();
		FleetOutcomeStore flaky = (name, bucketMillis, bucket, added, buckets) -> {
			if (down.get()) {
				throw new FleetStoreException("store unreachable", null);
			}
			return store.exchange(name, bucketMillis, bucket, added, buckets);
		};
		Process prober = new Process(config());
		CircuitBreakerFleet fleet = CircuitBreakerFleet.create(flaky, clock, SYNC, NEVER_PROBES);
		CircuitBreaker breaker = CircuitBreaker.of("payments", config().build(), ticker, fleet);
		fleet.join(breaker);
		prober.fail(10);
		for (int i = 0; i < 10; i++) {
			breaker.acquirePermission().onError(0, new IOException("down"));
		}
		prober.fleet.sync();
		fleet.sync();
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		for (int i = 0; i < 6; i++) {
			ticker.advance(SYNC);
			fleet.sync();
		}
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		// Without exchanges nobody renews the hold: it runs out, and the breaker probes itself.
		down.set(true);
		ticker.advance(SYNC.multipliedBy(2));
		fleet.sync();
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
		breaker.acquirePermission().onSuccess(0);
		breaker.acquirePermission().onSuccess(0);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
	}

	@Test
	void outcomeCountsCarryProbesBesideCalls() {
		OutcomeCounts counts = new OutcomeCounts(5, 2, 1, 3, 1, 0).plus(new OutcomeCounts(1, 0, 0, 1, 1, 1));
		assertThat(counts).isEqualTo(new OutcomeCounts(6, 2, 1, 4, 2, 1));
		assertThat(new OutcomeCounts(0, 0, 0, 1, 0, 0).isEmpty()).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> new OutcomeCounts(0, 0, 0, 1, 2, 0))
			.withMessageContaining("failedProbes must be in [0, probes (1)] but was 2");
		assertThatIllegalArgumentException().isThrownBy(() -> new OutcomeCounts(0, 0, 0, -1, 0, 0))
			.withMessageContaining("probes must be >= 0");
	}

	@Test
	void anExchangeReadsOnlyTheBucketsACallMayStillEndIn() {
		List<Integer> reads = new ArrayList<>();
		FleetOutcomeStore counting = (name, bucketMillis, bucket, added, buckets) -> {
			reads.add(buckets);
			return store.exchange(name, bucketMillis, bucket, added, buckets);
		};
		CircuitBreakerFleet fleet = CircuitBreakerFleet.create(counting, clock, SYNC, ALWAYS_PROBES);
		CircuitBreaker breaker = CircuitBreaker.of("payments", config().build(), ticker, fleet);
		breaker.transitionTo(CircuitBreakerState.DISABLED);
		fleet.join(breaker);
		Process other = busyProcess();
		fleet.sync(); // the first reads the whole window: 10 buckets of 1 s
		ticker.advance(SYNC);
		fleet.sync(); // then 3 s back, plus two exchanges and the current bucket
		// Missed exchanges widen the read by as many buckets.
		ticker.advance(SYNC.multipliedBy(3));
		fleet.sync();
		// A call of 5 s seen here reaches further back.
		ticker.advance(SYNC);
		breaker.acquirePermission().onSuccess(Duration.ofSeconds(5).toNanos());
		fleet.sync();
		assertThat(reads).containsExactly(10, 6, 8, 8);
		// What is no longer read is remembered: another process's failures from 6 s ago still count.
		other.fail(30);
		other.fleet.sync();
		for (int i = 0; i < 6; i++) {
			ticker.advance(SYNC);
			fleet.sync();
		}
		assertThat(fleet.view("payments").orElseThrow().window().failedCalls()).isEqualTo(30);
	}

	@Test
	void rejectsBadArguments() {
		assertThatIllegalArgumentException().isThrownBy(() -> CircuitBreakerFleet.create(store, clock, Duration.ZERO))
			.withMessageContaining("syncInterval must be at least 1ms");
		assertThatIllegalArgumentException().isThrownBy(() -> new OutcomeCounts(2, 3, 0))
			.withMessageContaining("failedCalls must be in [0, calls (2)] but was 3");
		assertThatIllegalArgumentException().isThrownBy(() -> store.exchange("x", 0, 1, List.of(OutcomeCounts.EMPTY), 1))
			.withMessageContaining("bucketMillis must be > 0");
	}

	@ParameterizedTest(name = "early exchanges: {0}")
	@ValueSource(booleans = { false, true })
	void outcomesRecordedWhileExchangingAreCountedExactlyOnce(boolean early) throws Exception {
		CircuitBreakerFleet fleet = CircuitBreakerFleet.create(store, clock, SYNC);
		// Early exchanges at once, on threads of their own, racing the callers and the syncer.
		ExecutorService earlyPool = Executors.newFixedThreadPool(2);
		if (early) {
			fleet.exchangeEarlyWith((exchange, delayMillis) -> earlyPool.execute(exchange));
		}
		// Disabled: every outcome reaches the listener, none opens the breaker.
		CircuitBreaker breaker = CircuitBreaker.of("payments", config().build(), ticker, fleet);
		breaker.transitionTo(CircuitBreakerState.DISABLED);
		fleet.join(breaker);
		int threads = 8;
		int callsPerThread = 20_000;
		ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
		try {
			CountDownLatch start = new CountDownLatch(1);
			AtomicBoolean done = new AtomicBoolean();
			List<Future<?>> callers = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				callers.add(pool.submit(() -> {
					start.await();
					for (int i = 0; i < callsPerThread; i++) {
						CircuitBreaker.Permit permit = breaker.acquirePermission();
						switch (i % 4) {
							case 0 -> permit.onError(0, new IOException("down"));
							case 1 -> permit.onSuccess(Duration.ofSeconds(2).toNanos());
							case 2 -> permit.onError(Duration.ofSeconds(2).toNanos(), new IOException("slow"));
							default -> permit.onSuccess(0);
						}
					}
					return null;
				}));
			}
			Future<?> syncer = pool.submit(() -> {
				start.await();
				while (!done.get()) {
					fleet.sync(); // a count racing ahead of its call would fail OutcomeCounts' check here
				}
				return null;
			});
			start.countDown();
			for (Future<?> caller : callers) {
				caller.get(60, TimeUnit.SECONDS);
			}
			done.set(true);
			syncer.get(60, TimeUnit.SECONDS);
			earlyPool.shutdown();
			assertThat(earlyPool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			pool.shutdownNow();
			earlyPool.shutdownNow();
		}
		fleet.sync();
		long total = (long) threads * callsPerThread;
		// The slow calls started 2 s before they ended: they count two buckets back.
		OutcomeCounts stored = OutcomeCounts.EMPTY;
		long bucket = Math.floorDiv(clock.millis(), SYNC.toMillis());
		for (OutcomeCounts counts : store.exchange("payments", SYNC.toMillis(), bucket,
				Collections.nCopies(5, OutcomeCounts.EMPTY), 5)) {
			stored = stored.plus(counts);
		}
		assertThat(stored).isEqualTo(new OutcomeCounts(total, total / 2, total / 2));
	}


	/** Early exchanges a fleet scheduled, run when a test says so. */
	private static final class ScheduledExchanges implements CircuitBreakerFleet.ExchangeScheduler {

		final List<Runnable> pending = new ArrayList<>();

		final List<Long> delays = new ArrayList<>();

		int refusals;

		@Override
		public void schedule(Runnable exchange, long delayMillis) {
			if (refusals > 0) {
				refusals--;
				throw new RejectedExecutionException("stopped");
			}
			pending.add(exchange);
			delays.add(delayMillis);
		}

		void runAll() {
			List<Runnable> due = new ArrayList<>(pending);
			pending.clear();
			due.forEach(Runnable::run);
		}

	}

	private ScheduledExchanges exchangesEarly(Process process) {
		ScheduledExchanges scheduled = new ScheduledExchanges();
		process.fleet.exchangeEarlyWith(scheduled);
		return scheduled;
	}

	@Test
	void aFailedCallBringsItsBreakersExchangeForwardAndTheFleetOpensItThen() {
		Process busy = busyProcess();
		Process quiet = new Process(config());
		ScheduledExchanges early = exchangesEarly(quiet);
		quiet.fleet.sync();
		busy.fail(20);
		busy.fleet.sync();
		ticker.advance(Duration.ofMillis(50));
		quiet.fail(1);
		// A fifth of the 1 s interval after the last exchange: 150 ms from now.
		assertThat(early.delays).containsExactly(150L);
		assertThat(quiet.breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		ticker.advance(Duration.ofMillis(150));
		early.runAll();
		assertThat(quiet.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		assertThat(quiet.view().window().failedCalls()).isEqualTo(21); // its own failure reached the store
		assertThat(quiet.view().trips()).isEqualTo(1);
	}

	@Test
	void anEarlyExchangeComesAFifthOfTheIntervalAfterTheLastAtTheSoonest() {
		assertThat(CircuitBreakerFleet.earlyExchangeGap(Duration.ofMillis(250))).isEqualTo(Duration.ofMillis(50));
		assertThat(CircuitBreakerFleet.earlyExchangeGap(Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(200));
		assertThat(CircuitBreakerFleet.earlyExchangeGap(Duration.ofMillis(3))).isEqualTo(Duration.ofMillis(1));
	}

	@Test
	void aProcessExchangesEarlyAtMostTwiceBetweenScheduledExchangesAndOnceAtATime() {
		Process quiet = new Process(config());
		ScheduledExchanges early = exchangesEarly(quiet);
		quiet.fleet.sync();
		quiet.succeed(5);
		assertThat(early.pending).isEmpty(); // successes exchange on schedule
		quiet.fail(3);
		assertThat(early.pending).hasSize(1); // one at a time
		early.runAll();
		ticker.advance(Duration.ofMillis(300));
		quiet.fail(1);
		assertThat(early.delays).containsExactly(200L, 0L); // the gap since the last exchange has passed
		early.runAll();
		quiet.fail(1);
		assertThat(early.pending).isEmpty(); // two early exchanges since the scheduled one
		quiet.fleet.sync();
		quiet.fail(1);
		assertThat(early.pending).hasSize(1);
		early.runAll();
		assertThat(quiet.view().window()).isEqualTo(new OutcomeCounts(11, 6, 0));
		assertThat(quiet.view().exchanges()).isEqualTo(5);
		assertThat(quiet.view().earlyExchanges()).isEqualTo(3);
	}

	@Test
	void theFailuresThatOpenABreakerAndItsProbesReachTheFleetEarly() {
		Process quiet = new Process(config());
		ScheduledExchanges early = exchangesEarly(quiet);
		quiet.fail(20);
		assertThat(quiet.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		assertThat(early.pending).hasSize(1);
		early.runAll();
		assertThat(stored().failedCalls()).isEqualTo(20);
		quiet.fleet.sync();
		ticker.advance(OPEN);
		quiet.fail(2);
		assertThat(quiet.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		assertThat(early.pending).hasSize(1);
		early.runAll();
		assertThat(stored().failedProbes()).isEqualTo(2);
		quiet.fleet.sync();
		ticker.advance(Duration.ofSeconds(30));
		quiet.succeed(2);
		assertThat(quiet.breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		assertThat(early.pending).hasSize(1); // a passed probe too: the held breakers wait for it
		early.runAll();
		assertThat(stored().probes()).isEqualTo(2); // the failed round is older than the buckets read
		assertThat(stored().failedProbes()).isZero();
	}

	/** @return the store's counts of the last 10 buckets, added up */
	private OutcomeCounts stored() {
		OutcomeCounts sum = OutcomeCounts.EMPTY;
		long bucket = Math.floorDiv(clock.millis(), SYNC.toMillis());
		for (OutcomeCounts counts : store.exchange("payments", SYNC.toMillis(), bucket,
				Collections.nCopies(10, OutcomeCounts.EMPTY), 10)) {
			sum = sum.plus(counts);
		}
		return sum;
	}

	@Test
	void anExchangeTheSchedulerRefusesIsDroppedAndTheNextFailureAsksAgain() {
		Process quiet = new Process(config());
		ScheduledExchanges early = exchangesEarly(quiet);
		early.refusals = 1;
		quiet.fail(1);
		assertThat(early.pending).isEmpty();
		quiet.fail(1);
		assertThat(early.pending).hasSize(1);
		early.runAll();
		quiet.fleet.exchangeEarlyWith(null);
		quiet.fleet.sync();
		quiet.fail(1);
		assertThat(early.pending).isEmpty();
		// A scheduler that throws anything else does not fail the call either.
		quiet.fleet.exchangeEarlyWith((exchange, delayMillis) -> {
			throw new IllegalStateException("broken scheduler");
		});
		quiet.fail(1);
		quiet.fleet.exchangeEarlyWith(early);
		quiet.fail(1);
		assertThat(early.pending).hasSize(1);
	}

	@Test
	void anEarlyExchangeInTheBucketOfTheLastReadsNoMoreThanIt() {
		List<Integer> reads = new ArrayList<>();
		FleetOutcomeStore counting = new FleetOutcomeStore() {

			@Override
			public List<OutcomeCounts> exchange(String breakerName, long bucketMillis, long bucket,
					List<OutcomeCounts> added, int buckets) {
				reads.add(buckets);
				return store.exchange(breakerName, bucketMillis, bucket, added, buckets);
			}

		};
		CircuitBreakerFleet fleet = CircuitBreakerFleet.create(counting, clock, SYNC, ALWAYS_PROBES);
		CircuitBreaker breaker = CircuitBreaker.of("payments", config().build(), ticker, fleet);
		fleet.join(breaker);
		ScheduledExchanges early = new ScheduledExchanges();
		fleet.exchangeEarlyWith(early);
		fleet.sync();
		fleet.sync();
		breaker.acquirePermission().onError(0, new IOException("down"));
		early.runAll();
		// The first exchange reads the whole 10 s window; the others 3 s back, and two
		// exchanges and the current bucket more.
		assertThat(reads).containsExactly(10, 6, 6);
	}
}

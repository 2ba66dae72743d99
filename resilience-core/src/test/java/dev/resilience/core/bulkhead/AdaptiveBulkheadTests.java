package dev.resilience.core.bulkhead;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

import org.junit.jupiter.api.Test;

import dev.resilience.core.time.ManualTicker;
import dev.resilience.core.time.Ticker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AdaptiveBulkheadTests {

	private static final long MS = 1_000_000L;

	private final ManualTicker ticker = ManualTicker.create();

	private Bulkhead adaptive(AdaptiveLimitConfig limit) {
		return Bulkhead.of("adaptive", BulkheadConfig.adaptive(limit, Duration.ZERO), this.ticker,
				BulkheadListener.NOOP);
	}

	@Test
	void startsAtTheInitialLimit() {
		Bulkhead bulkhead = adaptive(AdaptiveLimitConfig.of(7, 2, 30));
		assertThat(bulkhead.maxConcurrentCalls()).isEqualTo(7);
		assertThat(bulkhead.availableConcurrentCalls()).isEqualTo(7);
		assertThat(bulkhead.config().maxConcurrentCalls()).isEqualTo(30);
		assertThat(bulkhead).hasToString("Bulkhead[adaptive, 7/7 available]");
	}

	@Test
	void shrunkenLimitAdmitsNobodyUntilRunningCallsAreUnderIt() {
		// Smoothing 1 and tolerance 1: each window's estimate is taken whole.
		Bulkhead bulkhead = adaptive(new AdaptiveLimitConfig(10, 1, 40, 1.0, 1.0, 1_000));
		List<Bulkhead.Permit> first = acquire(bulkhead, 10);
		this.ticker.advance(10 * MS);
		first.forEach(Bulkhead.Permit::release);
		assertThat(bulkhead.maxConcurrentCalls()).as("10 + sqrt(10), calls did not queue").isEqualTo(13);
		assertThat(bulkhead.availableConcurrentCalls()).isEqualTo(13);

		List<Bulkhead.Permit> slow = acquire(bulkhead, 13);
		this.ticker.advance(40 * MS);
		slow.subList(0, 12).forEach(Bulkhead.Permit::release);
		List<Bulkhead.Permit> running = acquire(bulkhead, 12);
		running.add(slow.get(12));
		assertThat(bulkhead.availableConcurrentCalls()).isZero();
		// The 13th sample ends the window: 4x the baseline, gradient floored at 0.5.
		running.remove(0).release();
		assertThat(bulkhead.maxConcurrentCalls()).isEqualTo(6);
		assertThat(running).hasSize(12);
		assertThat(bulkhead.availableConcurrentCalls()).isZero();
		assertThatThrownBy(bulkhead::acquire).isInstanceOfSatisfying(BulkheadFullException.class,
				(ex) -> assertThat(ex.maxConcurrentCalls()).isEqualTo(6));

		for (int i = 0; i < 6; i++) {
			running.remove(0).release();
		}
		assertThat(bulkhead.availableConcurrentCalls()).as("6 running, limit 6").isZero();
		assertThatThrownBy(bulkhead::acquire).isInstanceOf(BulkheadFullException.class);
		running.remove(0).release();
		running.add(bulkhead.acquire());
		running.forEach(Bulkhead.Permit::release);
		assertThat(bulkhead.availableConcurrentCalls()).isEqualTo(bulkhead.maxConcurrentCalls());
	}

	@Test
	void releasingAnAdaptivePermitTwiceReturnsItOnce() {
		Bulkhead bulkhead = adaptive(AdaptiveLimitConfig.of(3, 1, 10));
		Bulkhead.Permit permit = bulkhead.acquire();
		permit.release();
		permit.release();
		permit.releaseFailed();
		assertThat(bulkhead.availableConcurrentCalls()).isEqualTo(3);
	}

	@Test
	void quickFailuresOfExecutedCallsDoNotLowerTheLimit() throws Throwable {
		Bulkhead bulkhead = adaptive(new AdaptiveLimitConfig(10, 1, 40, 1.0, 1.0, 1_000));
		List<Bulkhead.Permit> first = acquire(bulkhead, 10);
		this.ticker.advance(10 * MS);
		first.forEach(Bulkhead.Permit::release);
		int limit = bulkhead.maxConcurrentCalls();
		for (int i = 0; i < 500; i++) {
			assertThatThrownBy(() -> bulkhead.execute(() -> {
				throw new IllegalStateException("refused at once");
			})).isInstanceOf(IllegalStateException.class);
		}
		assertThat(bulkhead.maxConcurrentCalls()).isEqualTo(limit);
		assertThat(bulkhead.availableConcurrentCalls()).isEqualTo(limit);
	}

	@Test
	void fixedBulkheadNeverReadsTheTicker() throws Throwable {
		Ticker refusing = () -> {
			throw new AssertionError("a fixed bulkhead must not read time");
		};
		Bulkhead bulkhead = Bulkhead.of("fixed", BulkheadConfig.ofMaxConcurrentCalls(1), refusing,
				BulkheadListener.NOOP);
		assertThat((String) bulkhead.execute(() -> "ok")).isEqualTo("ok");
		Bulkhead.Permit permit = bulkhead.acquire();
		assertThatThrownBy(bulkhead::acquire).isInstanceOf(BulkheadFullException.class);
		permit.releaseFailed();
		assertThat(bulkhead.availableConcurrentCalls()).isEqualTo(1);
	}

	@Test
	void fixedBulkheadAllocatesNothingPerCall() {
		java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		assumeTrue(threads instanceof com.sun.management.ThreadMXBean);
		com.sun.management.ThreadMXBean allocations = (com.sun.management.ThreadMXBean) threads;
		assumeTrue(allocations.isThreadAllocatedMemorySupported());
		Bulkhead bulkhead = Bulkhead.of("hot", BulkheadConfig.ofMaxConcurrentCalls(4));
		for (int i = 0; i < 20_000; i++) {
			bulkhead.acquire().release();
		}
		long threadId = Thread.currentThread().getId();
		long before = allocations.getThreadAllocatedBytes(threadId);
		for (int i = 0; i < 100_000; i++) {
			bulkhead.acquire().release();
		}
		assertThat(allocations.getThreadAllocatedBytes(threadId) - before).isLessThan(10_000);
	}

	@Test
	void configKeepsTheAdaptiveCeilingUnderMaxConcurrentCalls() {
		assertThat(new BulkheadConfig(5, Duration.ZERO).adaptive()).isNull();
		assertThat(BulkheadConfig.defaults().isAdaptive()).isFalse();
		BulkheadConfig adaptive = BulkheadConfig.adaptive(AdaptiveLimitConfig.of(10, 2, 50), Duration.ofMillis(5));
		assertThat(adaptive.isAdaptive()).isTrue();
		assertThat(adaptive.maxConcurrentCalls()).isEqualTo(50);
		assertThatThrownBy(() -> new BulkheadConfig(10, Duration.ZERO, AdaptiveLimitConfig.of(10, 2, 50)))
			.hasMessage("adaptive.maxLimit must be <= maxConcurrentCalls (10) but was 50");
		assertThatThrownBy(() -> BulkheadConfig.adaptive(null, Duration.ZERO))
			.hasMessage("adaptive must not be null but was null");
	}

	@Test
	void limitConvergesNearCapacityAndShedsTheOverload() {
		int capacity = 20;
		Simulation adaptive = new Simulation(adaptive(AdaptiveLimitConfig.of(5, 1, 200)), this.ticker, capacity,
				100);
		adaptive.run(Duration.ofSeconds(20), Duration.ofSeconds(10));
		assertThat(adaptive.averageLimit()).isBetween(0.7 * capacity, 1.5 * capacity);
		assertThat(adaptive.lastLimit).isBetween((int) (0.7 * capacity), (int) (1.5 * capacity));
		assertThat(adaptive.rejected).as("sheds the overload").isPositive();
		assertThat(adaptive.goodput()).as("calls per second").isGreaterThan(0.9 * adaptive.capacityPerSecond());
		assertThat(adaptive.meanLatencyMillis()).isLessThan(1.5 * Simulation.LATENCY_MILLIS);

		// The same load through a wide fixed limit: the same goodput, five times the latency.
		Simulation fixed = new Simulation(Bulkhead.of("fixed", BulkheadConfig.ofMaxConcurrentCalls(200)),
				this.ticker, capacity, 100);
		fixed.run(Duration.ofSeconds(20), Duration.ofSeconds(10));
		assertThat(fixed.goodput()).isGreaterThan(0.9 * fixed.capacityPerSecond());
		assertThat(fixed.meanLatencyMillis()).isGreaterThan(4.5 * Simulation.LATENCY_MILLIS);
	}

	@Test
	void limitConvergesAtSmallAndLargeCapacities() {
		for (int capacity : new int[] { 4, 80 }) {
			Simulation simulation = new Simulation(adaptive(AdaptiveLimitConfig.of(20, 1, 400)), this.ticker,
					capacity, 3 * capacity + 20);
			simulation.run(Duration.ofSeconds(20), Duration.ofSeconds(10));
			assertThat(simulation.averageLimit()).as("capacity %d", capacity)
				.isBetween(0.7 * capacity, 1.5 * capacity);
			assertThat(simulation.goodput()).as("capacity %d", capacity)
				.isGreaterThan(0.9 * simulation.capacityPerSecond());
		}
	}

	@Test
	void limitNeverLeavesItsBoundsUnderLoad() {
		Simulation capped = new Simulation(adaptive(new AdaptiveLimitConfig(10, 8, 12, 0.5, 1.25, 5)), this.ticker,
				20, 100);
		capped.run(Duration.ofSeconds(10), Duration.ZERO);
		assertThat(capped.lowestLimit).isGreaterThanOrEqualTo(8);
		assertThat(capped.highestLimit).isEqualTo(12);

		Simulation floored = new Simulation(adaptive(new AdaptiveLimitConfig(40, 30, 60, 0.5, 1.25, 5)),
				this.ticker, 20, 100);
		floored.run(Duration.ofSeconds(10), Duration.ZERO);
		assertThat(floored.lowestLimit).isEqualTo(30);
		assertThat(floored.highestLimit).isLessThanOrEqualTo(60);
	}

	@Test
	void limitDoesNotGrowWhileTheTrafficIsTheBound() {
		Simulation light = new Simulation(adaptive(AdaptiveLimitConfig.of(20, 1, 200)), this.ticker, 50, 6);
		light.run(Duration.ofSeconds(10), Duration.ZERO);
		assertThat(light.highestLimit).isEqualTo(20);
		assertThat(light.rejected).isZero();
	}

	private static List<Bulkhead.Permit> acquire(Bulkhead bulkhead, int count) {
		List<Bulkhead.Permit> permits = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			permits.add(bulkhead.acquire());
		}
		return permits;
	}

	/**
	 * A server that serves {@code capacity} calls at once in 10 ms each and shares itself
	 * among more, so a call's latency grows linearly with the calls over capacity when it
	 * is admitted. Each client calls again as soon as its call ends, or 5 ms after a
	 * refusal. Time is the bulkhead's manual ticker, moved from event to event.
	 */
	private static final class Simulation {

		static final long LATENCY_MILLIS = 10;

		private static final long RETRY_AFTER = 5 * MS;

		private final Bulkhead bulkhead;

		private final ManualTicker ticker;

		private final int capacity;

		private final int clients;

		private final PriorityQueue<Event> events = new PriorityQueue<>();

		private long sequence;

		private int inside;

		private long completed;

		private long latencySum;

		long rejected;

		int lowestLimit = Integer.MAX_VALUE;

		int highestLimit;

		int lastLimit;

		private double limitSum;

		private long limitSamples;

		private long measuredNanos;

		/**
		 * @param ticker the ticker the bulkhead reads; the run starts at its current reading
		 */
		Simulation(Bulkhead bulkhead, ManualTicker ticker, int capacity, int clients) {
			this.bulkhead = bulkhead;
			this.ticker = ticker;
			this.capacity = capacity;
			this.clients = clients;
		}

		void run(Duration total, Duration measureFrom) {
			ManualTicker time = this.ticker;
			long end = time.read() + total.toNanos();
			long from = time.read() + measureFrom.toNanos();
			this.measuredNanos = end - from;
			for (int i = 0; i < this.clients; i++) {
				schedule(time.read() + i * 100_000L, null, 0);
			}
			Event event;
			while ((event = this.events.poll()) != null && event.at <= end) {
				time.setTo(event.at);
				boolean measured = event.at >= from;
				if (event.permit == null) {
					send(event.at, measured);
				}
				else {
					event.permit.release();
					this.inside--;
					if (measured) {
						this.completed++;
						this.latencySum += event.at - event.sentAt;
					}
					schedule(event.at, null, 0);
				}
				observeLimit(measured);
			}
		}

		private void send(long now, boolean measured) {
			Bulkhead.Permit permit;
			try {
				permit = this.bulkhead.acquire();
			}
			catch (BulkheadFullException ex) {
				if (measured) {
					this.rejected++;
				}
				schedule(now + RETRY_AFTER, null, 0);
				return;
			}
			this.inside++;
			long latency = LATENCY_MILLIS * MS * Math.max(this.capacity, this.inside) / this.capacity;
			schedule(now + latency, permit, now);
		}

		private void observeLimit(boolean measured) {
			int limit = this.bulkhead.maxConcurrentCalls();
			this.lowestLimit = Math.min(this.lowestLimit, limit);
			this.highestLimit = Math.max(this.highestLimit, limit);
			this.lastLimit = limit;
			if (measured) {
				this.limitSum += limit;
				this.limitSamples++;
			}
		}

		private void schedule(long at, Bulkhead.Permit permit, long sentAt) {
			this.events.add(new Event(at, this.sequence++, permit, sentAt));
		}

		double averageLimit() {
			return this.limitSum / this.limitSamples;
		}

		double goodput() {
			return this.completed / (this.measuredNanos / 1e9);
		}

		double capacityPerSecond() {
			return this.capacity * 1000.0 / LATENCY_MILLIS;
		}

		double meanLatencyMillis() {
			return this.latencySum / (double) this.completed / MS;
		}

	}

	private record Event(long at, long sequence, Bulkhead.Permit permit, long sentAt) implements Comparable<Event> {

		@Override
		public int compareTo(Event other) {
			int byTime = Long.compare(this.at, other.at);
			return (byTime != 0) ? byTime : Long.compare(this.sequence, other.sequence);
		}

	}

}

package dev.resilience.core.bulkhead;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BulkheadTests {

	private final ExecutorService executor = Executors.newCachedThreadPool();

	@AfterEach
	void shutDown() {
		executor.shutdownNow();
	}

	@Test
	void admitsCallsUpToTheLimit() {
		Bulkhead bulkhead = Bulkhead.of("limit", BulkheadConfig.ofMaxConcurrentCalls(3));

		Bulkhead.Permit first = bulkhead.acquire();
		Bulkhead.Permit second = bulkhead.acquire();
		Bulkhead.Permit third = bulkhead.acquire();

		assertThat(bulkhead.availableConcurrentCalls()).isZero();
		assertThat(bulkhead.maxConcurrentCalls()).isEqualTo(3);
		first.release();
		second.release();
		third.release();
		assertThat(bulkhead.availableConcurrentCalls()).isEqualTo(3);
		assertThat(bulkhead.rejectedCalls()).isZero();
	}

	@Test
	void rejectsAtOnceAtTheLimitWhenMaxWaitIsZero() {
		List<String> rejected = new ArrayList<>();
		Bulkhead bulkhead = Bulkhead.of("full", BulkheadConfig.ofMaxConcurrentCalls(1), recordingTo(rejected));
		bulkhead.acquire();

		assertThatThrownBy(bulkhead::acquire).isInstanceOfSatisfying(BulkheadFullException.class, ex -> {
			assertThat(ex.bulkheadName()).isEqualTo("full");
			assertThat(ex.maxConcurrentCalls()).isEqualTo(1);
		});
		assertThat(bulkhead.rejectedCalls()).isEqualTo(1);
		assertThat(rejected).containsExactly("full");
	}

	@Test
	void returnsThePermitWhenTheCallFails() {
		Bulkhead bulkhead = Bulkhead.of("fails", BulkheadConfig.ofMaxConcurrentCalls(1));

		assertThatThrownBy(() -> bulkhead.execute(() -> {
			throw new IllegalStateException("boom");
		})).isInstanceOf(IllegalStateException.class).hasMessage("boom");
		assertThat(bulkhead.availableConcurrentCalls()).isEqualTo(1);
	}

	@Test
	void executeReturnsTheResultAndReleasesThePermit() throws Throwable {
		Bulkhead bulkhead = Bulkhead.of("runs", BulkheadConfig.ofMaxConcurrentCalls(1));

		String result = bulkhead.execute(() -> {
			assertThat(bulkhead.availableConcurrentCalls()).isZero();
			return "done";
		});

		assertThat(result).isEqualTo("done");
		assertThat(bulkhead.availableConcurrentCalls()).isEqualTo(1);
	}

	@Test
	void executeDoesNotRunTheCallWhenFull() {
		Bulkhead bulkhead = Bulkhead.of("full", BulkheadConfig.ofMaxConcurrentCalls(1));
		bulkhead.acquire();
		AtomicBoolean ran = new AtomicBoolean();

		assertThatThrownBy(() -> bulkhead.execute(() -> ran.getAndSet(true)))
			.isInstanceOf(BulkheadFullException.class);
		assertThat(ran).isFalse();
	}

	@Test
	void admitsAWaitingCallWhenAPermitFreesWithinMaxWait() throws Exception {
		Bulkhead bulkhead = Bulkhead.of("waits", new BulkheadConfig(1, Duration.ofSeconds(30)));
		Bulkhead.Permit held = bulkhead.acquire();
		CompletableFuture<Thread> waiterThread = new CompletableFuture<>();

		Future<Bulkhead.Permit> waiter = executor.submit(() -> {
			waiterThread.complete(Thread.currentThread());
			return bulkhead.acquire();
		});
		awaitParked(waiterThread.get(5, TimeUnit.SECONDS));
		held.release();

		assertThat(waiter.get(5, TimeUnit.SECONDS)).isNotNull();
		assertThat(bulkhead.availableConcurrentCalls()).isZero();
		assertThat(bulkhead.rejectedCalls()).isZero();
	}

	@Test
	void rejectsAWaitingCallAfterMaxWait() {
		List<String> rejected = new ArrayList<>();
		Bulkhead bulkhead = Bulkhead.of("times-out", new BulkheadConfig(1, Duration.ofMillis(20)), recordingTo(rejected));
		bulkhead.acquire();

		long start = System.nanoTime();
		assertThatThrownBy(bulkhead::acquire).isInstanceOf(BulkheadFullException.class);

		assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
		assertThat(bulkhead.rejectedCalls()).isEqualTo(1);
		assertThat(rejected).containsExactly("times-out");
	}

	@Test
	void rejectsAndKeepsTheInterruptFlagWhenInterruptedWhileWaiting() throws Exception {
		Bulkhead bulkhead = Bulkhead.of("interrupted", new BulkheadConfig(1, Duration.ofSeconds(30)));
		bulkhead.acquire();
		CompletableFuture<Thread> waiterThread = new CompletableFuture<>();

		Future<Boolean> waiter = executor.submit(() -> {
			waiterThread.complete(Thread.currentThread());
			try {
				bulkhead.acquire();
				return false;
			}
			catch (BulkheadFullException ex) {
				return Thread.currentThread().isInterrupted();
			}
		});
		Thread thread = waiterThread.get(5, TimeUnit.SECONDS);
		awaitParked(thread);
		thread.interrupt();

		assertThat(waiter.get(5, TimeUnit.SECONDS)).as("interrupt flag restored").isTrue();
		assertThat(bulkhead.rejectedCalls()).isEqualTo(1);
		assertThat(bulkhead.availableConcurrentCalls()).isZero();
	}

	@Test
	void anInterruptedCallerStillGetsAFreePermit() {
		Bulkhead bulkhead = Bulkhead.of("free", new BulkheadConfig(1, Duration.ofSeconds(30)));
		Thread.currentThread().interrupt();
		try {
			Bulkhead.Permit permit = bulkhead.acquire();
			permit.release();
		}
		finally {
			assertThat(Thread.interrupted()).isTrue();
		}
	}

	@Test
	void aFailingListenerDoesNotChangeTheRejection() {
		Bulkhead bulkhead = Bulkhead.of("listener", BulkheadConfig.ofMaxConcurrentCalls(1), new BulkheadListener() {
			@Override
			public void onRejected(String name) {
				throw new IllegalStateException("listener failed");
			}
		});
		bulkhead.acquire();

		assertThatThrownBy(bulkhead::acquire).isInstanceOf(BulkheadFullException.class);
		assertThat(bulkhead.rejectedCalls()).isEqualTo(1);
	}

	@Test
	void exposesNameAndConfig() {
		BulkheadConfig config = new BulkheadConfig(4, Duration.ofMillis(5));
		Bulkhead bulkhead = Bulkhead.of("orders", config);

		assertThat(bulkhead.name()).isEqualTo("orders");
		assertThat(bulkhead.config()).isSameAs(config);
		assertThat(bulkhead).hasToString("Bulkhead[orders, 4/4 available]");
	}

	private static BulkheadListener recordingTo(List<String> rejected) {
		return new BulkheadListener() {
			@Override
			public void onRejected(String name) {
				rejected.add(name);
			}
		};
	}

	/** Waits (bounded) until the thread is parked in the semaphore's queue. */
	private static void awaitParked(Thread thread) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (thread.getState() != Thread.State.TIMED_WAITING) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("thread never parked: " + thread.getState());
			}
			Thread.onSpinWait();
		}
	}

}

package dev.resilience.core.retry;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.resilience.core.CheckedSupplier;
import dev.resilience.core.time.ManualTicker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class RetryNestingTests {

	private final ManualTicker ticker = ManualTicker.create();

	private final RecordingListener listener = new RecordingListener();

	private final AtomicInteger calls = new AtomicInteger();

	private final ExecutorService executor = Executors.newSingleThreadExecutor();

	@AfterEach
	void shutDown() throws InterruptedException {
		this.executor.shutdownNow();
		assertThat(this.executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
		assertThat(RetryContext.depth()).as("no context left on the test thread").isZero();
	}

	private static RetryConfig.Builder config(NestedRetryMode mode) {
		return RetryConfig.builder()
			.maxAttempts(3)
			.initialBackoff(Duration.ofMillis(10))
			.jitter(Jitter.NONE)
			.nested(mode)
			.budget(RetryBudgetConfig.disabled());
	}

	private Retry retry(String name, NestedRetryMode mode) {
		return retry(name, config(mode).build());
	}

	private Retry retry(String name, RetryConfig config) {
		return Retry.of(name, config, this.ticker, this.ticker, EdgeRandom.NEVER, this.listener);
	}

	private List<Retry> layers(NestedRetryMode... modes) {
		List<Retry> layers = new ArrayList<>();
		for (int i = 0; i < modes.length; i++) {
			layers.add(retry("layer" + (i + 1), modes[i]));
		}
		return layers;
	}

	/** Runs the call inside the layers, the first one outermost. */
	private static Object nest(List<Retry> layers, CheckedSupplier<Object> innermost) throws Throwable {
		return nest(layers, 0, innermost);
	}

	private static Object nest(List<Retry> layers, int index, CheckedSupplier<Object> innermost) throws Throwable {
		if (index == layers.size()) {
			return innermost.get();
		}
		return layers.get(index).execute(() -> nest(layers, index + 1, innermost));
	}

	/** Lets a body that throws any Throwable run as a Callable; the test's throwables are Exceptions or Errors. */
	private static Callable<Object> callable(CheckedSupplier<Object> body) {
		return () -> {
			try {
				return body.get();
			}
			catch (Exception | Error ex) {
				throw ex;
			}
			catch (Throwable ex) {
				throw new AssertionError(ex);
			}
		};
	}

	private Object alwaysFails() throws IOException {
		throw new IOException("call " + this.calls.incrementAndGet());
	}

	@Test
	void innermostModeMakesThreeCallsThroughThreeLayers() {
		List<Retry> layers = layers(NestedRetryMode.INNERMOST, NestedRetryMode.INNERMOST, NestedRetryMode.INNERMOST);
		assertThatThrownBy(() -> nest(layers, this::alwaysFails)).isInstanceOf(IOException.class).hasMessage("call 3");
		assertThat(this.calls).hasValue(3);
		assertThat(this.listener.events).containsExactly("retry layer3 attempt=1 delay=10000000",
				"retry layer3 attempt=2 delay=20000000", "finished layer3 FAILURE_WITH_RETRY attempts=3",
				"finished layer2 FAILURE_WITHOUT_RETRY attempts=1", "finished layer1 FAILURE_WITHOUT_RETRY attempts=1");
	}

	@Test
	void allModeMultipliesAttemptsAcrossLayers() {
		List<Retry> layers = layers(NestedRetryMode.ALL, NestedRetryMode.ALL, NestedRetryMode.ALL);
		assertThatThrownBy(() -> nest(layers, this::alwaysFails)).isInstanceOf(IOException.class)
			.hasMessage("call 27");
		assertThat(this.calls).hasValue(27);
	}

	@Test
	void outermostModeRetriesOnlyTheOuterLayer() {
		List<Retry> layers = layers(NestedRetryMode.OUTERMOST, NestedRetryMode.OUTERMOST, NestedRetryMode.OUTERMOST);
		assertThatThrownBy(() -> nest(layers, this::alwaysFails)).isInstanceOf(IOException.class).hasMessage("call 3");
		assertThat(this.calls).hasValue(3);
		assertThat(this.listener.events).filteredOn((event) -> event.startsWith("retry"))
			.containsExactly("retry layer1 attempt=1 delay=10000000", "retry layer1 attempt=2 delay=20000000");
		assertThat(this.listener.events).filteredOn((event) -> event.startsWith("finished layer3"))
			.containsOnly("finished layer3 FAILURE_WITHOUT_RETRY attempts=1")
			.hasSize(3);
	}

	@Test
	void outermostLayersModeGovernsWhenLayersDisagree() {
		List<Retry> outermostFirst = layers(NestedRetryMode.OUTERMOST, NestedRetryMode.ALL, NestedRetryMode.INNERMOST);
		assertThatThrownBy(() -> nest(outermostFirst, this::alwaysFails)).isInstanceOf(IOException.class);
		assertThat(this.calls).hasValue(3);
		this.calls.set(0);
		List<Retry> allFirst = layers(NestedRetryMode.ALL, NestedRetryMode.INNERMOST, NestedRetryMode.OUTERMOST);
		assertThatThrownBy(() -> nest(allFirst, this::alwaysFails)).isInstanceOf(IOException.class);
		assertThat(this.calls).hasValue(27);
		this.calls.set(0);
		this.listener.events.clear();
		List<Retry> innermostFirst = layers(NestedRetryMode.INNERMOST, NestedRetryMode.ALL,
				NestedRetryMode.OUTERMOST);
		assertThatThrownBy(() -> nest(innermostFirst, this::alwaysFails)).isInstanceOf(IOException.class);
		assertThat(this.calls).hasValue(3);
		assertThat(this.listener.events).filteredOn((event) -> event.startsWith("retry"))
			.allMatch((event) -> event.startsWith("retry layer3"));
	}

	@Test
	void innerSuccessAfterRetriesIsTheOuterLayersSuccess() throws Throwable {
		List<Retry> layers = layers(NestedRetryMode.INNERMOST, NestedRetryMode.INNERMOST);
		Object result = nest(layers, () -> {
			if (this.calls.incrementAndGet() < 3) {
				throw new IOException("transient");
			}
			return "ok";
		});
		assertThat(result).isEqualTo("ok");
		assertThat(this.calls).hasValue(3);
		assertThat(this.listener.events).containsExactly("retry layer2 attempt=1 delay=10000000",
				"retry layer2 attempt=2 delay=20000000", "finished layer2 SUCCESS_WITH_RETRY attempts=3",
				"finished layer1 SUCCESS_WITHOUT_RETRY attempts=1");
	}

	@Test
	void outerLayerRetriesAFailureOfItsOwnCodeAfterTheInnerCall() throws Throwable {
		Retry outer = retry("outer", NestedRetryMode.INNERMOST);
		Retry inner = retry("inner", NestedRetryMode.INNERMOST);
		AtomicInteger outerAttempts = new AtomicInteger();
		Object result = outer.execute(() -> {
			Object fromInner = inner.execute(() -> "inner-" + this.calls.incrementAndGet());
			if (outerAttempts.incrementAndGet() < 3) {
				throw new IllegalStateException("outer's own failure after " + fromInner);
			}
			return fromInner;
		});
		assertThat(result).isEqualTo("inner-3");
		assertThat(outerAttempts).hasValue(3);
		assertThat(this.listener.events).last().isEqualTo("finished outer SUCCESS_WITH_RETRY attempts=3");
	}

	@Test
	void outerLayerDoesNotRetryAnExhaustedInnerFailureItWrapped() {
		Retry outer = retry("outer", NestedRetryMode.INNERMOST);
		Retry inner = retry("inner", NestedRetryMode.INNERMOST);
		assertThatThrownBy(() -> outer.execute(() -> {
			try {
				return inner.execute(this::alwaysFails);
			}
			catch (IOException ex) {
				throw new IllegalStateException("service failed", ex);
			}
		})).isInstanceOf(IllegalStateException.class).hasCauseInstanceOf(IOException.class);
		assertThat(this.calls).hasValue(3);
	}

	@Test
	void innerRetryDeniedByItsBudgetIsFinalForTheOuterLayer() {
		Retry outer = retry("outer", NestedRetryMode.INNERMOST);
		RetryConfig noBudget = config(NestedRetryMode.INNERMOST)
			.budget(new RetryBudgetConfig(true, 0.0, 0, Duration.ofSeconds(10)))
			.build();
		Retry inner = retry("inner", noBudget);
		assertThatThrownBy(() -> outer.execute(() -> inner.execute(this::alwaysFails))).isInstanceOf(IOException.class)
			.hasMessage("call 1");
		assertThat(this.calls).hasValue(1);
		assertThat(this.listener.events).containsExactly("denied inner",
				"finished inner FAILURE_WITHOUT_RETRY attempts=1", "finished outer FAILURE_WITHOUT_RETRY attempts=1");
	}

	@Test
	void failureTheInnerLayerDoesNotRetryIsFinalToo() {
		Retry outer = retry("outer", NestedRetryMode.INNERMOST);
		Retry inner = retry("inner",
				config(NestedRetryMode.INNERMOST).ignore(List.of(IllegalArgumentException.class)).build());
		assertThatThrownBy(() -> outer.execute(() -> inner.execute(() -> {
			this.calls.incrementAndGet();
			throw new IllegalArgumentException("the inner layer's classification decides");
		}))).isInstanceOf(IllegalArgumentException.class);
		assertThat(this.calls).hasValue(1);
	}

	@Test
	void resultTheInnerLayerGaveUpOnIsNotRetriedByTheOuterLayer() throws Throwable {
		RetryConfig retriesNull = config(NestedRetryMode.INNERMOST).retryOnResult((result) -> result == null).build();
		Retry outer = retry("outer", retriesNull);
		Retry inner = retry("inner", retriesNull);
		Object result = outer.execute(() -> inner.execute(() -> {
			this.calls.incrementAndGet();
			return null;
		}));
		assertThat(result).isNull();
		assertThat(this.calls).hasValue(3);
		assertThat(this.listener.events).last().isEqualTo("finished outer FAILURE_WITHOUT_RETRY attempts=1");
	}

	@Test
	void currentAttemptIsThatOfTheInnermostRetryingCall() throws Throwable {
		assertThat(RetryContext.currentAttempt()).isZero();
		List<Integer> seen = new ArrayList<>();
		List<Retry> layers = layers(NestedRetryMode.INNERMOST, NestedRetryMode.INNERMOST);
		nest(layers, () -> {
			seen.add(RetryContext.currentAttempt());
			assertThat(RetryContext.depth()).isEqualTo(2);
			if (seen.size() < 3) {
				throw new IOException("again");
			}
			return "ok";
		});
		assertThat(seen).containsExactly(1, 2, 3);
		assertThat(RetryContext.currentAttempt()).isZero();
	}

	@Test
	void currentAttemptInOutermostModeIsThatOfTheOuterCall() {
		List<Integer> seen = new ArrayList<>();
		List<Retry> layers = layers(NestedRetryMode.OUTERMOST, NestedRetryMode.OUTERMOST);
		assertThatThrownBy(() -> nest(layers, () -> {
			seen.add(RetryContext.currentAttempt());
			throw new IOException("again");
		})).isInstanceOf(IOException.class);
		assertThat(seen).containsExactly(1, 2, 3);
	}

	@Test
	void contextIsClearedAfterAFailureSoTheNextCallIsOutermost() {
		Retry outer = retry("outer", NestedRetryMode.OUTERMOST);
		Retry inner = retry("inner", NestedRetryMode.INNERMOST);
		assertThatThrownBy(() -> outer.execute(() -> inner.execute(() -> {
			throw new OutOfMemoryError("never retried");
		}))).isInstanceOf(OutOfMemoryError.class);
		assertThat(RetryContext.depth()).isZero();
		assertThat(RetryContext.currentAttempt()).isZero();
		// Were the outer OUTERMOST frame still there, this call would be limited to one attempt.
		assertThatThrownBy(() -> inner.execute(this::alwaysFails)).isInstanceOf(IOException.class);
		assertThat(this.calls).hasValue(3);
	}

	@Test
	void finalFailureOfOneCallDoesNotLeakIntoTheNextOneOnTheSameThread() {
		IOException shared = new IOException("the same instance every time");
		Retry outer = retry("outer", NestedRetryMode.INNERMOST);
		Retry inner = retry("inner", NestedRetryMode.INNERMOST);
		assertThatThrownBy(() -> outer.execute(() -> inner.execute(() -> {
			this.calls.incrementAndGet();
			throw shared;
		}))).isSameAs(shared);
		assertThat(this.calls).hasValue(3);
		this.calls.set(0);
		assertThatThrownBy(() -> outer.execute(() -> {
			this.calls.incrementAndGet();
			throw shared;
		})).isSameAs(shared);
		assertThat(this.calls).as("the next call retries the instance again").hasValue(3);
	}

	@Test
	void innerFailureOnAnExecutorThreadIsFinalForTheOuterLayer() {
		Retry outer = retry("outer", NestedRetryMode.INNERMOST);
		Retry inner = retry("inner", NestedRetryMode.INNERMOST);
		List<Integer> workerDepths = new ArrayList<>();
		assertThatThrownBy(() -> outer.execute(() -> {
			Callable<Object> work = callable(() -> {
				workerDepths.add(RetryContext.depth());
				return inner.execute(this::alwaysFails);
			});
			return this.executor.submit(RetryContext.capture().wrap(work)).get(5, TimeUnit.SECONDS);
		})).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class);
		assertThat(this.calls).hasValue(3);
		assertThat(workerDepths).containsExactly(1);
		assertThat(this.listener.events).last().isEqualTo("finished outer FAILURE_WITHOUT_RETRY attempts=1");
	}

	@Test
	void outermostModeTravelsToAnExecutorThreadAndItsAttemptIsReadableThere() throws Exception {
		Retry outer = retry("outer", NestedRetryMode.OUTERMOST);
		Retry inner = retry("inner", NestedRetryMode.ALL);
		List<Integer> workerAttempts = new ArrayList<>();
		assertThatThrownBy(() -> outer.execute(() -> {
			Callable<Object> work = callable(() -> inner.execute(() -> {
				workerAttempts.add(RetryContext.currentAttempt());
				return alwaysFails();
			}));
			return this.executor.submit(RetryContext.capture().wrap(work)).get(5, TimeUnit.SECONDS);
		})).isInstanceOf(ExecutionException.class);
		assertThat(this.calls).as("the inner call makes one attempt per outer attempt").hasValue(3);
		assertThat(workerAttempts).containsExactly(1, 2, 3);
		Future<Integer> after = this.executor.submit(RetryContext::depth);
		assertThat(after.get(5, TimeUnit.SECONDS)).as("the worker's own context is back").isZero();
	}

	@Test
	void wrappedTaskRunningInlineRestoresTheThreadsOwnContext() throws Throwable {
		Retry outer = retry("outer", NestedRetryMode.INNERMOST);
		List<Integer> depths = new ArrayList<>();
		RetryContext.Snapshot snapshot = (RetryContext.Snapshot) outer.execute(() -> {
			RetryContext.Snapshot captured = RetryContext.capture();
			Retry.of("nested", config(NestedRetryMode.INNERMOST).build(), this.ticker, this.ticker, EdgeRandom.NEVER,
					RetryListener.NOOP)
				.execute(() -> {
					captured.wrap(() -> {
						depths.add(RetryContext.depth());
					}).run();
					depths.add(RetryContext.depth());
					return null;
				});
			return captured;
		});
		assertThat(depths).containsExactly(1, 2);
		assertThat(snapshot.depth()).isEqualTo(1);
		assertThat(snapshot.currentAttempt()).isEqualTo(1);
		// Applied after its call ended, the snapshot still gives the task its captured context.
		snapshot.wrap(() -> {
			depths.add(RetryContext.depth());
		}).run();
		assertThat(depths).containsExactly(1, 2, 1);
	}

	@Test
	void snapshotOutsideAnyCallIsEmptyAndShared() throws Exception {
		RetryContext.Snapshot snapshot = RetryContext.capture();
		assertThat(snapshot).isSameAs(RetryContext.capture());
		assertThat(snapshot.depth()).isZero();
		assertThat(snapshot.currentAttempt()).isZero();
		assertThat(snapshot.wrap(() -> RetryContext.depth()).call()).isZero();
	}

	@Test
	void emptySnapshotHidesTheContextOfTheThreadItRunsOn() throws Throwable {
		RetryContext.Snapshot empty = RetryContext.capture();
		Retry outer = retry("outer", NestedRetryMode.OUTERMOST);
		Retry inner = retry("inner", NestedRetryMode.ALL);
		// The task was captured outside any call: its own retry is outermost, even inline.
		assertThatThrownBy(() -> outer.execute(() -> empty.wrap(callable(() -> inner.execute(this::alwaysFails))).call()))
			.isInstanceOf(IOException.class);
		assertThat(this.calls).hasValue(9);
	}

	@Test
	void nestedSuccessAllocatesNothingOnceWarm() throws Throwable {
		java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		assumeTrue(threads instanceof com.sun.management.ThreadMXBean);
		com.sun.management.ThreadMXBean allocations = (com.sun.management.ThreadMXBean) threads;
		assumeTrue(allocations.isThreadAllocatedMemorySupported());
		Retry outer = Retry.of("outer", RetryConfig.defaults(), this.ticker, this.ticker, EdgeRandom.NEVER,
				RetryListener.NOOP);
		Retry inner = Retry.of("inner", RetryConfig.defaults(), this.ticker, this.ticker, EdgeRandom.NEVER,
				RetryListener.NOOP);
		Retry.Attempt<String, String> identity = (argument) -> argument;
		Retry.Attempt<Retry, String> callInner = (retry) -> retry.execute(identity, "hot");
		for (int i = 0; i < 20_000; i++) {
			outer.execute(callInner, inner);
		}
		long threadId = Thread.currentThread().getId();
		long before = allocations.getThreadAllocatedBytes(threadId);
		for (int i = 0; i < 100_000; i++) {
			outer.execute(callInner, inner);
		}
		long allocated = allocations.getThreadAllocatedBytes(threadId) - before;
		assertThat(allocated).isLessThan(10_000);
	}

}

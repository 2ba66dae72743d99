package dev.resilience.core;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.resilience.core.bulkhead.Bulkhead;
import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.bulkhead.BulkheadFullException;
import dev.resilience.core.circuitbreaker.CallNotPermittedException;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.circuitbreaker.CircuitBreakerState;
import dev.resilience.core.internal.Randoms;
import dev.resilience.core.retry.Jitter;
import dev.resilience.core.retry.Retry;
import dev.resilience.core.retry.RetryBudgetConfig;
import dev.resilience.core.retry.RetryConfig;
import dev.resilience.core.retry.RetryListener;
import dev.resilience.core.time.ManualTicker;
import dev.resilience.core.time.Ticker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ResiliencePipelineTests {

	private final ManualTicker ticker = ManualTicker.create();

	private final AtomicInteger calls = new AtomicInteger();

	private static final RetryConfig THREE_ATTEMPTS = RetryConfig.builder()
		.maxAttempts(3)
		.initialBackoff(Duration.ofMillis(100))
		.jitter(Jitter.NONE)
		.budget(RetryBudgetConfig.disabled())
		.build();

	private static final CircuitBreakerConfig SMALL_BREAKER = CircuitBreakerConfig.builder()
		.slidingWindowSize(4)
		.minimumCalls(4)
		.failureRateThreshold(50)
		.slowCallDuration(Duration.ofSeconds(1))
		.openDuration(Duration.ofSeconds(10))
		.halfOpenCalls(1)
		.build();

	private ResiliencePipeline.Builder builder() {
		return ResiliencePipeline.builder("payments").ticker(ticker).sleeper(ticker);
	}

	@Test
	void everyAttemptOfTheRetryGoesThroughTheBreaker() {
		ResiliencePipeline pipeline = builder().retry(THREE_ATTEMPTS).circuitBreaker(SMALL_BREAKER).build();
		IOException failure = new IOException("down");
		assertThatThrownBy(() -> pipeline.execute(() -> {
			calls.incrementAndGet();
			throw failure;
		})).isSameAs(failure);
		assertThat(calls).hasValue(3);
		assertThat(pipeline.circuitBreaker().metrics().failedCalls()).isEqualTo(3);
		assertThat(pipeline.circuitBreaker().metrics().bufferedCalls()).isEqualTo(3);
		assertThat(ticker.read()).as("waited 100 ms then 200 ms").isEqualTo(Duration.ofMillis(300).toNanos());
	}

	@Test
	void decoratedFunctionRunsEveryAttemptWithItsArgumentThroughTheBreaker() throws Throwable {
		ResiliencePipeline pipeline = builder().retry(THREE_ATTEMPTS).circuitBreaker(SMALL_BREAKER).build();
		CheckedFunction<String, String> charge = pipeline.decorate((order) -> {
			if (calls.incrementAndGet() < 3) {
				throw new IOException("down");
			}
			return "charged " + order;
		});
		assertThat(charge.apply("order-1")).isEqualTo("charged order-1");
		assertThat(calls).hasValue(3);
		assertThat(pipeline.circuitBreaker().metrics().failedCalls()).isEqualTo(2);
		assertThat(pipeline.circuitBreaker().metrics().bufferedCalls()).isEqualTo(3);
		assertThat(charge.apply("order-2")).as("the same function, another argument").isEqualTo("charged order-2");
		assertThatThrownBy(() -> pipeline.decorate(null)).isInstanceOf(NullPointerException.class)
			.hasMessage("call must not be null");
	}

	@Test
	void openBreakerStopsTheRetryAtOnce() {
		ResiliencePipeline pipeline = builder().retry(THREE_ATTEMPTS).circuitBreaker(SMALL_BREAKER).build();
		pipeline.circuitBreaker().transitionTo(CircuitBreakerState.OPEN);
		long before = ticker.read();
		assertThatThrownBy(() -> pipeline.execute(() -> calls.incrementAndGet()))
			.isInstanceOf(CallNotPermittedException.class);
		assertThat(calls).hasValue(0);
		assertThat(ticker.read()).as("no backoff slept on a refusal").isEqualTo(before);
		assertThat(pipeline.retry().metrics().attempts()).isEqualTo(1);
	}

	@Test
	void breakerOpensAfterFailuresThenFailsFastThenRecovers() throws Throwable {
		ResiliencePipeline pipeline = builder().circuitBreaker(SMALL_BREAKER).build();
		for (int i = 0; i < 4; i++) {
			assertThatThrownBy(() -> pipeline.execute(() -> {
				throw new IOException("down");
			})).isInstanceOf(IOException.class);
		}
		assertThat(pipeline.circuitBreaker().state()).isEqualTo(CircuitBreakerState.OPEN);
		assertThatThrownBy(() -> pipeline.execute(() -> calls.incrementAndGet()))
			.isInstanceOfSatisfying(CallNotPermittedException.class,
					(ex) -> assertThat(ex.retryAfter()).isEqualTo(Duration.ofSeconds(10)));
		ticker.advance(Duration.ofSeconds(10));
		assertThat(pipeline.execute(() -> "probe")).isEqualTo("probe");
		assertThat(pipeline.circuitBreaker().state()).isEqualTo(CircuitBreakerState.CLOSED);
		assertThat(calls).hasValue(0);
	}

	@Test
	void slowCallIsMeasuredOnThePipelineTicker() throws Throwable {
		ResiliencePipeline pipeline = builder().circuitBreaker(SMALL_BREAKER).build();
		pipeline.execute(() -> {
			ticker.advance(Duration.ofSeconds(2));
			return "slow";
		});
		assertThat(pipeline.circuitBreaker().metrics().slowCalls()).isEqualTo(1);
	}

	@Test
	void fullBulkheadIsNeitherRetriedNorRecordedByTheBreaker() throws Exception {
		Bulkhead bulkhead = Bulkhead.of("payments", BulkheadConfig.ofMaxConcurrentCalls(1));
		ResiliencePipeline pipeline = builder().retry(THREE_ATTEMPTS)
			.circuitBreaker(SMALL_BREAKER)
			.bulkhead(bulkhead)
			.build();
		CountDownLatch inside = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Thread holder = new Thread(() -> pipeline.run(() -> {
			inside.countDown();
			await(release);
		}));
		holder.start();
		assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
		try {
			assertThatThrownBy(() -> pipeline.execute(() -> calls.incrementAndGet()))
				.isInstanceOf(BulkheadFullException.class);
			assertThat(calls).hasValue(0);
			assertThat(pipeline.circuitBreaker().metrics().bufferedCalls()).isZero();
			assertThat(bulkhead.rejectedCalls()).isEqualTo(1);
		}
		finally {
			release.countDown();
			holder.join(5_000);
		}
		assertThat(bulkhead.availableConcurrentCalls()).isEqualTo(1);
		assertThat(pipeline.circuitBreaker().metrics().bufferedCalls()).isEqualTo(1);
	}

	@Test
	void bulkheadPermitIsReturnedWhenTheCallFails() {
		ResiliencePipeline pipeline = builder().bulkhead(BulkheadConfig.ofMaxConcurrentCalls(2)).build();
		for (int i = 0; i < 5; i++) {
			assertThatThrownBy(() -> pipeline.get(() -> {
				throw new IllegalStateException("boom");
			})).isInstanceOf(IllegalStateException.class);
		}
		assertThat(pipeline.bulkhead().availableConcurrentCalls()).isEqualTo(2);
	}

	@Test
	void callRethrowsCheckedExceptionsUnchanged() {
		ResiliencePipeline pipeline = builder().retry(THREE_ATTEMPTS).build();
		IOException failure = new IOException("checked");
		assertThatThrownBy(() -> pipeline.call(() -> {
			throw failure;
		})).isSameAs(failure);
	}

	@Test
	void pipelineWithoutPoliciesJustCalls() throws Exception {
		ResiliencePipeline pipeline = builder().build();
		assertThat(pipeline.call(() -> 42)).isEqualTo(42);
		assertThat(pipeline.retry()).isNull();
		assertThat(pipeline.circuitBreaker()).isNull();
		assertThat(pipeline.bulkhead()).isNull();
	}

	@Test
	void successfulCallOfTheFullPipelineReadsTheTickerTwice() throws Throwable {
		AtomicInteger reads = new AtomicInteger();
		Ticker counting = () -> {
			reads.incrementAndGet();
			return ticker.read();
		};
		ResiliencePipeline pipeline = ResiliencePipeline.builder("payments")
			.ticker(counting)
			.sleeper(ticker)
			.retry(RetryConfig.defaults())
			.circuitBreaker(CircuitBreakerConfig.defaults())
			.bulkhead(BulkheadConfig.defaults())
			.build();
		pipeline.execute(() -> "warm-up");
		int before = reads.get();
		for (int i = 0; i < 10; i++) {
			pipeline.execute(() -> "ok");
		}
		// One reading starts the attempt (and dates the budget deposit), one ends it.
		assertThat(reads.get() - before).isEqualTo(20);
		assertThat(pipeline.retry().budget().available()).as("deposits were recorded").isGreaterThan(0.0);
		assertThat(pipeline.circuitBreaker().metrics().bufferedCalls()).isEqualTo(11);
	}

	@Test
	void everyRetriedAttemptIsTimedFromItsOwnStart() throws Throwable {
		ResiliencePipeline pipeline = builder().retry(THREE_ATTEMPTS).circuitBreaker(SMALL_BREAKER).build();
		String result = pipeline.execute(() -> {
			if (calls.incrementAndGet() == 1) {
				ticker.advance(Duration.ofMillis(600));
				throw new IOException("fast failure");
			}
			// 600 ms + a 100 ms backoff + 600 ms would be slow if timed from the first start.
			ticker.advance(Duration.ofMillis(600));
			return "ok";
		});
		assertThat(result).isEqualTo("ok");
		assertThat(pipeline.circuitBreaker().metrics().slowCalls()).isZero();
		assertThat(pipeline.circuitBreaker().metrics().failedCalls()).isEqualTo(1);
	}

	@Test
	void retryOnAnotherTickerLeavesTheBreakerTimedOnThePipelineTicker() throws Throwable {
		ManualTicker retryTicker = ManualTicker.create();
		Retry ownTicker = Retry.of("payments", THREE_ATTEMPTS, retryTicker, retryTicker, Randoms.threadLocal(),
				RetryListener.NOOP);
		ResiliencePipeline pipeline = builder().retry(ownTicker).circuitBreaker(SMALL_BREAKER).build();
		retryTicker.advance(Duration.ofHours(1));
		pipeline.execute(() -> {
			ticker.advance(Duration.ofSeconds(2));
			return "slow";
		});
		pipeline.execute(() -> "fast");
		assertThat(pipeline.circuitBreaker().metrics().slowCalls()).isEqualTo(1);
	}

	@Test
	void supplierCallableAndRunnableGoThroughTheWholePipeline() throws Exception {
		ResiliencePipeline pipeline = builder().retry(THREE_ATTEMPTS)
			.circuitBreaker(CircuitBreakerConfig.defaults())
			.bulkhead(BulkheadConfig.ofMaxConcurrentCalls(1))
			.build();
		assertThat(pipeline.get(() -> (calls.incrementAndGet() < 2) ? fail() : "supplied")).isEqualTo("supplied");
		assertThat(pipeline.call(() -> (calls.incrementAndGet() < 4) ? fail() : "called")).isEqualTo("called");
		pipeline.run(() -> {
			if (calls.incrementAndGet() < 6) {
				throw new IllegalStateException("once more");
			}
		});
		assertThat(calls).hasValue(6);
		assertThat(pipeline.retry().metrics().attempts()).isEqualTo(6);
		assertThat(pipeline.circuitBreaker().metrics().failedCalls()).isEqualTo(3);
		assertThat(pipeline.bulkhead().availableConcurrentCalls()).isEqualTo(1);
	}

	private static String fail() {
		throw new IllegalStateException("once more");
	}

	@Test
	void successPathOfTheFullPipelineAllocatesNothingPerCall() throws Throwable {
		assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
				"needs per-thread allocation counters");
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
			.getThreadMXBean();
		assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
				"needs per-thread allocation counters");
		ResiliencePipeline pipeline = builder().retry(RetryConfig.defaults())
			.circuitBreaker(CircuitBreakerConfig.defaults())
			.bulkhead(BulkheadConfig.defaults())
			.build();
		CheckedSupplier<String> call = () -> "ok";
		Supplier<String> supplier = () -> "ok";
		Callable<String> callable = () -> "ok";
		Runnable runnable = () -> {
		};
		CheckedFunction<String, String> function = pipeline.decorate((argument) -> argument);
		int calls = 20_000;
		for (int i = 0; i < calls; i++) {
			function.apply("ok");
			pipeline.execute(call);
			pipeline.get(supplier);
			pipeline.call(callable);
			pipeline.run(runnable);
		}
		long before = threads.getCurrentThreadAllocatedBytes();
		for (int i = 0; i < calls; i++) {
			pipeline.execute(call);
		}
		long allocated = threads.getCurrentThreadAllocatedBytes() - before;
		assertThat(allocated).as("bytes allocated by %d calls", calls).isLessThan(1_000);
		before = threads.getCurrentThreadAllocatedBytes();
		for (int i = 0; i < calls; i++) {
			pipeline.get(supplier);
			pipeline.call(callable);
			pipeline.run(runnable);
			function.apply("ok");
		}
		allocated = threads.getCurrentThreadAllocatedBytes() - before;
		assertThat(allocated).as("bytes allocated by %d calls of each of get, call, run and a decorated function", calls)
			.isLessThan(1_000);
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}

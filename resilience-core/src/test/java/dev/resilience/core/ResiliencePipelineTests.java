package dev.resilience.core;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.resilience.core.bulkhead.Bulkhead;
import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.bulkhead.BulkheadFullException;
import dev.resilience.core.circuitbreaker.CallNotPermittedException;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.circuitbreaker.CircuitBreakerState;
import dev.resilience.core.retry.Jitter;
import dev.resilience.core.retry.RetryBudgetConfig;
import dev.resilience.core.retry.RetryConfig;
import dev.resilience.core.time.ManualTicker;
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
		int calls = 20_000;
		for (int i = 0; i < calls; i++) {
			pipeline.execute(call);
		}
		long before = threads.getCurrentThreadAllocatedBytes();
		for (int i = 0; i < calls; i++) {
			pipeline.execute(call);
		}
		long allocated = threads.getCurrentThreadAllocatedBytes() - before;
		assertThat(allocated).as("bytes allocated by %d calls", calls).isLessThan(1_000);
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

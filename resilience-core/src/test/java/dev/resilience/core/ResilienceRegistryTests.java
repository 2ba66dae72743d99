package dev.resilience.core;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.retry.RetryConfig;
import dev.resilience.core.time.ManualTicker;
import dev.resilience.core.time.Ticker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResilienceRegistryTests {

	private final ResilienceConfigSource source = new ResilienceConfigSource() {

		@Override
		public CircuitBreakerConfig circuitBreakerConfig(String name) {
			return CircuitBreakerConfig.builder().halfOpenCalls(name.length()).build();
		}

		@Override
		public RetryConfig retryConfig(String name) {
			return RetryConfig.builder().maxAttempts(name.length()).build();
		}

		@Override
		public BulkheadConfig bulkheadConfig(String name) {
			return BulkheadConfig.ofMaxConcurrentCalls(name.length());
		}

	};

	@Test
	void sameNameGivesTheSameSharedInstance() {
		ResilienceRegistry registry = ResilienceRegistry.builder(source).build();
		assertThat(registry.circuitBreaker("payments")).isSameAs(registry.circuitBreaker("payments"));
		assertThat(registry.retry("payments")).isSameAs(registry.retry("payments"));
		assertThat(registry.bulkhead("payments")).isSameAs(registry.bulkhead("payments"));
	}

	@Test
	void instancesAreConfiguredByNameFromTheSource() {
		ResilienceRegistry registry = ResilienceRegistry.builder(source).build();
		assertThat(registry.circuitBreaker("abc").config().halfOpenCalls()).isEqualTo(3);
		assertThat(registry.retry("abcd").config().maxAttempts()).isEqualTo(4);
		assertThat(registry.bulkhead("ab").maxConcurrentCalls()).isEqualTo(2);
	}

	@Test
	void listsAreSortedByNameAndFindDoesNotCreate() {
		ResilienceRegistry registry = ResilienceRegistry.builder(source).build();
		registry.circuitBreaker("zeta");
		registry.circuitBreaker("alpha");
		assertThat(registry.circuitBreakers()).extracting(CircuitBreaker::name).containsExactly("alpha", "zeta");
		assertThat(registry.findCircuitBreaker("missing")).isEmpty();
		assertThat(registry.circuitBreakers()).hasSize(2);
		assertThat(registry.findRetry("alpha")).isEmpty();
	}

	@Test
	void pipelinesOfOneNameShareTheirBreaker() throws Throwable {
		ManualTicker ticker = ManualTicker.create();
		ResilienceRegistry registry = ResilienceRegistry.builder(source).ticker(ticker).sleeper(ticker).build();
		ResiliencePipeline first = registry.pipeline("payments", true, true, false);
		ResiliencePipeline second = registry.pipeline("payments", false, true, true);
		assertThat(first.circuitBreaker()).isSameAs(second.circuitBreaker());
		assertThat(first.bulkhead()).isNull();
		assertThat(second.retry()).isNull();
		first.execute(() -> "a");
		second.execute(() -> "b");
		assertThat(registry.circuitBreaker("payments").metrics().bufferedCalls()).isEqualTo(2);
		assertThat(registry.retries()).hasSize(1);
		assertThat(registry.bulkheads()).extracting((b) -> b.name()).isEqualTo(List.of("payments"));
	}

	@Test
	void registryPipelineReadsItsTickerTwicePerSuccessfulCall() throws Throwable {
		ManualTicker ticker = ManualTicker.create();
		AtomicInteger reads = new AtomicInteger();
		Ticker counting = () -> {
			reads.incrementAndGet();
			return ticker.read();
		};
		ResilienceRegistry registry = ResilienceRegistry.builder(source).ticker(counting).sleeper(ticker).build();
		ResiliencePipeline pipeline = registry.pipeline("payments", true, true, true);
		assertThat(pipeline.retry().ticker()).isSameAs(counting);
		pipeline.execute(() -> "warm-up");
		int before = reads.get();
		pipeline.execute(() -> "ok");
		// The retry's reading at the attempt's start is the breaker's start too.
		assertThat(reads.get() - before).isEqualTo(2);
	}

	@Test
	void listenerHearsOfEachInstanceOnceWhenCreated() throws InterruptedException {
		java.util.List<String> added = new java.util.concurrent.CopyOnWriteArrayList<>();
		ResilienceRegistry registry = ResilienceRegistry.builder(source)
			.registryListener(new ResilienceRegistryListener() {

				@Override
				public void onCircuitBreakerAdded(CircuitBreaker circuitBreaker) {
					added.add("cb:" + circuitBreaker.name());
				}

				@Override
				public void onRetryAdded(dev.resilience.core.retry.Retry retry) {
					added.add("retry:" + retry.name());
				}

				@Override
				public void onBulkheadAdded(dev.resilience.core.bulkhead.Bulkhead bulkhead) {
					added.add("bulkhead:" + bulkhead.name());
				}

			})
			.build();
		Thread[] threads = new Thread[16];
		java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
		for (int i = 0; i < threads.length; i++) {
			threads[i] = new Thread(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					return;
				}
				registry.circuitBreaker("payments");
				registry.retry("payments");
				registry.bulkhead("payments");
			});
			threads[i].start();
		}
		start.countDown();
		for (Thread thread : threads) {
			thread.join(5_000);
		}
		assertThat(added).containsExactlyInAnyOrder("cb:payments", "retry:payments", "bulkhead:payments");
		assertThat(registry.circuitBreakers()).hasSize(1);
	}

	@Test
	void defaultsRegistryUsesDocumentedDefaults() {
		ResilienceRegistry registry = ResilienceRegistry.ofDefaults();
		assertThat(registry.circuitBreaker("x").config()).isEqualTo(CircuitBreakerConfig.defaults());
		assertThat(registry.retry("x").config()).isEqualTo(RetryConfig.defaults());
		assertThat(registry.bulkhead("x").config()).isEqualTo(BulkheadConfig.defaults());
	}

}

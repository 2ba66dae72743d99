package dev.resilience.autoconfigure.aop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Retryable;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.actuate.BulkheadsEndpoint;
import dev.resilience.autoconfigure.actuate.CircuitBreakersEndpoint;
import dev.resilience.autoconfigure.actuate.CircuitBreakersEndpoint.CircuitBreakerDetailsDescriptor;
import dev.resilience.autoconfigure.actuate.ResilienceEndpointsAutoConfiguration;
import dev.resilience.autoconfigure.actuate.RetriesEndpoint;
import dev.resilience.autoconfigure.metrics.ResilienceMetricsAutoConfiguration;
import dev.resilience.core.bulkhead.BulkheadFullException;
import dev.resilience.core.circuitbreaker.CallNotPermittedException;
import dev.resilience.core.circuitbreaker.CircuitBreakerState;
import dev.resilience.core.time.ManualTicker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The annotations at work through real Spring proxies, on a manual ticker, with the
 * actuator endpoints and the meters checked at every step.
 */
class AnnotatedBeanBehaviourTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
				ResilienceAopAutoConfiguration.class, ResilienceEndpointsAutoConfiguration.class,
				ResilienceMetricsAutoConfiguration.class))
		.withBean(ManualTicker.class, ManualTicker::create)
		.withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
		.withBean(InventoryService.class)
		.withPropertyValues("management.endpoints.web.exposure.include=*",
				"resilience.instances.inventory.circuit-breaker.sliding-window-size=4",
				"resilience.instances.inventory.circuit-breaker.minimum-calls=4",
				"resilience.instances.inventory.circuit-breaker.failure-rate-threshold=50",
				"resilience.instances.inventory.circuit-breaker.open-duration=10s",
				"resilience.instances.inventory.circuit-breaker.max-open-duration=30s",
				"resilience.instances.inventory.circuit-breaker.half-open-calls=2",
				"resilience.instances.quotes.retry.max-attempts=4",
				"resilience.instances.quotes.retry.initial-backoff=100ms",
				"resilience.instances.quotes.retry.multiplier=2",
				"resilience.instances.quotes.retry.jitter=none",
				// Two failing calls in one second: a floor of 5 retries a second paces 10 into a slice.
				"resilience.instances.quotes.retry.budget.min-retries-per-second=5",
				"resilience.instances.quotes.retry.ignore=java.lang.IllegalArgumentException",
				"resilience.instances.stingy.retry.max-attempts=5",
				"resilience.instances.stingy.retry.jitter=none",
				"resilience.instances.stingy.retry.budget.ratio=0",
				"resilience.instances.stingy.retry.budget.min-retries-per-second=0",
				"resilience.instances.stock.bulkhead.max-concurrent-calls=1",
				"resilience.instances.stock.bulkhead.max-wait=0ms",
				"resilience.instances.fallbacks.retry.max-attempts=2",
				"resilience.instances.fallbacks.retry.jitter=none",
				"resilience.instances.fallbacks.circuit-breaker.minimum-calls=100");

	@Test
	void breakerOpensFastFailsHalfOpensAndClosesAgain() {
		this.runner.run((context) -> {
			InventoryService service = context.getBean(InventoryService.class);
			ManualTicker ticker = context.getBean(ManualTicker.class);
			CircuitBreakersEndpoint endpoint = context.getBean(CircuitBreakersEndpoint.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);

			// Configured, so present before the first call.
			assertThat(endpoint.circuitBreaker("inventory"))
				.isEqualTo(new CircuitBreakerDetailsDescriptor(CircuitBreakerState.CLOSED, null, null, 0, 0, 0, 0,
						10_000, 0, null));
			assertThat(stateGauge(meters, "inventory", "closed")).isEqualTo(1.0);

			assertThat(service.reserve("a")).isEqualTo("reserved a");
			service.failWith(new IllegalStateException("warehouse down"));
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> service.reserve("b"));
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> service.reserve("c"));
			assertThat(endpoint.circuitBreaker("inventory"))
				.as("rates stay unknown below minimum-calls")
				.isEqualTo(new CircuitBreakerDetailsDescriptor(CircuitBreakerState.CLOSED, null, null, 3, 2, 0, 0,
						10_000, 0, null));

			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> service.reserve("d"));
			assertThat(endpoint.circuitBreaker("inventory"))
				.isEqualTo(new CircuitBreakerDetailsDescriptor(CircuitBreakerState.OPEN, 75.0, 0.0, 4, 3, 0, 0,
						10_000, 10_000, null));
			assertThat(stateGauge(meters, "inventory", "open")).isEqualTo(1.0);
			assertThat(stateGauge(meters, "inventory", "closed")).isZero();
			assertThat(callCount(meters, "inventory", "success")).isEqualTo(1);
			assertThat(callCount(meters, "inventory", "failure")).isEqualTo(3);

			int invocations = service.invocations();
			ticker.advance(Duration.ofSeconds(4));
			assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(() -> service.reserve("e"))
				.satisfies((ex) -> assertThat(ex.retryAfter()).isEqualTo(Duration.ofSeconds(6)));
			assertThat(service.invocations()).as("an open breaker does not call the method").isEqualTo(invocations);
			assertThat(endpoint.circuitBreaker("inventory").notPermittedCalls()).isEqualTo(1);
			assertThat(endpoint.circuitBreaker("inventory").timeUntilHalfOpenMillis()).isEqualTo(6_000);
			assertThat(callCount(meters, "inventory", "not_permitted")).isEqualTo(1);

			ticker.advance(Duration.ofSeconds(6));
			assertThat(endpoint.circuitBreaker("inventory").state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
			assertThat(stateGauge(meters, "inventory", "half_open")).isEqualTo(1.0);

			service.recover();
			assertThat(service.reserve("f")).isEqualTo("reserved f");
			assertThat(endpoint.circuitBreaker("inventory").state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
			assertThat(service.reserve("g")).isEqualTo("reserved g");
			// Closed, but a reopening within max-open-duration (30s) would last 10s x 1.5.
			assertThat(endpoint.circuitBreaker("inventory"))
				.isEqualTo(new CircuitBreakerDetailsDescriptor(CircuitBreakerState.CLOSED, null, null, 0, 0, 0, 1,
						15_000, 0, null));
			assertThat(stateGauge(meters, "inventory", "closed")).isEqualTo(1.0);
			assertThat(stateGauge(meters, "inventory", "half_open")).isZero();
			assertThat(callCount(meters, "inventory", "success")).isEqualTo(3);
		});
	}

	@Test
	void failedProbeOpensTheBreakerAgain() {
		this.runner.run((context) -> {
			InventoryService service = context.getBean(InventoryService.class);
			ManualTicker ticker = context.getBean(ManualTicker.class);
			CircuitBreakersEndpoint endpoint = context.getBean(CircuitBreakersEndpoint.class);
			service.failWith(new IllegalStateException("warehouse down"));
			for (int i = 0; i < 4; i++) {
				assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> service.reserve("x"));
			}
			ticker.advance(Duration.ofSeconds(10));
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> service.reserve("probe 1"));
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> service.reserve("probe 2"));
			assertThat(endpoint.circuitBreaker("inventory").state()).isEqualTo(CircuitBreakerState.OPEN);
			assertThat(endpoint.circuitBreaker("inventory").failureRate()).isEqualTo(100.0);
			// open-duration 10s, built-in multiplier 1.5, max-open-duration 30s.
			assertThat(endpoint.circuitBreaker("inventory").openDurationMillis()).isEqualTo(15_000);
			ticker.advance(Duration.ofSeconds(15));
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> service.reserve("probe 3"));
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> service.reserve("probe 4"));
			assertThat(endpoint.circuitBreaker("inventory").openDurationMillis()).isEqualTo(22_500);
			ticker.advance(Duration.ofSeconds(22));
			assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(() -> service.reserve("y"))
				.satisfies((ex) -> assertThat(ex.retryAfter()).isEqualTo(Duration.ofMillis(500)));
		});
	}

	@Test
	void forcingAStateThroughTheWriteOperationTakesEffectOnTheProxy() {
		this.runner.run((context) -> {
			InventoryService service = context.getBean(InventoryService.class);
			CircuitBreakersEndpoint endpoint = context.getBean(CircuitBreakersEndpoint.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);

			assertThat(endpoint.transition("inventory", "FORCED_OPEN").state())
				.isEqualTo(CircuitBreakerState.FORCED_OPEN);
			assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(() -> service.reserve("a"));
			assertThat(service.invocations()).isZero();
			assertThat(stateGauge(meters, "inventory", "forced_open")).isEqualTo(1.0);

			assertThat(endpoint.transition("inventory", "disabled").state()).isEqualTo(CircuitBreakerState.DISABLED);
			service.failWith(new IllegalStateException("down"));
			for (int i = 0; i < 10; i++) {
				assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> service.reserve("b"));
			}
			assertThat(endpoint.circuitBreaker("inventory").state()).isEqualTo(CircuitBreakerState.DISABLED);

			assertThat(endpoint.transition("inventory", "CLOSED").state()).isEqualTo(CircuitBreakerState.CLOSED);
			service.recover();
			assertThat(service.reserve("c")).isEqualTo("reserved c");
			assertThat(endpoint.transition("nobody", "CLOSED")).isNull();
		});
	}

	@Test
	void retryMakesTheConfiguredAttemptsWithExponentialBackoff() {
		this.runner.run((context) -> {
			InventoryService service = context.getBean(InventoryService.class);
			ManualTicker ticker = context.getBean(ManualTicker.class);
			RetriesEndpoint endpoint = context.getBean(RetriesEndpoint.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);

			service.failTimes(2);
			long start = ticker.read();
			assertThat(service.quote("gold")).isEqualTo("quote gold");
			assertThat(service.invocations()).isEqualTo(3);
			assertThat(Duration.ofNanos(ticker.read() - start)).as("waited 100ms, then 200ms")
				.isEqualTo(Duration.ofMillis(300));
			assertThat(endpoint.retry("quotes")).satisfies((retry) -> {
				assertThat(retry.calls()).isEqualTo(1);
				assertThat(retry.retriedCalls()).isEqualTo(1);
				assertThat(retry.attempts()).isEqualTo(3);
			});
			assertThat(retryCount(meters, "quotes", "success_with_retry")).isEqualTo(1);

			service.failTimes(Integer.MAX_VALUE);
			start = ticker.read();
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> service.quote("silver"))
				.satisfies((ex) -> {
					assertThat(ex).hasMessage("failure 4 of silver");
					assertThat(ex.getSuppressed()).extracting(Throwable::getMessage)
						.containsExactly("failure 1 of silver", "failure 2 of silver", "failure 3 of silver");
				});
			assertThat(service.invocations()).isEqualTo(7);
			assertThat(Duration.ofNanos(ticker.read() - start)).isEqualTo(Duration.ofMillis(100 + 200 + 400));
			assertThat(endpoint.retry("quotes").attempts()).isEqualTo(7);
			assertThat(retryCount(meters, "quotes", "failure_with_retry")).isEqualTo(1);

			service.recover();
			assertThat(service.quote("bronze")).isEqualTo("quote bronze");
			assertThat(retryCount(meters, "quotes", "success_without_retry")).isEqualTo(1);
		});
	}

	@Test
	void ignoredExceptionIsNotRetried() {
		this.runner.run((context) -> {
			InventoryService service = context.getBean(InventoryService.class);
			assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> service.quote(null));
			assertThat(service.invocations()).isEqualTo(1);
			assertThat(retryCount(context.getBean(MeterRegistry.class), "quotes", "failure_without_retry"))
				.isEqualTo(1);
		});
	}

	@Test
	void retryDeniedByTheBudgetIsCountedAndNotSlept() {
		this.runner.run((context) -> {
			InventoryService service = context.getBean(InventoryService.class);
			ManualTicker ticker = context.getBean(ManualTicker.class);
			service.failTimes(Integer.MAX_VALUE);
			long start = ticker.read();
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> service.stingy("x"));
			assertThat(service.invocations()).isEqualTo(1);
			assertThat(ticker.read()).isEqualTo(start);
			assertThat(context.getBean(RetriesEndpoint.class).retry("stingy").budget().denied()).isEqualTo(1);
			assertThat(context.getBean(MeterRegistry.class)
				.get("resilience.retry.budget.denied")
				.tag("name", "stingy")
				.counter()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void bulkheadRejectsCallsPastItsLimit() {
		this.runner.run((context) -> {
			InventoryService service = context.getBean(InventoryService.class);
			BulkheadsEndpoint endpoint = context.getBean(BulkheadsEndpoint.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(endpoint.bulkhead("stock")).isEqualTo(new BulkheadsEndpoint.BulkheadDescriptor(1, 1, 0));

			CountDownLatch release = new CountDownLatch(1);
			CompletableFuture<String> holder = CompletableFuture.supplyAsync(() -> service.hold(release));
			assertThat(service.entered().await(5, TimeUnit.SECONDS)).isTrue();
			try {
				assertThat(endpoint.bulkhead("stock")).isEqualTo(new BulkheadsEndpoint.BulkheadDescriptor(1, 0, 0));
				assertThat(meters.get("resilience.bulkhead.available").tag("name", "stock").gauge().value())
					.isZero();
				assertThatExceptionOfType(BulkheadFullException.class).isThrownBy(() -> service.hold(release))
					.satisfies((ex) -> assertThat(ex.bulkheadName()).isEqualTo("stock"));
				assertThat(service.invocations()).as("a rejected call does not run").isEqualTo(1);
				assertThat(endpoint.bulkhead("stock")).isEqualTo(new BulkheadsEndpoint.BulkheadDescriptor(1, 0, 1));
				assertThat(meters.get("resilience.bulkhead.rejected").tag("name", "stock").functionCounter().count())
					.isEqualTo(1);
			}
			finally {
				release.countDown();
			}
			assertThat(holder.get(5, TimeUnit.SECONDS)).isEqualTo("held");
			assertThat(endpoint.bulkhead("stock")).isEqualTo(new BulkheadsEndpoint.BulkheadDescriptor(1, 1, 1));
			assertThat(meters.get("resilience.bulkhead.available").tag("name", "stock").gauge().value())
				.isEqualTo(1.0);
		});
	}

	@Test
	void fallbackReceivesTheFinalCauseAfterRetries() {
		this.runner.run((context) -> {
			InventoryService service = context.getBean(InventoryService.class);
			service.failTimes(Integer.MAX_VALUE);
			assertThat(service.price("tea")).isEqualTo("fallback price of tea");
			assertThat(service.invocations()).as("two attempts, then the fallback").isEqualTo(2);
			assertThat(service.fallbackCauses()).singleElement()
				.isInstanceOf(IllegalStateException.class)
				.extracting(Throwable::getMessage)
				.isEqualTo("failure 2 of tea");
		});
	}

	@Test
	void fallbackReceivesTheRefusalOfAnOpenBreaker() {
		this.runner.run((context) -> {
			InventoryService service = context.getBean(InventoryService.class);
			context.getBean(CircuitBreakersEndpoint.class).transition("fallbacks", "FORCED_OPEN");
			assertThat(service.price("tea")).isEqualTo("fallback price of tea");
			assertThat(service.invocations()).isZero();
			assertThat(service.fallbackCauses()).singleElement().isInstanceOf(CallNotPermittedException.class);
		});
	}

	@Test
	void fallbackWithoutCauseParameterIsCalled() {
		this.runner.run((context) -> {
			InventoryService service = context.getBean(InventoryService.class);
			service.failTimes(Integer.MAX_VALUE);
			assertThat(service.stockLevel("tea")).isEqualTo(-1);
		});
	}

	@Test
	void fallbackDeclaringANarrowerCauseOnlyHandlesThatCause() {
		this.runner.run((context) -> {
			InventoryService service = context.getBean(InventoryService.class);
			service.failWith(new IllegalStateException("handled"));
			assertThat(service.narrow("a")).isEqualTo("narrow fallback: handled");
			service.failWith(new UnsupportedOperationException("not handled"));
			assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> service.narrow("b"));
		});
	}

	private static double stateGauge(MeterRegistry meters, String name, String state) {
		return meters.get("resilience.circuitbreaker.state").tags("name", name, "state", state).gauge().value();
	}

	private static long callCount(MeterRegistry meters, String name, String outcome) {
		return meters.get("resilience.circuitbreaker.calls").tags("name", name, "outcome", outcome).timer().count();
	}

	private static double retryCount(MeterRegistry meters, String name, String outcome) {
		return meters.get("resilience.retry.calls").tags("name", name, "outcome", outcome).counter().count();
	}

	/**
	 * A service whose failures the tests switch on and off.
	 */
	static class InventoryService {

		// Fields are read through methods: the test holds the proxy, whose own fields are unset.
		private final List<Throwable> fallbackCauses = new ArrayList<>();

		private final CountDownLatch entered = new CountDownLatch(1);

		private final AtomicInteger invocations = new AtomicInteger();

		private volatile RuntimeException failure;

		private volatile int failuresLeft;

		private final AtomicInteger failureNumber = new AtomicInteger();

		void failWith(RuntimeException failure) {
			this.failure = failure;
		}

		void failTimes(int times) {
			this.failuresLeft = times;
			this.failureNumber.set(0);
		}

		void recover() {
			this.failure = null;
			this.failuresLeft = 0;
		}

		int invocations() {
			return invocations.get();
		}

		List<Throwable> fallbackCauses() {
			return fallbackCauses;
		}

		CountDownLatch entered() {
			return entered;
		}

		private void run(String argument) {
			invocations.incrementAndGet();
			RuntimeException fixed = failure;
			if (fixed != null) {
				throw fixed;
			}
			if (failuresLeft > 0) {
				failuresLeft--;
				throw new IllegalStateException("failure " + failureNumber.incrementAndGet() + " of " + argument);
			}
		}

		@CircuitBreaker("inventory")
		public String reserve(String item) {
			run(item);
			return "reserved " + item;
		}

		@Retryable("quotes")
		public String quote(String item) {
			if (item == null) {
				invocations.incrementAndGet();
				throw new IllegalArgumentException("item must not be null");
			}
			run(item);
			return "quote " + item;
		}

		@Retryable("stingy")
		public String stingy(String item) {
			run(item);
			return item;
		}

		@Bulkhead("stock")
		public String hold(CountDownLatch release) {
			invocations.incrementAndGet();
			entered.countDown();
			try {
				release.await(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return "held";
		}

		@Retryable(value = "fallbacks", fallbackMethod = "fallbackPrice")
		@CircuitBreaker("fallbacks")
		public String price(String item) {
			run(item);
			return "price of " + item;
		}

		String fallbackPrice(String item, Throwable cause) {
			fallbackCauses.add(cause);
			return "fallback price of " + item;
		}

		@CircuitBreaker(value = "fallbacks", fallbackMethod = "unknownStock")
		public int stockLevel(String item) {
			run(item);
			return 10;
		}

		int unknownStock(String item) {
			return -1;
		}

		@CircuitBreaker(value = "narrow", fallbackMethod = "narrowFallback")
		public String narrow(String item) {
			run(item);
			return item;
		}

		String narrowFallback(String item, IllegalStateException cause) {
			return "narrow fallback: " + cause.getMessage();
		}

	}

}

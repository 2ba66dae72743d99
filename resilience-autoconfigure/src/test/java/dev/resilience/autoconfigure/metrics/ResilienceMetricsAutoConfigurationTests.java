package dev.resilience.autoconfigure.metrics;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.core.ResiliencePipeline;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.bulkhead.BulkheadFullException;
import dev.resilience.core.circuitbreaker.CallNotPermittedException;
import dev.resilience.core.circuitbreaker.CircuitBreakerState;
import dev.resilience.core.time.ManualTicker;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Micrometer binding: present only with a meter registry, backs off to a user's
 * listener, and publishes the documented meter names and tags.
 */
class ResilienceMetricsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ResilienceAutoConfiguration.class, ResilienceMetricsAutoConfiguration.class))
		.withBean(ManualTicker.class, ManualTicker::create);

	private final ApplicationContextRunner withMeters = this.runner.withBean(SimpleMeterRegistry.class,
			SimpleMeterRegistry::new);

	@Test
	void runWithoutMeterRegistryShouldNotHaveListener() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(MicrometerResilienceListener.class));
	}

	@Test
	void runWithoutMicrometerShouldNotHaveListener() {
		this.withMeters.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> assertThat(context).doesNotHaveBean(MicrometerResilienceListener.class));
	}

	@Test
	void runWithMeterRegistryShouldHaveListener() {
		this.withMeters.run((context) -> assertThat(context).hasSingleBean(MicrometerResilienceListener.class));
	}

	@Test
	void listenerBacksOff() {
		this.withMeters
			.withBean("userListener", MicrometerResilienceListener.class,
					() -> new MicrometerResilienceListener(new SimpleMeterRegistry()))
			.withPropertyValues("resilience.instances.payments.circuit-breaker.minimum-calls=5")
			.run((context) -> {
				assertThat(context).hasSingleBean(MicrometerResilienceListener.class);
				assertThat(context.getBean(MicrometerResilienceListener.class))
					.isSameAs(context.getBean("userListener"));
				assertThat(context.getBean(MeterRegistry.class).find("resilience.circuitbreaker.state").meters())
					.isEmpty();
			});
	}

	@Test
	void configuredInstancesHaveMetersFromStartUp() {
		this.withMeters
			.withPropertyValues("resilience.instances.payments.circuit-breaker.minimum-calls=5",
					"resilience.instances.payments.retry.max-attempts=2",
					"resilience.instances.payments.bulkhead.max-concurrent-calls=7")
			.run((context) -> {
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get("resilience.circuitbreaker.state")
					.tags("name", "payments", "state", "closed")
					.gauge()
					.value()).isEqualTo(1.0);
				for (String state : new String[] { "open", "half_open", "forced_open", "disabled" }) {
					assertThat(meters.get("resilience.circuitbreaker.state")
						.tags("name", "payments", "state", state)
						.gauge()
						.value()).isZero();
				}
				for (String outcome : new String[] { "success", "failure", "slow_success", "slow_failure",
						"not_permitted", "ignored" }) {
					assertThat(meters.get("resilience.circuitbreaker.calls")
						.tags("name", "payments", "outcome", outcome)
						.timer()
						.count()).isZero();
				}
				for (String outcome : new String[] { "success_without_retry", "success_with_retry",
						"failure_without_retry", "failure_with_retry" }) {
					assertThat(meters.get("resilience.retry.calls")
						.tags("name", "payments", "outcome", outcome)
						.counter()
						.count()).isZero();
				}
				assertThat(meters.get("resilience.retry.budget.denied").tag("name", "payments").counter().count())
					.isZero();
				// No traffic yet: the default floor, 1 retry/s over the 10 s window.
				assertThat(meters.get("resilience.retry.budget.available").tag("name", "payments").gauge().value())
					.isEqualTo(10.0);
				assertThat(meters.get("resilience.bulkhead.available").tag("name", "payments").gauge().value())
					.isEqualTo(7.0);
				assertThat(meters.get("resilience.bulkhead.rejected")
					.tag("name", "payments")
					.functionCounter()
					.count()).isZero();
			});
	}

	@Test
	void metersFollowCallsOfTheProgrammaticApi() {
		this.withMeters
			.withPropertyValues("resilience.instances.orders.retry.max-attempts=2",
					"resilience.instances.orders.retry.jitter=none",
					"resilience.instances.orders.bulkhead.max-concurrent-calls=1")
			.run((context) -> {
				ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				ResiliencePipeline pipeline = registry.pipeline("orders", true, true, true);
				assertThat(pipeline.get(() -> "ok")).isEqualTo("ok");
				assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> pipeline.get(() -> {
					throw new IllegalStateException("down");
				}));
				assertThat(timerCount(meters, "orders", "success")).isEqualTo(1);
				assertThat(timerCount(meters, "orders", "failure")).isEqualTo(2);
				assertThat(meters.get("resilience.retry.calls")
					.tags("name", "orders", "outcome", "success_without_retry")
					.counter()
					.count()).isEqualTo(1);
				assertThat(meters.get("resilience.retry.calls")
					.tags("name", "orders", "outcome", "failure_with_retry")
					.counter()
					.count()).isEqualTo(1);

				// A call inside the bulkhead holds its only permit while another one arrives.
				assertThatExceptionOfType(BulkheadFullException.class)
					.isThrownBy(() -> pipeline.get(() -> pipeline.get(() -> "nested")));
				assertThat(meters.get("resilience.bulkhead.rejected").tag("name", "orders").functionCounter().count())
					.isEqualTo(1);

				registry.circuitBreaker("orders").transitionTo(CircuitBreakerState.FORCED_OPEN);
				assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(() -> pipeline.get(() -> "x"));
				assertThat(timerCount(meters, "orders", "not_permitted")).isEqualTo(1);
				assertThat(meters.get("resilience.circuitbreaker.state")
					.tags("name", "orders", "state", "forced_open")
					.gauge()
					.value()).isEqualTo(1.0);
			});
	}

	@Test
	void everyMeterIsNamedUnderResilienceAndTaggedWithTheInstanceName() {
		this.withMeters
			.withPropertyValues("resilience.instances.payments.circuit-breaker.minimum-calls=5",
					"resilience.instances.payments.retry.max-attempts=2",
					"resilience.instances.payments.bulkhead.max-concurrent-calls=7")
			.run((context) -> {
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.getMeters()).isNotEmpty().allSatisfy((meter) -> {
					assertThat(meter.getId().getName()).startsWith("resilience.");
					assertThat(meter.getId().getTag("name")).isEqualTo("payments");
				});
				assertThat(meters.getMeters()).extracting((Meter meter) -> meter.getId().getName())
					.containsOnly(ResilienceMeterNames.CIRCUIT_BREAKER_STATE, ResilienceMeterNames.CIRCUIT_BREAKER_CALLS,
							ResilienceMeterNames.RETRY_CALLS, ResilienceMeterNames.RETRY_BUDGET_DENIED,
							ResilienceMeterNames.RETRY_BUDGET_AVAILABLE, ResilienceMeterNames.BULKHEAD_AVAILABLE,
							ResilienceMeterNames.BULKHEAD_REJECTED);
			});
	}

	private static long timerCount(MeterRegistry meters, String name, String outcome) {
		return meters.get("resilience.circuitbreaker.calls").tags("name", name, "outcome", outcome).timer().count();
	}

}

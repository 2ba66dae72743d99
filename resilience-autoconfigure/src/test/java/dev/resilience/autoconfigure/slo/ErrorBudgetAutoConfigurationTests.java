package dev.resilience.autoconfigure.slo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Retryable;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.aop.ResilienceAopAutoConfiguration;
import dev.resilience.autoconfigure.metrics.ResilienceMeterNames;
import dev.resilience.core.slo.ErrorBudget;
import dev.resilience.core.slo.ErrorBudgetReport;
import dev.resilience.core.slo.ReleasePolicy;
import dev.resilience.core.slo.SloConfig;
import dev.resilience.core.time.ManualTicker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ErrorBudgetAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
				ResilienceAopAutoConfiguration.class, ErrorBudgetAutoConfiguration.class))
		.withUserConfiguration(TimeConfiguration.class)
		.withPropertyValues("resilience.instances.payments.slo.objective=99",
				"resilience.instances.payments.slo.latency-threshold=1s",
				"resilience.instances.payments.retry.max-attempts=3",
				"resilience.instances.payments.retry.initial-backoff=10ms",
				"resilience.instances.payments.retry.ignore=java.lang.IllegalArgumentException",
				"resilience.instances.payments.circuit-breaker.ignore=java.lang.IllegalArgumentException",
				"resilience.instances.inventory.retry.max-attempts=2");

	@Test
	void configuredInstancesWithAnSloHaveABudgetAtStartUp() {
		this.runner.run((context) -> {
			ErrorBudgetRegistry registry = context.getBean(ErrorBudgetRegistry.class);
			assertThat(registry.errorBudgets()).extracting(ErrorBudget::name).containsExactly("payments");
			assertThat(registry.find("payments").get().config()).isEqualTo(
					SloConfig.builder().objective(99).latencyThreshold(Duration.ofSeconds(1)).build());
			assertThat(context).hasSingleBean(InstanceErrorBudgets.class)
				.hasSingleBean(ErrorBudgetReports.class)
				.doesNotHaveBean(ErrorBudgetFleet.class)
				.doesNotHaveBean(ErrorBudgetStore.class);
			assertThat(context.getBean(ErrorBudgetReports.class).scope()).isEqualTo(ErrorBudgetScope.PROCESS);
		});
	}

	@Test
	void defaultsSloGivesEveryAnnotatedInstanceABudgetOnFirstUse() {
		this.runner.withUserConfiguration(PaymentsConfiguration.class)
			.withPropertyValues("resilience.defaults.slo.objective=95")
			.run((context) -> {
				ErrorBudgetRegistry registry = context.getBean(ErrorBudgetRegistry.class);
				context.getBean(Payments.class).reserve("ok");

				assertThat(registry.find("inventory")).isPresent();
				assertThat(registry.find("inventory").get().config().objective()).isEqualTo(95);
				assertThat(registry.find("inventory").get().report().events()).isEqualTo(1);
			});
	}

	@Test
	void eachLogicalCallIsOneEventRecordedOutsideTheRetries() {
		this.runner.withUserConfiguration(PaymentsConfiguration.class).run((context) -> {
			Payments payments = context.getBean(Payments.class);
			payments.pay("ok");
			try {
				payments.pay("fail");
			}
			catch (IllegalStateException expected) {
			}

			assertThat(payments.attempts()).isEqualTo(4);
			ErrorBudgetReport report = report(context.getBean(ErrorBudgetRegistry.class), "payments");
			assertThat(report.events()).isEqualTo(2);
			assertThat(report.badEvents()).isEqualTo(1);
		});
	}

	@Test
	void aCallRescuedByItsFallbackIsStillABadEvent() {
		this.runner.withUserConfiguration(PaymentsConfiguration.class).run((context) -> {
			assertThat(context.getBean(Payments.class).payOrDefer("fail")).isEqualTo("deferred");

			assertThat(report(context.getBean(ErrorBudgetRegistry.class), "payments").badEvents()).isEqualTo(1);
		});
	}

	@Test
	void anExceptionTheCircuitBreakerIgnoresIsAGoodEvent() {
		this.runner.withUserConfiguration(PaymentsConfiguration.class).run((context) -> {
			try {
				context.getBean(Payments.class).pay("invalid");
			}
			catch (IllegalArgumentException expected) {
			}

			ErrorBudgetReport report = report(context.getBean(ErrorBudgetRegistry.class), "payments");
			assertThat(report.events()).isEqualTo(1);
			assertThat(report.badEvents()).isZero();
		});
	}

	@Test
	void aCallSlowerThanTheLatencyThresholdIsABadEvent() {
		this.runner.withUserConfiguration(PaymentsConfiguration.class).run((context) -> {
			context.getBean(Payments.class).pay("slow");

			assertThat(report(context.getBean(ErrorBudgetRegistry.class), "payments").badEvents()).isEqualTo(1);
		});
	}

	@Test
	void instancesWithoutAnSloRecordNothing() {
		this.runner.withUserConfiguration(PaymentsConfiguration.class).run((context) -> {
			context.getBean(Payments.class).reserve("ok");

			assertThat(context.getBean(ErrorBudgetRegistry.class).find("inventory")).isEmpty();
		});
	}

	@Test
	void endpointReportsEveryBudgetInTheDocumentedShape() {
		this.runner.withUserConfiguration(PaymentsConfiguration.class).run((context) -> {
			Payments payments = context.getBean(Payments.class);
			for (int i = 0; i < 3; i++) {
				payments.pay("ok");
			}
			try {
				payments.pay("fail");
			}
			catch (IllegalStateException expected) {
			}
			ErrorBudgetsEndpoint endpoint = new ErrorBudgetsEndpoint(context.getBean(ErrorBudgetReports.class));

			String json = JsonMapper.builder().build().writeValueAsString(endpoint.errorBudgets());
			Map<String, Object> budget = map(
					map(map(JsonMapper.builder().build().readValue(json, Map.class)).get("errorBudgets")).get("payments"));

			assertThat(budget).containsEntry("objective", 99.0)
				.containsEntry("window", "30d")
				.containsEntry("events", 4)
				.containsEntry("badEvents", 1)
				.containsEntry("budgetConsumed", 25.0)
				.containsEntry("budgetRemaining", -24.0)
				.containsEntry("policy", "FREEZE")
				.containsEntry("scope", "process");
			assertThat(map(budget.get("burnRates"))).containsOnlyKeys("5m", "30m", "1h", "2h", "6h", "1d",
					"3d");
			List<?> alerts = (List<?>) budget.get("alerts");
			assertThat(alerts).hasSize(4);
			assertThat(map(alerts.get(0))).containsEntry("severity", "page")
				.containsEntry("longWindow", "1h")
				.containsEntry("shortWindow", "5m")
				.containsEntry("burnRate", 14.4)
				.containsEntry("firing", true);
			assertThat(endpoint.errorBudget("payments").policy()).isEqualTo(ReleasePolicy.FREEZE);
			assertThat(endpoint.errorBudget("nothing")).isNull();
		});
	}

	@Test
	void metersCountEventsAndGaugesShareOneReportPerScrape() {
		this.runner.withUserConfiguration(PaymentsConfiguration.class, MetricsConfiguration.class).run((context) -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get(ResilienceMeterNames.SLO_EVENTS).tags("name", "payments", "outcome", "bad")
				.counter()
				.count()).as("registered before the first event").isZero();
			Payments payments = context.getBean(Payments.class);
			payments.pay("ok");
			payments.pay("slow");

			assertThat(meters.get(ResilienceMeterNames.SLO_EVENTS).tags("name", "payments", "outcome", "good")
				.counter()
				.count()).isEqualTo(1);
			assertThat(meters.get(ResilienceMeterNames.SLO_EVENTS).tags("name", "payments", "outcome", "bad")
				.counter()
				.count()).isEqualTo(1);

			MutableClock clock = context.getBean(MutableClock.class);
			long before = clock.readings();
			List<Gauge> gauges = meters.find(ResilienceMeterNames.SLO_BURN_RATE).tag("name", "payments").gauges()
				.stream().toList();
			assertThat(gauges).hasSize(7);
			double remaining = meters.get(ResilienceMeterNames.SLO_BUDGET_REMAINING).tag("name", "payments")
				.gauge()
				.value();
			gauges.forEach(Gauge::value);
			assertThat(clock.readings() - before).as("reports computed for one scrape of 8 gauges").isEqualTo(1);
			assertThat(remaining).isEqualTo(1 - 50.0);
			assertThat(meters.get(ResilienceMeterNames.SLO_BURN_RATE).tags("name", "payments", "window", "5m")
				.gauge()
				.value()).isEqualTo(50.0);

			context.getBean(ManualTicker.class).advance(Duration.ofMillis(ErrorBudgetMeters.REPORT_REUSE_MILLIS));
			gauges.forEach(Gauge::value);
			assertThat(clock.readings() - before).as("a later scrape computes afresh").isEqualTo(2);
		});
	}

	@Test
	void noMetersWithoutAMeterRegistry() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(ErrorBudgetMeters.class));
	}

	@Test
	void registryBacksOff() {
		this.runner.withUserConfiguration(UserRegistryConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(ErrorBudgetRegistry.class);
			assertThat(context.getBean(ErrorBudgetRegistry.class)).isSameAs(context.getBean("userRegistry"));
			assertThat(context.getBean(ErrorBudgetRegistry.class).find("payments")).isPresent();
		});
	}

	@Test
	void reportsBackOff() {
		this.runner.withUserConfiguration(UserReportsConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(ErrorBudgetReports.class);
			assertThat(context.getBean(ErrorBudgetReports.class)).isSameAs(context.getBean("userReports"));
		});
	}

	@Test
	void aUserStoreSharesTheBudgetsAcrossTheFleet() {
		this.runner.withUserConfiguration(StoreConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(ErrorBudgetFleet.class);
			assertThat(context.getBean(ErrorBudgetReports.class).scope()).isEqualTo(ErrorBudgetScope.FLEET);
			assertThat(context.getBean(ErrorBudgetFleet.class).instanceId()).startsWith("application:");
		});
	}

	@Test
	void theInstanceIdStartsWithTheApplicationName() {
		this.runner.withUserConfiguration(StoreConfiguration.class)
			.withPropertyValues("spring.application.name=checkout")
			.run((context) -> assertThat(context.getBean(ErrorBudgetFleet.class).instanceId())
				.matches("checkout:[0-9a-f-]{36}"));
	}

	@Test
	void jdbcStoreWithoutADataSourceStopsStartUp() {
		this.runner.withPropertyValues("resilience.slo.store=jdbc")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("resilience.slo.store needs one DataSource bean"));
	}

	@Test
	void redisStoreWithoutAConnectionFactoryStopsStartUp() {
		this.runner.withPropertyValues("resilience.idempotency.store=redis")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("resilience.slo.store needs one RedisConnectionFactory bean"));
	}

	@Test
	void anExplicitMemoryStoreOverridesTheIdempotencyStore() {
		this.runner.withPropertyValues("resilience.idempotency.store=redis", "resilience.slo.store=memory")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ErrorBudgetStore.class));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object json) {
		return (Map<String, Object>) json;
	}

	private static ErrorBudgetReport report(ErrorBudgetRegistry registry, String name) {
		return registry.find(name).orElseThrow().report();
	}

	@Configuration(proxyBeanMethods = false)
	static class TimeConfiguration {

		@Bean
		ManualTicker manualTicker() {
			return ManualTicker.create();
		}

		@Bean
		MutableClock mutableClock() {
			return MutableClock.atNoon();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PaymentsConfiguration {

		@Bean
		Payments payments(ManualTicker ticker) {
			return new Payments(ticker);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MetricsConfiguration {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserRegistryConfiguration {

		@Bean
		ErrorBudgetRegistry userRegistry() {
			return ErrorBudgetRegistry.create();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserReportsConfiguration {

		@Bean
		ErrorBudgetReports userReports(ErrorBudgetRegistry registry) {
			return ErrorBudgetReports.ofProcess(registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class StoreConfiguration {

		@Bean
		MapErrorBudgetStore store() {
			return new MapErrorBudgetStore();
		}

	}

	/** A dependency whose calls behave as their argument says. */
	static class Payments {

		final AtomicInteger attempts = new AtomicInteger();

		private final ManualTicker ticker;

		Payments(ManualTicker ticker) {
			this.ticker = ticker;
		}

		public int attempts() {
			return this.attempts.get();
		}

		@Retryable("payments")
		@CircuitBreaker("payments")
		public String pay(String behaviour) {
			return behave(behaviour);
		}

		@Retryable(value = "payments", fallbackMethod = "defer")
		public String payOrDefer(String behaviour) {
			return behave(behaviour);
		}

		public String defer(String behaviour, Throwable cause) {
			return "deferred";
		}

		@Retryable("inventory")
		public String reserve(String behaviour) {
			return behave(behaviour);
		}

		private String behave(String behaviour) {
			this.attempts.incrementAndGet();
			switch (behaviour) {
				case "fail":
					throw new IllegalStateException("dependency down");
				case "invalid":
					throw new IllegalArgumentException("no such order");
				case "slow":
					this.ticker.advance(Duration.ofSeconds(2));
					return "paid slowly";
				default:
					return "paid";
			}
		}

	}

}

package dev.resilience.autoconfigure.properties;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.circuitbreaker.SlidingWindowType;
import dev.resilience.core.retry.Jitter;
import dev.resilience.core.retry.NestedRetryMode;
import dev.resilience.core.retry.RetryBudgetConfig;
import dev.resilience.core.retry.RetryConfig;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ByteArrayResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ResiliencePolicyResolverTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class));

	@Test
	void builtInDefaultsApplyWhenNothingIsConfigured() {
		this.runner.run((context) -> {
			ResolvedPolicy policy = context.getBean(ResiliencePolicyResolver.class).resolve("payments");
			assertThat(policy.name()).isEqualTo("payments");
			assertThat(policy.retry()).isEqualTo(RetryConfig.defaults());
			assertThat(policy.circuitBreaker()).isEqualTo(CircuitBreakerConfig.defaults());
			assertThat(policy.bulkhead()).isEqualTo(BulkheadConfig.defaults());
			assertThat(policy.slo()).isEqualTo(SloSettings.defaults());
			assertThat(policy.idempotency()).isEqualTo(new IdempotencySettings(Duration.ofHours(24),
					Duration.ofSeconds(30), Duration.ZERO, 255));
			assertThat(policy.configuredSections()).isEmpty();
		});
	}

	@Test
	void instanceValueWinsOverDefaultsKeyByKeyAndUnsetKeysInheritDefaults() {
		this.runner
			.withPropertyValues("resilience.defaults.retry.max-attempts=5",
					"resilience.defaults.retry.initial-backoff=200ms", "resilience.defaults.retry.budget.ratio=0.2",
					"resilience.defaults.circuit-breaker.open-duration=1m",
					"resilience.instances.payments.retry.max-attempts=2",
					"resilience.instances.payments.retry.budget.window=20s",
					"resilience.instances.payments.circuit-breaker.failure-rate-threshold=25")
			.run((context) -> {
				ResolvedPolicy payments = context.getBean(ResiliencePolicyResolver.class).resolve("payments");
				assertThat(payments.retry().maxAttempts()).as("instance wins").isEqualTo(2);
				assertThat(payments.retry().initialBackoff()).as("inherited from defaults")
					.isEqualTo(Duration.ofMillis(200));
				assertThat(payments.retry().maxBackoff()).as("built-in").isEqualTo(Duration.ofSeconds(10));
				assertThat(payments.retry().budget()).isEqualTo(new RetryBudgetConfig(true, 0.2, 1,
						Duration.ofSeconds(20)));
				assertThat(payments.circuitBreaker().failureRateThreshold()).isEqualTo(25);
				assertThat(payments.circuitBreaker().openDuration()).isEqualTo(Duration.ofMinutes(1));
				assertThat(payments.circuitBreaker().minimumCalls()).isEqualTo(20);
			});
	}

	@Test
	void openPeriodKeysResolveKeyByKey() {
		this.runner
			.withPropertyValues("resilience.defaults.circuit-breaker.open-duration-multiplier=3",
					"resilience.instances.payments.circuit-breaker.open-duration=5s",
					"resilience.instances.payments.circuit-breaker.max-open-duration=2m",
					"resilience.instances.orders.circuit-breaker.open-duration-multiplier=1")
			.run((context) -> {
				ResiliencePolicyResolver resolver = context.getBean(ResiliencePolicyResolver.class);
				CircuitBreakerConfig payments = resolver.resolve("payments").circuitBreaker();
				assertThat(payments.openDuration()).isEqualTo(Duration.ofSeconds(5));
				assertThat(payments.openDurationMultiplier()).as("inherited from defaults").isEqualTo(3.0);
				assertThat(payments.maxOpenDuration()).isEqualTo(Duration.ofMinutes(2));
				CircuitBreakerConfig orders = resolver.resolve("orders").circuitBreaker();
				assertThat(orders.openDuration()).as("built-in").isEqualTo(Duration.ofSeconds(1));
				assertThat(orders.openDurationMultiplier()).isEqualTo(1.0);
				assertThat(orders.maxOpenDuration()).as("built-in").isEqualTo(Duration.ofSeconds(2));
			});
	}

	@Test
	void consecutiveFailureThresholdResolvesFromDefaultsAndInstances() {
		this.runner
			.withPropertyValues("resilience.defaults.circuit-breaker.consecutive-failure-threshold=25",
					"resilience.instances.orders.circuit-breaker.consecutive-failure-threshold=0")
			.run((context) -> {
				ResiliencePolicyResolver resolver = context.getBean(ResiliencePolicyResolver.class);
				assertThat(resolver.resolve("payments").circuitBreaker().consecutiveFailureThreshold())
					.as("inherited from defaults")
					.isEqualTo(25);
				assertThat(resolver.resolve("orders").circuitBreaker().consecutiveFailureThreshold()).isZero();
			});
		this.runner.run((context) -> assertThat(context.getBean(ResiliencePolicyResolver.class)
			.resolve("payments")
			.circuitBreaker()
			.consecutiveFailureThreshold()).as("built-in").isEqualTo(10));
	}

	@Test
	void unsetMaxOpenDurationFollowsAnOpenDurationLongerThanItsDefault() {
		this.runner
			.withPropertyValues("resilience.instances.payments.circuit-breaker.open-duration=2m",
					"resilience.instances.orders.circuit-breaker.open-duration=500ms")
			.run((context) -> {
				ResiliencePolicyResolver resolver = context.getBean(ResiliencePolicyResolver.class);
				assertThat(resolver.resolve("payments").circuitBreaker().maxOpenDuration())
					.isEqualTo(Duration.ofMinutes(2));
				assertThat(resolver.resolve("orders").circuitBreaker().maxOpenDuration())
					.isEqualTo(Duration.ofSeconds(2));
			});
	}

	@Test
	void instanceOnlyNamedByAnAnnotationGetsTheDefaults() {
		this.runner
			.withPropertyValues("resilience.defaults.bulkhead.max-concurrent-calls=7",
					"resilience.instances.payments.bulkhead.max-concurrent-calls=3")
			.run((context) -> {
				ResiliencePolicyResolver resolver = context.getBean(ResiliencePolicyResolver.class);
				ResolvedPolicy unconfigured = resolver.resolve("OrderService.place");
				assertThat(unconfigured.bulkhead().maxConcurrentCalls()).isEqualTo(7);
				assertThat(unconfigured.configuredSections()).containsExactly(PolicySection.BULKHEAD);
				assertThat(resolver.instanceNames()).containsExactly("payments");
			});
	}

	@Test
	void exceptionListsAreReplacedWholeNotConcatenated() {
		this.runner
			.withPropertyValues("resilience.defaults.retry.retry-on=java.io.IOException",
					"resilience.defaults.retry.ignore=java.lang.IllegalArgumentException",
					"resilience.instances.payments.retry.retry-on=java.util.concurrent.TimeoutException",
					"resilience.instances.payments.circuit-breaker.record-on[0]=java.io.IOException",
					"resilience.instances.payments.circuit-breaker.record-on[1]=java.util.concurrent.TimeoutException")
			.run((context) -> {
				ResolvedPolicy payments = context.getBean(ResiliencePolicyResolver.class).resolve("payments");
				assertThat(payments.retry().retryOn()).containsExactly(TimeoutException.class);
				assertThat(payments.retry().ignore()).containsExactly(IllegalArgumentException.class);
				assertThat(payments.circuitBreaker().recordOn()).containsExactly(IOException.class,
						TimeoutException.class);
			});
	}

	@Test
	void configuredSectionsAreThoseWithAKeySetUnderTheInstanceOrTheDefaults() {
		this.runner
			.withPropertyValues("resilience.defaults.slo.objective=99.5",
					"resilience.instances.payments.retry.budget.enabled=false",
					"resilience.instances.orders.idempotency.ttl=1h")
			.run((context) -> {
				ResiliencePolicyResolver resolver = context.getBean(ResiliencePolicyResolver.class);
				ResolvedPolicy payments = resolver.resolve("payments");
				assertThat(payments.configuredSections()).containsExactly(PolicySection.RETRY, PolicySection.SLO);
				assertThat(payments.isConfigured(PolicySection.CIRCUIT_BREAKER)).isFalse();
				assertThat(payments.retry().budget().enabled()).isFalse();
				ResolvedPolicy orders = resolver.resolve("orders");
				assertThat(orders.configuredSections()).containsExactly(PolicySection.SLO, PolicySection.IDEMPOTENCY);
				assertThat(orders.idempotency().ttl()).isEqualTo(Duration.ofHours(1));
			});
	}

	@Test
	void sharedIdempotencySettingsAreCopiedIntoEveryInstance() {
		this.runner
			.withPropertyValues("resilience.idempotency.store=jdbc", "resilience.idempotency.lease=45s",
					"resilience.idempotency.wait=2s", "resilience.idempotency.max-key-length=64",
					"resilience.instances.orders.idempotency.ttl=2h")
			.run((context) -> {
				ResiliencePolicyResolver resolver = context.getBean(ResiliencePolicyResolver.class);
				assertThat(resolver.idempotencyStore()).isEqualTo(IdempotencyStoreType.JDBC);
				assertThat(resolver.resolve("orders").idempotency()).isEqualTo(new IdempotencySettings(
						Duration.ofHours(2), Duration.ofSeconds(45), Duration.ofSeconds(2), 64));
			});
	}

	@Test
	void openCircuitStatusDefaultsToUnknownAndCanBeChanged() {
		this.runner.run((context) -> assertThat(context.getBean(ResiliencePolicyResolver.class).openCircuitStatus())
			.isEqualTo("UNKNOWN"));
		this.runner.withPropertyValues("resilience.health.open-circuit-status=OUT_OF_SERVICE")
			.run((context) -> assertThat(context.getBean(ResiliencePolicyResolver.class).openCircuitStatus())
				.isEqualTo("OUT_OF_SERVICE"));
	}

	@Test
	void resolvingTheSameNameTwiceReturnsTheSameSettings() {
		this.runner.withPropertyValues("resilience.instances.payments.retry.max-attempts=4").run((context) -> {
			ResiliencePolicyResolver resolver = context.getBean(ResiliencePolicyResolver.class);
			assertThat(resolver.resolve("payments")).isSameAs(resolver.resolve("payments"));
		});
	}

	@Test
	void emptyInstanceNameIsRejected() {
		ResiliencePolicyResolver resolver = new ResiliencePolicyResolver(new ResilienceProperties());
		assertThatIllegalArgumentException().isThrownBy(() -> resolver.resolve("")).withMessageContaining("name");
	}

	@Test
	void specificationExampleYamlBindsAndResolvesAsDocumented() {
		String yaml = """
				resilience:
				  defaults:
				    retry: { max-attempts: 3 }
				  instances:
				    payments:
				      retry:
				        max-attempts: 4
				        initial-backoff: 100ms
				        multiplier: 2.0
				        max-backoff: 10s
				        jitter: decorrelated
				        retry-on: []
				        ignore: []
				        nested: outermost
				        budget:
				          enabled: true
				          ratio: 0.1
				          min-retries-per-second: 10
				          window: 10s
				      circuit-breaker:
				        sliding-window-type: time
				        sliding-window-size: 100
				        minimum-calls: 20
				        failure-rate-threshold: 50
				        slow-call-duration: 60s
				        slow-call-rate-threshold: 100
				        open-duration: 30s
				        half-open-calls: 3
				        record-on: []
				        ignore: []
				      bulkhead:
				        max-concurrent-calls: 25
				        max-wait: 0ms
				      slo:
				        objective: 99.9
				        window: 30d
				        latency-threshold:
				        slow-down-at: 50
				        freeze-at: 100
				      idempotency:
				        ttl: 24h
				  idempotency:
				    store: memory
				    lease: 30s
				    wait: 0ms
				    max-key-length: 255
				  health:
				    open-circuit-status: UNKNOWN
				""";
		this.runner.withInitializer((context) -> {
			try {
				context.getEnvironment()
					.getPropertySources()
					.addFirst(new YamlPropertySourceLoader()
						.load("spec.yaml", new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8), "spec.yaml"))
						.get(0));
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}).run((context) -> {
			assertThat(context).hasNotFailed();
			ResolvedPolicy payments = context.getBean(ResiliencePolicyResolver.class).resolve("payments");
			assertThat(payments.retry().maxAttempts()).isEqualTo(4);
			assertThat(payments.retry().jitter()).isEqualTo(Jitter.DECORRELATED);
			assertThat(payments.retry().nested()).isEqualTo(NestedRetryMode.OUTERMOST);
			assertThat(payments.retry().retryOn()).isEmpty();
			assertThat(payments.circuitBreaker().slidingWindowType()).isEqualTo(SlidingWindowType.TIME);
			assertThat(payments.slo().window()).isEqualTo(Duration.ofDays(30));
			assertThat(payments.slo().hasLatencyThreshold()).isFalse();
			assertThat(payments.configuredSections()).containsExactly(PolicySection.values());
			assertThat(payments.bulkhead()).isEqualTo(BulkheadConfig.defaults());
		});
	}

}

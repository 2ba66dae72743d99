package dev.resilience.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.resilience.autoconfigure.properties.ResilienceConfigurationException;
import dev.resilience.autoconfigure.properties.ResilienceConfigurationFailureAnalyzer;
import dev.resilience.autoconfigure.properties.ResilienceConfigurationValidator;
import dev.resilience.autoconfigure.properties.ResiliencePolicyResolver;
import dev.resilience.autoconfigure.properties.ResilienceProperties;
import dev.resilience.core.ResiliencePipeline;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.ResilienceRegistryListener;
import dev.resilience.core.bulkhead.Bulkhead;
import dev.resilience.core.bulkhead.BulkheadFullException;
import dev.resilience.core.bulkhead.BulkheadListener;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerListener;
import dev.resilience.core.circuitbreaker.CircuitBreakerState;
import dev.resilience.core.retry.Retry;
import dev.resilience.core.retry.RetryListener;
import dev.resilience.core.retry.RetryOutcome;
import dev.resilience.core.time.ManualTicker;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ResilienceAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class));

	@Test
	void runWithNothingConfiguredShouldProvideResolverAndValidator() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(ResilienceProperties.class)
			.hasSingleBean(ResiliencePolicyResolver.class)
			.hasSingleBean(ResilienceConfigurationValidator.class));
	}

	@Test
	void sectionsSetOnAnInstanceAreCreatedAtStartUpButNotThoseInheritedFromDefaults() {
		this.runner
			.withPropertyValues("resilience.defaults.retry.max-attempts=4",
					"resilience.instances.payments.circuit-breaker.minimum-calls=5",
					"resilience.instances.orders.idempotency.ttl=1h")
			.run((context) -> {
				ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
				assertThat(registry.findCircuitBreaker("payments")).isPresent();
				assertThat(registry.findRetry("payments")).as("inherited from defaults only").isEmpty();
				assertThat(registry.findRetry("orders")).isEmpty();
				assertThat(registry.retries()).isEmpty();
				assertThat(registry.retry("payments").config().maxAttempts()).as("defaults still apply")
					.isEqualTo(4);
			});
	}

	@Test
	void resolverBacksOff() {
		this.runner.withUserConfiguration(UserResolverConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(ResiliencePolicyResolver.class);
			assertThat(context.getBean(ResiliencePolicyResolver.class))
				.isSameAs(context.getBean("userResolver"));
		});
	}

	@Test
	void validatorBacksOff() {
		this.runner.withUserConfiguration(UserValidatorConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(ResilienceConfigurationValidator.class);
			assertThat(context.getBean(ResilienceConfigurationValidator.class))
				.isSameAs(context.getBean("userValidator"));
		});
	}

	@Test
	void registryBacksOff() {
		this.runner.withBean("userRegistry", ResilienceRegistry.class, ResilienceRegistry::ofDefaults).run((context) -> {
			assertThat(context).hasSingleBean(ResilienceRegistry.class);
			assertThat(context.getBean(ResilienceRegistry.class)).isSameAs(context.getBean("userRegistry"));
		});
	}

	@Test
	void registryCreatesTheConfiguredSectionsAtStartUp() {
		this.runner
			.withPropertyValues("resilience.instances.payments.circuit-breaker.minimum-calls=5",
					"resilience.instances.payments.retry.max-attempts=2",
					"resilience.instances.stock.bulkhead.max-concurrent-calls=4")
			.run((context) -> {
				ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
				assertThat(registry.circuitBreakers()).extracting(CircuitBreaker::name).containsExactly("payments");
				assertThat(registry.retries()).extracting(Retry::name).containsExactly("payments");
				assertThat(registry.bulkheads()).extracting(Bulkhead::name).containsExactly("stock");
				assertThat(registry.circuitBreakers().get(0).config().minimumCalls()).isEqualTo(5);
				assertThat(registry.bulkheads().get(0).maxConcurrentCalls()).isEqualTo(4);
			});
	}

	@Test
	void registryGivesInstancesTheirMergedConfiguration() {
		this.runner
			.withPropertyValues("resilience.defaults.retry.max-attempts=5",
					"resilience.instances.payments.retry.initial-backoff=1s")
			.run((context) -> {
				ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
				assertThat(registry.retry("payments").config().maxAttempts()).isEqualTo(5);
				assertThat(registry.retry("payments").config().initialBackoff()).isEqualTo(Duration.ofSeconds(1));
				assertThat(registry.retry("unconfigured").config().maxAttempts()).isEqualTo(5);
			});
	}

	@Test
	void registryReadsTimeAndWaitsThroughTheApplicationsTicker() {
		this.runner.withBean(ManualTicker.class, () -> ManualTicker.startingAt(1_000))
			.withPropertyValues("resilience.instances.payments.retry.max-attempts=3",
					"resilience.instances.payments.retry.initial-backoff=2s",
					"resilience.instances.payments.retry.jitter=none",
					"resilience.instances.payments.circuit-breaker.open-duration=5s")
			.run((context) -> {
				ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
				ManualTicker ticker = context.getBean(ManualTicker.class);
				assertThat(registry.ticker()).isSameAs(ticker);
				ResiliencePipeline pipeline = registry.pipeline("payments", true, false, false);
				AtomicInteger attempts = new AtomicInteger();
				assertThat(pipeline.get(() -> {
					if (attempts.incrementAndGet() < 2) {
						throw new IllegalStateException("first attempt fails");
					}
					return "done";
				})).isEqualTo("done");
				assertThat(ticker.read()).as("the backoff advanced the manual ticker instead of sleeping")
					.isEqualTo(1_000 + Duration.ofSeconds(2).toNanos());

				CircuitBreaker breaker = registry.circuitBreaker("payments");
				breaker.transitionTo(CircuitBreakerState.OPEN);
				assertThat(breaker.timeUntilHalfOpen()).isEqualTo(Duration.ofSeconds(5));
				ticker.advance(Duration.ofSeconds(5));
				assertThat(breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
			});
	}

	@Test
	void everyListenerBeanHearsTheEvents() {
		this.runner.withBean("first", RecordingListener.class, RecordingListener::new)
			.withBean("second", RecordingListener.class, RecordingListener::new)
			.withPropertyValues("resilience.instances.payments.circuit-breaker.minimum-calls=5",
					"resilience.instances.payments.retry.max-attempts=1",
					"resilience.instances.payments.bulkhead.max-concurrent-calls=1")
			.run((context) -> {
				ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
				registry.circuitBreaker("payments").transitionTo(CircuitBreakerState.FORCED_OPEN);
				registry.pipeline("payments", true, false, false).get(() -> "ok");
				Bulkhead bulkhead = registry.bulkhead("payments");
				Bulkhead.Permit permit = bulkhead.acquire();
				try {
					assertThatExceptionOfType(BulkheadFullException.class).isThrownBy(bulkhead::acquire);
				}
				finally {
					permit.release();
				}
				for (RecordingListener listener : context.getBeansOfType(RecordingListener.class).values()) {
					assertThat(listener.events).containsExactly("added retry payments",
							"added circuit breaker payments", "added bulkhead payments",
							"payments CLOSED -> FORCED_OPEN", "payments success_without_retry",
							"payments rejected");
				}
			});
	}

	@Test
	void validationStillRunsAtStartUpUnderLazyInitialization() {
		this.runner
			.withInitializer((context) -> context
				.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor()))
			.withPropertyValues("resilience.instances.payments.retry.max-attempts=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("resilience.instances.payments.retry.max-attempts"));
	}

	@Test
	void autoConfigurationIsRegisteredInTheImportsFile() throws IOException {
		try (InputStream imports = getClass().getResourceAsStream(
				"/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
			assertThat(imports).isNotNull();
			assertThat(new String(imports.readAllBytes(), StandardCharsets.UTF_8).lines())
				.contains(ResilienceAutoConfiguration.class.getName());
		}
	}

	@Test
	void failureAnalyzerIsRegisteredAndConstructedWithTheEnvironment() {
		MockEnvironment environment = new MockEnvironment();
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
			.load(FailureAnalyzer.class, ArgumentResolver.of(Environment.class, environment)
				.and(BeanFactory.class, new DefaultListableBeanFactory()),
					// Some of Spring Boot's analyzers need classes this module does not have.
					(factoryType, implementationName, failure) -> {
					});
		assertThat(analyzers).hasAtLeastOneElementOfType(ResilienceConfigurationFailureAnalyzer.class);
		assertThat(analyzers.get(0)).as("ordered before Spring Boot's binding analyzers")
			.isInstanceOf(ResilienceConfigurationFailureAnalyzer.class);
		assertThat(analyzers.get(0).analyze(ResilienceConfigurationException
			.invalidValue("resilience.defaults.retry.max-attempts", 0, "must be >= 1", null))).isNotNull();
	}

	/**
	 * Listens to everything, as an application's own listener bean would.
	 */
	static class RecordingListener
			implements CircuitBreakerListener, RetryListener, BulkheadListener, ResilienceRegistryListener {

		final List<String> events = new CopyOnWriteArrayList<>();

		@Override
		public void onStateTransition(String name, CircuitBreakerState from, CircuitBreakerState to) {
			events.add(name + " " + from + " -> " + to);
		}

		@Override
		public void onCallFinished(String name, RetryOutcome outcome, int attempts) {
			events.add(name + " " + outcome.tag());
		}

		@Override
		public void onRejected(String name) {
			events.add(name + " rejected");
		}

		@Override
		public void onCircuitBreakerAdded(CircuitBreaker circuitBreaker) {
			events.add("added circuit breaker " + circuitBreaker.name());
		}

		@Override
		public void onRetryAdded(Retry retry) {
			events.add("added retry " + retry.name());
		}

		@Override
		public void onBulkheadAdded(Bulkhead bulkhead) {
			events.add("added bulkhead " + bulkhead.name());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserResolverConfiguration {

		@Bean
		ResiliencePolicyResolver userResolver(ResilienceProperties properties) {
			return new ResiliencePolicyResolver(properties);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserValidatorConfiguration {

		@Bean
		ResilienceConfigurationValidator userValidator(ResiliencePolicyResolver resolver,
				ResilienceProperties properties, Environment environment) {
			return new ResilienceConfigurationValidator(resolver, properties, environment);
		}

	}

}

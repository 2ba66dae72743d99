package dev.resilience.autoconfigure;

import java.util.Set;

import dev.resilience.autoconfigure.properties.ResilienceConfigurationValidator;
import dev.resilience.autoconfigure.properties.ResiliencePolicyResolver;
import dev.resilience.autoconfigure.properties.ResilienceProperties;

import dev.resilience.autoconfigure.properties.PolicySection;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.ResilienceRegistryListener;
import dev.resilience.core.bulkhead.BulkheadListener;
import dev.resilience.core.circuitbreaker.CircuitBreakerListener;
import dev.resilience.core.retry.RetryListener;
import dev.resilience.core.time.Scheduler;
import dev.resilience.core.time.Sleeper;
import dev.resilience.core.time.Ticker;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * Binds {@code resilience.*}, validates it at start-up, offers the
 * {@link ResiliencePolicyResolver} that the capability auto-configurations use to obtain
 * the settings of each named instance, and the {@link ResilienceRegistry} that holds the
 * application's circuit breakers, retries and bulkheads by name.
 */
@AutoConfiguration
@EnableConfigurationProperties(ResilienceProperties.class)
public final class ResilienceAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ResiliencePolicyResolver resiliencePolicyResolver(ResilienceProperties properties) {
		return new ResiliencePolicyResolver(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	ResilienceConfigurationValidator resilienceConfigurationValidator(ResiliencePolicyResolver resolver,
			ResilienceProperties properties, Environment environment) {
		return new ResilienceConfigurationValidator(resolver, properties, environment);
	}

	/**
	 * The instances by name. Every listener bean of the application receives their events.
	 * Time and waiting come from a {@link Ticker}, a {@link Sleeper} and a {@link Scheduler}
	 * (asynchronous retries) bean when the application (or a test, with a
	 * {@code ManualTicker} and {@code ManualScheduler}) defines one.
	 * Sections set under {@code resilience.instances.<name>} are created at start-up, so
	 * that they show in the actuator endpoints and metrics before their first call.
	 */
	@Bean
	@ConditionalOnMissingBean
	ResilienceRegistry resilienceRegistry(ResiliencePolicyResolver resolver,
			ResilienceConfigurationValidator validator, ObjectProvider<CircuitBreakerListener> circuitBreakerListeners,
			ObjectProvider<RetryListener> retryListeners, ObjectProvider<BulkheadListener> bulkheadListeners,
			ObjectProvider<ResilienceRegistryListener> registryListeners, ObjectProvider<Ticker> ticker,
			ObjectProvider<Sleeper> sleeper, ObjectProvider<Scheduler> scheduler) {
		ResilienceRegistry registry = ResilienceRegistry.builder(new PropertiesConfigSource(resolver))
			.ticker(ticker.getIfUnique(Ticker::system))
			.sleeper(sleeper.getIfUnique(Sleeper::system))
			.scheduler(scheduler.getIfUnique(Scheduler::system))
			.circuitBreakerListener(CompositeListeners.circuitBreaker(circuitBreakerListeners.orderedStream().toList()))
			.retryListener(CompositeListeners.retry(retryListeners.orderedStream().toList()))
			.bulkheadListener(CompositeListeners.bulkhead(bulkheadListeners.orderedStream().toList()))
			.registryListener(CompositeListeners.registry(registryListeners.orderedStream().toList()))
			.build();
		for (String name : resolver.instanceNames()) {
			// Only what the instance sets itself: a section inherited from
			// resilience.defaults is created when an annotation first asks for it.
			Set<PolicySection> sections = resolver.sectionsSetOnInstance(name);
			if (sections.contains(PolicySection.RETRY)) {
				registry.retry(name);
			}
			if (sections.contains(PolicySection.CIRCUIT_BREAKER)) {
				registry.circuitBreaker(name);
			}
			if (sections.contains(PolicySection.BULKHEAD)) {
				registry.bulkhead(name);
			}
		}
		return registry;
	}

	/**
	 * With virtual threads enabled, asynchronous retries start on virtual threads rather
	 * than on the common pool: an attempt may be a blocking method (an {@code @Async} one,
	 * whose executor Spring runs outside this library's advice), and blocking belongs on
	 * virtual threads there. The shared timer thread still keeps the time.
	 */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnThreading(Threading.VIRTUAL)
	Scheduler resilienceScheduler() {
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("resilience-retry-");
		executor.setVirtualThreads(true);
		return Scheduler.system(executor);
	}

	/**
	 * Keeps the validator eager under {@code spring.main.lazy-initialization}: nothing
	 * depends on it, so a lazy validator would never run and a mistake would surface at
	 * the first call instead of at start-up.
	 */
	@Bean
	static LazyInitializationExcludeFilter resilienceConfigurationValidatorExcludeFilter() {
		return LazyInitializationExcludeFilter.forBeanTypes(ResilienceConfigurationValidator.class);
	}

}

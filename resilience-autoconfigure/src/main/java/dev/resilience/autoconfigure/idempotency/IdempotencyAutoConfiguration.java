package dev.resilience.autoconfigure.idempotency;

import java.util.List;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.properties.IdempotencySettings;
import dev.resilience.autoconfigure.properties.PolicySection;
import dev.resilience.autoconfigure.properties.ResiliencePolicyResolver;
import dev.resilience.core.idempotency.IdempotencyConfig;
import dev.resilience.core.idempotency.IdempotencyListener;
import dev.resilience.core.idempotency.IdempotencyOutcome;
import dev.resilience.core.idempotency.IdempotencyStore;
import dev.resilience.core.idempotency.IdempotencyStoreException;
import dev.resilience.core.idempotency.InMemoryIdempotencyStore;
import dev.resilience.core.time.Scheduler;
import dev.resilience.core.time.Sleeper;
import dev.resilience.core.time.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.HandlerAdapter;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * Idempotency: the {@link IdempotencyStore} chosen by {@code resilience.idempotency.store}
 * ({@code memory} by default, {@code jdbc} on the application's {@code DataSource},
 * {@code redis} on its {@code RedisConnectionFactory}; a store bean of the application's
 * own wins), the {@link IdempotencyRegistry} of instances, {@code @Idempotent} support for
 * methods (results stored as JSON with the application's mapper) and for Spring MVC
 * handlers (keyed by the {@code Idempotency-Key} header), the
 * {@code resilience.idempotency.requests} meters, and a periodic removal of expired keys
 * from the memory and JDBC stores.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class, afterName = {
		"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
		"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
public final class IdempotencyAutoConfiguration {

	private static final String JSON_MAPPER = "tools.jackson.databind.json.JsonMapper";

	@Bean
	@ConditionalOnMissingBean
	IdempotencyStore idempotencyStore(ResiliencePolicyResolver resolver, ObjectProvider<Ticker> ticker,
			ApplicationContext context) {
		switch (resolver.idempotencyStore()) {
			case JDBC:
				return SharedStores.jdbc(context, context.getClassLoader());
			case REDIS:
				return SharedStores.redis(context, context.getClassLoader());
			case MEMORY:
			default:
				return InMemoryIdempotencyStore.create(InMemoryIdempotencyStore.DEFAULT_MAX_ENTRIES,
						ticker.getIfUnique(Ticker::system));
		}
	}

	/**
	 * The instances, each with the settings resolved for its name. Instances configured
	 * under {@code resilience.instances} are created at start-up, so that they show in the
	 * actuator endpoint before their first call.
	 */
	@Bean
	@ConditionalOnMissingBean
	IdempotencyRegistry idempotencyRegistry(IdempotencyStore store, ResiliencePolicyResolver resolver,
			ObjectProvider<IdempotencyListener> listeners, ObjectProvider<Ticker> ticker,
			ObjectProvider<Sleeper> sleeper, ObjectProvider<Scheduler> scheduler) {
		IdempotencyRegistry registry = IdempotencyRegistry.builder(store, (name) -> config(resolver, name))
			.listener(composite(listeners.orderedStream().toList()))
			.ticker(ticker.getIfUnique(Ticker::system))
			.sleeper(sleeper.getIfUnique(Sleeper::system))
			.scheduler(scheduler.getIfUnique(Scheduler::system))
			.build();
		for (String name : resolver.instanceNames()) {
			if (resolver.resolve(name).isConfigured(PolicySection.IDEMPOTENCY)) {
				registry.idempotency(name);
			}
		}
		return registry;
	}

	/**
	 * Scopes keys by the Spring Security principal when Spring Security is present;
	 * otherwise every call is anonymous.
	 */
	@Bean
	@ConditionalOnMissingBean
	IdempotencyPrincipalResolver idempotencyPrincipalResolver(ApplicationContext context) {
		if (ClassUtils.isPresent(SpringSecurityPrincipalResolver.SECURITY_CONTEXT_HOLDER, context.getClassLoader())) {
			return new SpringSecurityPrincipalResolver();
		}
		return IdempotencyPrincipalResolver.ANONYMOUS;
	}

	@Bean
	ExpiredKeysCleanup idempotencyExpiredKeysCleanup(IdempotencyStore store, ApplicationContext context) {
		return ExpiredKeysCleanup.of(store, context.getClassLoader());
	}

	@Bean
	@ConditionalOnMissingBean
	IdempotentMethods idempotentMethods(IdempotencyRegistry registry, IdempotencyPrincipalResolver principals,
			ApplicationContext context) {
		MethodSerialization serialization = ClassUtils.isPresent(JSON_MAPPER, context.getClassLoader())
				? Json.serialization(context) : null;
		return new IdempotentMethods(registry, serialization, principals);
	}

	private static IdempotencyConfig config(ResiliencePolicyResolver resolver, String name) {
		IdempotencySettings settings = resolver.resolve(name).idempotency();
		return new IdempotencyConfig(settings.ttl(), settings.lease(), settings.duplicateWait(),
				settings.maxKeyLength());
	}

	private static IdempotencyListener composite(List<IdempotencyListener> listeners) {
		if (listeners.isEmpty()) {
			return IdempotencyListener.NOOP;
		}
		if (listeners.size() == 1) {
			return listeners.get(0);
		}
		IdempotencyListener[] all = listeners.toArray(IdempotencyListener[]::new);
		return new IdempotencyListener() {

			@Override
			public void onOutcome(String name, IdempotencyOutcome outcome) {
				for (IdempotencyListener listener : all) {
					listener.onOutcome(name, outcome);
				}
			}

			@Override
			public void onStoreFailure(String name, IdempotencyStoreException failure) {
				for (IdempotencyListener listener : all) {
					listener.onStoreFailure(name, failure);
				}
			}

		};
	}

	/** Touches Jackson; loaded only when it is present. */
	private static final class Json {

		static MethodSerialization serialization(ListableBeanFactory beanFactory) {
			return new JacksonMethodSerialization(beanFactory.getBeanProvider(tools.jackson.databind.json.JsonMapper.class)
				.getIfUnique(tools.jackson.databind.json.JsonMapper::shared));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		MicrometerIdempotencyListener micrometerIdempotencyListener(MeterRegistry meterRegistry) {
			return new MicrometerIdempotencyListener(meterRegistry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(HandlerAdapter.class)
	static class WebMvcConfiguration {

		@Bean
		@ConditionalOnMissingBean
		IdempotentHandlerAdapter idempotentHandlerAdapter(IdempotencyRegistry registry,
				IdempotencyPrincipalResolver principals, ObjectProvider<HandlerAdapter> adapters,
				ObjectProvider<RequestMappingInfoHandlerMapping> mappings) {
			return new IdempotentHandlerAdapter(registry, principals, adapters, mappings);
		}

	}

}

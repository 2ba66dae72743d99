package dev.resilience.autoconfigure.slo;

import java.time.InstantSource;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.internal.StoreBeans;
import dev.resilience.autoconfigure.properties.ResilienceConfigurationValidator;
import dev.resilience.autoconfigure.properties.ResiliencePolicyResolver;
import dev.resilience.core.slo.ErrorBudgetListener;
import dev.resilience.core.time.Ticker;

/**
 * Error budgets: one per instance with an {@code slo} section, recorded around each
 * annotated call; shared through a JDBC or Redis {@link ErrorBudgetStore} when
 * {@code resilience.slo.store} (or, when unset, {@code resilience.idempotency.store}) says
 * so; reported by {@code /actuator/errorbudgets}, as Prometheus rules by
 * {@code /actuator/errorbudgetrules}, and as Micrometer meters.
 * <p>
 * Budgets count on an {@link InstantSource} bean (a {@code Clock} will do) when the
 * application defines exactly one, else on the system clock; every
 * {@link ErrorBudgetListener} bean receives their events.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class,
		afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
public final class ErrorBudgetAutoConfiguration {

	/** The name an instance goes by in the store when {@code spring.application.name} is unset. */
	static final String DEFAULT_APPLICATION_NAME = "application";

	@Bean
	@ConditionalOnMissingBean
	ErrorBudgetRegistry errorBudgetRegistry(ObjectProvider<InstantSource> clock,
			ObjectProvider<ErrorBudgetListener> listeners) {
		ErrorBudgetRegistry registry = ErrorBudgetRegistry.create(clock.getIfUnique(InstantSource::system));
		listeners.orderedStream().forEach(registry::addListener);
		return registry;
	}

	/**
	 * The instances' budgets, those configured under {@code resilience.instances} created
	 * at start-up so that they are reported before their first call. Depends on the
	 * validator so that a configuration mistake is reported as such first.
	 */
	@Bean
	@ConditionalOnMissingBean
	InstanceErrorBudgets instanceErrorBudgets(ErrorBudgetRegistry registry, ResiliencePolicyResolver resolver,
			ResilienceConfigurationValidator validator) {
		InstanceErrorBudgets budgets = new InstanceErrorBudgets(registry, resolver);
		budgets.registerConfiguredInstances();
		return budgets;
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(ErrorBudgetStore.class)
	ErrorBudgetFleet errorBudgetFleet(ErrorBudgetRegistry registry, ErrorBudgetStore store,
			ResiliencePolicyResolver resolver, Environment environment) {
		String application = environment.getProperty("spring.application.name", DEFAULT_APPLICATION_NAME);
		return ErrorBudgetFleet.create(registry, store, ErrorBudgetFleet.newInstanceId(application),
				resolver.sloFlushInterval());
	}

	@Bean
	@ConditionalOnMissingBean
	ErrorBudgetReports errorBudgetReports(ErrorBudgetRegistry registry, ObjectProvider<ErrorBudgetFleet> fleet) {
		ErrorBudgetFleet shared = fleet.getIfAvailable();
		return (shared != null) ? ErrorBudgetReports.ofFleet(registry, shared) : ErrorBudgetReports.ofProcess(registry);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "javax.sql.DataSource",
			"org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy" })
	@Conditional(OnSloStoreCondition.Jdbc.class)
	static class JdbcStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean(ErrorBudgetStore.class)
		JdbcErrorBudgetStore jdbcErrorBudgetStore(ObjectProvider<DataSource> dataSource) {
			return JdbcErrorBudgetStore.create(StoreBeans.unique(dataSource, DataSource.class, "resilience.slo.store",
					"jdbc", "share the error budgets"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.data.redis.connection.RedisConnectionFactory")
	@Conditional(OnSloStoreCondition.Redis.class)
	static class RedisStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean(ErrorBudgetStore.class)
		RedisErrorBudgetStore redisErrorBudgetStore(ObjectProvider<RedisConnectionFactory> connectionFactory) {
			return RedisErrorBudgetStore.create(StoreBeans.unique(connectionFactory, RedisConnectionFactory.class,
					"resilience.slo.store", "redis", "share the error budgets"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ErrorBudgetMeters errorBudgetMeters(MeterRegistry meterRegistry, ErrorBudgetRegistry registry,
				ErrorBudgetReports reports, ObjectProvider<Ticker> ticker) {
			return ErrorBudgetMeters.bind(meterRegistry, registry, reports, ticker.getIfUnique(Ticker::system));
		}

		/**
		 * Keeps the meters eager under {@code spring.main.lazy-initialization}: nothing
		 * depends on them, so lazy meters would never be registered.
		 */
		@Bean
		static LazyInitializationExcludeFilter errorBudgetMetersExcludeFilter() {
			return LazyInitializationExcludeFilter.forBeanTypes(ErrorBudgetMeters.class);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Endpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint
		ErrorBudgetsEndpoint errorBudgetsEndpoint(ErrorBudgetReports reports) {
			return new ErrorBudgetsEndpoint(reports);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint
		ErrorBudgetRulesEndpoint errorBudgetRulesEndpoint(ErrorBudgetRegistry registry) {
			return new ErrorBudgetRulesEndpoint(registry);
		}

	}

}

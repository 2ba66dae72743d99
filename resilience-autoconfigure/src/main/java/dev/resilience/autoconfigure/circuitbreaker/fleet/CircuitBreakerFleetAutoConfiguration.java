package dev.resilience.autoconfigure.circuitbreaker.fleet;

import java.time.InstantSource;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.resilience.autoconfigure.internal.StoreBeans;
import dev.resilience.autoconfigure.properties.ResiliencePolicyResolver;
import dev.resilience.autoconfigure.properties.ResilienceProperties;
import dev.resilience.core.circuitbreaker.fleet.CircuitBreakerFleet;
import dev.resilience.core.circuitbreaker.fleet.FleetOutcomeStore;
import dev.resilience.core.circuitbreaker.fleet.InMemoryFleetOutcomeStore;

/**
 * Circuit breakers that open on the outcomes of the whole fleet
 * ({@code circuit-breaker.fleet: true}): a {@link CircuitBreakerFleet}, which every breaker
 * reports its calls to as one of its listeners, its store ({@code resilience.fleet.store},
 * unset: the idempotency store's kind) and the thread that exchanges outcomes with it.
 * Nothing here exists unless some breaker is a fleet breaker. A {@link FleetOutcomeStore}
 * bean of the application's replaces the configured one. Buckets are cut on an
 * {@link InstantSource} bean when there is one (a {@code Clock} will do).
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@Conditional(OnFleetBreakersCondition.class)
public final class CircuitBreakerFleetAutoConfiguration {

	private static final Log logger = LogFactory.getLog(CircuitBreakerFleetAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	CircuitBreakerFleet circuitBreakerFleet(ObjectProvider<FleetOutcomeStore> store,
			ObjectProvider<InstantSource> clock, ResilienceProperties properties) {
		FleetOutcomeStore chosen = store.getIfUnique(() -> {
			logger.warn("Circuit breakers with circuit-breaker.fleet share their outcomes within this JVM only: "
					+ "set resilience.fleet.store (or resilience.idempotency.store) to jdbc or redis to share them "
					+ "with the other instances");
			return new InMemoryFleetOutcomeStore();
		});
		return CircuitBreakerFleet.create(chosen, clock.getIfUnique(InstantSource::system),
				properties.getFleet().getSyncInterval());
	}

	@Bean
	@ConditionalOnMissingBean
	CircuitBreakerFleetSync circuitBreakerFleetSync(CircuitBreakerFleet fleet, ResiliencePolicyResolver resolver,
			ObjectProvider<FleetOutcomeStore> store, ResilienceProperties properties) {
		FleetOutcomeStore chosen = store.getIfUnique();
		return new CircuitBreakerFleetSync(fleet, resolver,
				(chosen != null) ? chosen.toString() : "an in-memory store (this JVM only)",
				properties.getFleet().isExchangeOnFailure());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "javax.sql.DataSource",
			"org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy" })
	@Conditional(OnFleetStoreCondition.Jdbc.class)
	static class JdbcStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean(FleetOutcomeStore.class)
		JdbcFleetOutcomeStore jdbcFleetOutcomeStore(ObjectProvider<DataSource> dataSource) {
			return JdbcFleetOutcomeStore.create(StoreBeans.unique(dataSource, DataSource.class,
					"resilience.fleet.store", "jdbc", "share the circuit breakers' outcomes"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.data.redis.connection.RedisConnectionFactory")
	@Conditional(OnFleetStoreCondition.Redis.class)
	static class RedisStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean(FleetOutcomeStore.class)
		RedisFleetOutcomeStore redisFleetOutcomeStore(ObjectProvider<RedisConnectionFactory> connectionFactory) {
			return RedisFleetOutcomeStore.create(StoreBeans.unique(connectionFactory, RedisConnectionFactory.class,
					"resilience.fleet.store", "redis", "share the circuit breakers' outcomes"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		CircuitBreakerFleetMeters circuitBreakerFleetMeters(CircuitBreakerFleet fleet,
				ResiliencePolicyResolver resolver, MeterRegistry meterRegistry) {
			return new CircuitBreakerFleetMeters(fleet, resolver, meterRegistry);
		}

	}

}

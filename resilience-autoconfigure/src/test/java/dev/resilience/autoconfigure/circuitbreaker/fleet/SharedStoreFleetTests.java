package dev.resilience.autoconfigure.circuitbreaker.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.actuate.CircuitBreakersEndpoint;
import dev.resilience.autoconfigure.actuate.CircuitBreakersEndpoint.FleetDescriptor;
import dev.resilience.autoconfigure.actuate.ResilienceEndpointsAutoConfiguration;
import dev.resilience.autoconfigure.testsupport.TestServices;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerState;
import dev.resilience.core.circuitbreaker.fleet.CircuitBreakerFleet;
import dev.resilience.core.circuitbreaker.fleet.FleetOutcomeStore;

/**
 * Application contexts standing for two instances of a service, each with its own
 * connection pool, sharing a fleet breaker through a real Redis or PostgreSQL as
 * {@code resilience.fleet.store} (or the idempotency store's kind) configures it.
 */
class SharedStoreFleetTests {

	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	abstract static class SharedStore {

		String breaker;

		private TestServices.Availability service;

		abstract TestServices.Availability probe();

		abstract ApplicationContextRunner configure(ApplicationContextRunner runner);

		abstract Class<? extends FleetOutcomeStore> storeType();

		abstract void deleteBuckets(String breaker) throws Exception;

		@BeforeAll
		void probeService() {
			this.service = probe();
		}

		@BeforeEach
		void nameTheBreaker() {
			this.service.assume();
			this.breaker = "fleet-" + TestServices.uniqueId();
		}

		private ApplicationContextRunner runner() {
			return configure(new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
						CircuitBreakerFleetAutoConfiguration.class, ResilienceEndpointsAutoConfiguration.class))
				.withPropertyValues("management.endpoints.web.exposure.include=circuitbreakers",
						"resilience.instances." + this.breaker + ".circuit-breaker.fleet=true",
						"resilience.instances." + this.breaker + ".circuit-breaker.consecutive-failure-threshold=0"));
		}

		@Test
		void failuresTooFewForEitherInstanceOpenTheBreakerOfBoth() throws Exception {
			try {
				runner().run((first) -> runner().run((second) -> {
					assertThat(first).getBean(FleetOutcomeStore.class).isInstanceOf(storeType());
					fail(first, 12);
					fail(second, 12);
					first.getBean(CircuitBreakerFleet.class).sync();
					second.getBean(CircuitBreakerFleet.class).sync();
					first.getBean(CircuitBreakerFleet.class).sync();
					for (AssertableApplicationContext context : new AssertableApplicationContext[] { first, second }) {
						assertThat(breaker(context).state()).isEqualTo(CircuitBreakerState.OPEN);
						FleetDescriptor fleet = context.getBean(CircuitBreakersEndpoint.class)
							.circuitBreaker(this.breaker)
							.fleet();
						assertThat(fleet.calls()).isEqualTo(24);
						assertThat(fleet.failedCalls()).isEqualTo(24);
						assertThat(fleet.trips()).isEqualTo(1);
						assertThat(fleet.lastFailure()).isNull();
					}
				}));
			}
			finally {
				deleteBuckets(this.breaker);
			}
		}

		@Test
		void probesOfOneInstanceCloseTheBreakerTheFleetHoldsInTheOther() throws Exception {
			try {
				runner().withPropertyValues("resilience.instances." + this.breaker + ".circuit-breaker.open-duration=100ms")
					.run((first) -> runner()
						.withPropertyValues(
								"resilience.instances." + this.breaker + ".circuit-breaker.open-duration=100ms")
						.run((second) -> {
							fail(first, 12);
							fail(second, 12);
							first.getBean(CircuitBreakerFleet.class).sync();
							second.getBean(CircuitBreakerFleet.class).sync();
							first.getBean(CircuitBreakerFleet.class).sync();
							assertThat(breaker(first).state()).isEqualTo(CircuitBreakerState.OPEN);
							assertThat(breaker(second).state()).isEqualTo(CircuitBreakerState.OPEN);
							// Each instance's exchanges (every 250 ms) hold its breaker open or draw
							// it to probe; the first is drawn within a few, and its hold runs out.
							awaitState(first, CircuitBreakerState.HALF_OPEN, first, second);
							CircuitBreaker probing = breaker(first);
							for (int i = 0; i < probing.config().halfOpenCalls(); i++) {
								probing.acquirePermission().onSuccess(1_000_000);
							}
							assertThat(probing.state()).isEqualTo(CircuitBreakerState.CLOSED);
							// The second made no call since: only the first's probes, through the
							// store, can close it.
							awaitState(second, CircuitBreakerState.CLOSED, first, second);
							FleetDescriptor fleet = second.getBean(CircuitBreakersEndpoint.class)
								.circuitBreaker(this.breaker)
								.fleet();
							assertThat(fleet.held()).isFalse();
							assertThat(fleet.probing()).isFalse();
							assertThat(breaker(second).metrics().bufferedCalls()).isZero();
						}));
			}
			finally {
				deleteBuckets(this.breaker);
			}
		}

		/**
		 * Waits for a breaker's state, exchanging both instances' outcomes every 50 ms on this
		 * thread as well as on their own (overlapping exchanges take turns).
		 */
		private void awaitState(AssertableApplicationContext context, CircuitBreakerState state,
				AssertableApplicationContext... exchanging) {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (breaker(context).state() != state) {
				for (AssertableApplicationContext instance : exchanging) {
					instance.getBean(CircuitBreakerFleet.class).sync();
				}
				assertThat(System.nanoTime())
					.as(() -> state + " within 10 s; the fleet's last view: "
							+ context.getBean(CircuitBreakerFleet.class).view(this.breaker))
					.isLessThan(deadline);
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
			}
		}

		private CircuitBreaker breaker(AssertableApplicationContext context) {
			return context.getBean(ResilienceRegistry.class).circuitBreaker(this.breaker);
		}

		private void fail(AssertableApplicationContext context, int calls) {
			CircuitBreaker breaker = breaker(context);
			for (int i = 0; i < calls; i++) {
				breaker.acquirePermission().onError(0, new IOException("down"));
			}
		}

	}

	@Nested
	class SharingRedis extends SharedStore {

		@Override
		TestServices.Availability probe() {
			return TestServices.probeRedis();
		}

		@Override
		ApplicationContextRunner configure(ApplicationContextRunner runner) {
			// The idempotency store's kind, when resilience.fleet.store is unset.
			return runner.withBean(RedisConnectionFactory.class, () -> TestServices.redis(6379))
				.withPropertyValues("resilience.idempotency.store=redis");
		}

		@Override
		Class<? extends FleetOutcomeStore> storeType() {
			return RedisFleetOutcomeStore.class;
		}

		@Override
		void deleteBuckets(String breaker) {
			LettuceConnectionFactory factory = TestServices.redis(6379);
			try (RedisConnection connection = factory.getConnection()) {
				long bucket = System.currentTimeMillis() / 1000;
				for (long i = bucket - 30; i <= bucket + 30; i++) {
					connection.keyCommands()
						.del((RedisFleetOutcomeStore.DEFAULT_KEY_PREFIX + "{" + breaker + "}:1000:" + i).getBytes());
				}
			}
			finally {
				factory.destroy();
			}
		}

	}

	@Nested
	class SharingPostgres extends SharedStore {

		@Override
		TestServices.Availability probe() {
			return TestServices.probePostgres();
		}

		@Override
		ApplicationContextRunner configure(ApplicationContextRunner runner) {
			return runner.withBean(DataSource.class, TestServices::postgres, (definition) -> definition
				.setDestroyMethodName("close")).withPropertyValues("resilience.fleet.store=jdbc");
		}

		@Override
		Class<? extends FleetOutcomeStore> storeType() {
			return JdbcFleetOutcomeStore.class;
		}

		@Override
		void deleteBuckets(String breaker) throws Exception {
			try (HikariDataSource dataSource = TestServices.postgres();
					Connection connection = dataSource.getConnection();
					PreparedStatement delete = connection.prepareStatement(
							"DELETE FROM " + JdbcFleetOutcomeStore.DEFAULT_TABLE_NAME + " WHERE breaker_name = ?")) {
				delete.setString(1, breaker);
				delete.executeUpdate();
			}
		}

	}

}

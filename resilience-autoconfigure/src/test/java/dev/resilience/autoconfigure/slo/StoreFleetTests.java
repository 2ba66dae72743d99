package dev.resilience.autoconfigure.slo;

import java.sql.Connection;
import java.sql.PreparedStatement;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.resilience.autoconfigure.testsupport.TestServices;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.slo.ErrorBudgetsEndpoint.ErrorBudgetDescriptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Application contexts standing for the instances of one application, sharing their error
 * budgets through a real PostgreSQL or Redis as configured by {@code resilience.slo.store}:
 * each reports the sum of all, and a restarted one keeps the budget (written on shutdown,
 * read back on start).
 */
class StoreFleetTests {

	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	abstract static class SharedStore {

		String slo;

		private Exception unavailable;

		abstract String service();

		abstract Exception probe();

		abstract ApplicationContextRunner configure(ApplicationContextRunner runner);

		abstract void deleteRows(String slo) throws Exception;

		@BeforeAll
		void probeService() {
			this.unavailable = probe();
		}

		@BeforeEach
		void nameTheObjective() {
			Services.assume(service(), this.unavailable);
			this.slo = "fleet-" + Services.uniqueId();
		}

		@AfterAll
		void deleteTheRowsOfThisRun() throws Exception {
			if (this.unavailable == null) {
				deleteRows("fleet-%");
			}
		}

		private ApplicationContextRunner runner() {
			return configure(new ApplicationContextRunner()
				.withConfiguration(
						AutoConfigurations.of(ResilienceAutoConfiguration.class, ErrorBudgetAutoConfiguration.class))
				.withPropertyValues("resilience.instances." + this.slo + ".slo.objective=99",
						"spring.application.name=checkout"));
		}

		@Test
		void twoInstancesEachReportTheSumOfBoth() {
			runner().run((first) -> runner().run((second) -> {
				record(first, 90, 10);
				record(second, 45, 5);

				fleet(first).flush();
				fleet(second).flush();

				for (AssertableApplicationContext context : new AssertableApplicationContext[] { first, second }) {
					ErrorBudgetDescriptor budget = endpoint(context).errorBudget(this.slo);
					assertThat(budget.scope()).isEqualTo("fleet");
					assertThat(budget.events()).isEqualTo(150);
					assertThat(budget.badEvents()).isEqualTo(15);
					assertThat(budget.budgetConsumed()).isCloseTo(10.0, within(1e-9));
				}
			}));
		}

		@Test
		void aRestartedInstanceKeepsTheBudgetItWroteAtShutdown() {
			runner().run((context) -> record(context, 80, 20));

			runner().run((restarted) -> {
				ErrorBudgetDescriptor budget = endpoint(restarted).errorBudget(this.slo);
				assertThat(budget.scope()).isEqualTo("fleet");
				assertThat(budget.events()).isEqualTo(100);
				assertThat(budget.badEvents()).isEqualTo(20);

				record(restarted, 100, 0);
				assertThat(endpoint(restarted).errorBudget(this.slo).events()).as("not counted twice")
					.isEqualTo(200);
			});
			runner().run((again) -> assertThat(endpoint(again).errorBudget(this.slo).events()).isEqualTo(200));
		}

		private void record(AssertableApplicationContext context, long good, long bad) {
			context.getBean(ErrorBudgetRegistry.class).find(this.slo).orElseThrow().record(good, bad);
		}

		private static ErrorBudgetFleet fleet(AssertableApplicationContext context) {
			return context.getBean(ErrorBudgetFleet.class);
		}

		private static ErrorBudgetsEndpoint endpoint(AssertableApplicationContext context) {
			return new ErrorBudgetsEndpoint(context.getBean(ErrorBudgetReports.class));
		}

	}

	@Nested
	class SharingPostgres extends SharedStore {

		@Override
		String service() {
			return "PostgreSQL on 127.0.0.1:5432";
		}

		@Override
		Exception probe() {
			return TestServices.probePostgres().failure();
		}

		@Override
		ApplicationContextRunner configure(ApplicationContextRunner runner) {
			return runner.withUserConfiguration(PostgresConfiguration.class)
				.withPropertyValues("resilience.slo.store=jdbc");
		}

		@Override
		void deleteRows(String slo) throws Exception {
			try (var dataSource = Services.postgres();
					Connection connection = dataSource.getConnection();
					PreparedStatement delete = connection.prepareStatement(
							"DELETE FROM " + JdbcErrorBudgetStore.DEFAULT_TABLE_NAME + " WHERE slo_name LIKE ?")) {
				delete.setString(1, slo);
				delete.executeUpdate();
			}
		}

	}

	@Nested
	class SharingRedis extends SharedStore {

		@Override
		String service() {
			return "Redis on 127.0.0.1:6379";
		}

		@Override
		Exception probe() {
			return TestServices.probeRedis().failure();
		}

		@Override
		ApplicationContextRunner configure(ApplicationContextRunner runner) {
			return runner.withUserConfiguration(RedisConfiguration.class)
				.withPropertyValues("resilience.idempotency.store=redis");
		}

		@Override
		void deleteRows(String slo) {
			LettuceConnectionFactory factory = Services.redis(6379);
			try {
				RedisErrorBudgetStoreTests.deleteKeys(factory,
						RedisErrorBudgetStore.DEFAULT_KEY_PREFIX + "{" + slo.replace("%", ""));
			}
			finally {
				factory.destroy();
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PostgresConfiguration {

		/** A pool per context, as each instance of an application has its own. */
		@Bean
		DataSource dataSource() {
			return Services.postgres();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RedisConfiguration {

		@Bean
		LettuceConnectionFactory redisConnectionFactory() {
			LettuceConnectionFactory factory = new LettuceConnectionFactory("127.0.0.1", 6379);
			factory.setTimeout(3000);
			return factory;
		}

	}

}

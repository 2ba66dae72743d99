package dev.resilience.autoconfigure.idempotency;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static dev.resilience.autoconfigure.idempotency.IdempotentWebTests.order;
import static dev.resilience.autoconfigure.idempotency.IdempotentWebTests.perform;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared store goes away in the middle of a test and comes back: while it is away,
 * idempotent requests fail with 503 and the handler does not run; once it is back, what
 * was stored before is replayed and what failed runs, once. PostgreSQL is taken away by
 * switching off the DataSource the store uses, Redis by stopping its connection factory.
 */
class IdempotencyStoreOutageTests {

	private final IdempotentWebTests.OrderProbe probe = new IdempotentWebTests.OrderProbe();

	private final SwitchableDataSource dataSource = new SwitchableDataSource();

	private final WebApplicationContextRunner runner = IdempotentWebTests.WEB
		.withBean(IdempotentWebTests.OrderProbe.class, () -> probe)
		.withUserConfiguration(IdempotentWebTests.OrderController.class);

	@AfterEach
	void closeDataSource() {
		dataSource.close();
	}

	@ParameterizedTest
	@EnumSource(value = TestStore.class, names = { "POSTGRES", "REDIS" })
	void requestsFailWith503WhileTheStoreIsAwayAndNothingRunsTwiceOrIsLost(TestStore store) {
		store.assume();
		String stored = "outage-stored-" + UUID.randomUUID();
		String failed = "outage-failed-" + UUID.randomUUID();
		configure(store).run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			MockHttpServletResponse before = perform(mvc, order(stored, 100));
			assertThat(before.getStatus()).isEqualTo(201);

			takeAway(store, context);
			MockHttpServletResponse duplicateWhileAway = perform(mvc, order(stored, 100));
			MockHttpServletResponse newWhileAway = perform(mvc, order(failed, 200));

			assertThat(duplicateWhileAway.getStatus()).isEqualTo(503);
			assertThat(duplicateWhileAway.getContentAsString()).contains("Idempotency store unavailable");
			assertThat(newWhileAway.getStatus()).isEqualTo(503);
			assertThat(probe.executions).hasValue(1);

			bringBack(store, context);
			MockHttpServletResponse duplicateAfter = perform(mvc, order(stored, 100));
			MockHttpServletResponse retriedAfter = perform(mvc, order(failed, 200));
			MockHttpServletResponse retriedAgain = perform(mvc, order(failed, 200));

			assertThat(duplicateAfter.getHeader(IdempotentHandlerAdapter.REPLAYED_HEADER)).isEqualTo("true");
			assertThat(duplicateAfter.getContentAsString()).isEqualTo(before.getContentAsString());
			assertThat(retriedAfter.getStatus()).isEqualTo(201);
			assertThat(retriedAfter.getHeader(IdempotentHandlerAdapter.REPLAYED_HEADER)).isNull();
			assertThat(retriedAgain.getContentAsString()).isEqualTo(retriedAfter.getContentAsString());
			assertThat(probe.executions).hasValue(2);
		});
	}

	@ParameterizedTest
	@EnumSource(value = TestStore.class, names = { "POSTGRES", "REDIS" })
	void callThatLosesTheStoreWhileRunningKeepsItsAnswerAndIsNotRunAgainWithinTheLease(TestStore store)
			throws Exception {
		store.assume();
		String key = "outage-midcall-" + UUID.randomUUID();
		ExecutorService pool = Executors.newSingleThreadExecutor();
		try {
			configure(store).run((context) -> {
				MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
				probe.hold = new CountDownLatch(1);
				Future<MockHttpServletResponse> running = pool.submit(() -> perform(mvc, order(key, 100)));
				assertThat(probe.entered.await(5, TimeUnit.SECONDS)).isTrue();

				takeAway(store, context);
				probe.hold.countDown();
				MockHttpServletResponse answer = running.get(10, TimeUnit.SECONDS);
				bringBack(store, context);

				// The call happened, so its caller gets its answer although it could not be stored.
				assertThat(answer.getStatus()).isEqualTo(201);
				// Its claim holds until the lease ends: a duplicate is refused, not run a second time.
				assertThat(perform(mvc, order(key, 100)).getStatus()).isEqualTo(409);
				assertThat(probe.executions).hasValue(1);
			});
		}
		finally {
			if (probe.hold != null) {
				probe.hold.countDown();
			}
			pool.shutdownNow();
		}
	}

	private WebApplicationContextRunner configure(TestStore store) {
		WebApplicationContextRunner configured = store.configure(runner);
		if (store == TestStore.POSTGRES) {
			// The application's DataSource, which the test can switch off.
			return configured.withBean(DataSource.class, () -> dataSource);
		}
		return configured;
	}

	private void takeAway(TestStore store, AssertableWebApplicationContext context) {
		if (store == TestStore.POSTGRES) {
			dataSource.up = false;
		}
		else {
			context.getBean(LettuceConnectionFactory.class).stop();
		}
	}

	private void bringBack(TestStore store, AssertableWebApplicationContext context) {
		if (store == TestStore.POSTGRES) {
			dataSource.up = true;
		}
		else {
			context.getBean(LettuceConnectionFactory.class).start();
		}
	}

	/** Hands out connections of a real pool, or fails as an unreachable database would. */
	static final class SwitchableDataSource extends DelegatingDataSource {

		private final HikariDataSource pool = new HikariDataSource();

		volatile boolean up = true;

		SwitchableDataSource() {
			pool.setJdbcUrl(TestStore.POSTGRES_URL);
			pool.setUsername("postgres");
			pool.setMaximumPoolSize(4);
			setTargetDataSource(pool);
		}

		@Override
		public Connection getConnection() throws SQLException {
			if (!up) {
				throw new SQLException("Connection refused (switched off by the test)", "08001");
			}
			return super.getConnection();
		}

		void close() {
			pool.close();
		}

	}

}

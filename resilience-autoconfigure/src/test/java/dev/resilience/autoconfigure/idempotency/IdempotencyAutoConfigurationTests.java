package dev.resilience.autoconfigure.idempotency;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.properties.ResilienceConfigurationException;
import dev.resilience.autoconfigure.properties.ResilienceConfigurationFailureAnalyzer;
import dev.resilience.core.idempotency.IdempotencyRequest;
import dev.resilience.core.idempotency.IdempotencyStore;
import dev.resilience.core.idempotency.InMemoryIdempotencyStore;
import dev.resilience.core.idempotency.StoredResult;
import dev.resilience.core.idempotency.ResultCodec;
import dev.resilience.core.time.ManualTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyAutoConfigurationTests {

	private static final ResultCodec<String> TEXT = new ResultCodec<>() {

		@Override
		public StoredResult encode(String result) {
			return StoredResult.of(result.getBytes(StandardCharsets.UTF_8));
		}

		@Override
		public String decode(StoredResult stored) {
			return new String(stored.body(), StandardCharsets.UTF_8);
		}

	};

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(ResilienceAutoConfiguration.class, IdempotencyAutoConfiguration.class));

	@AfterEach
	void clearSecurityContext() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void runWithNothingConfiguredShouldUseTheBoundedMemoryStore() {
		runner.run((context) -> {
			assertThat(context).hasSingleBean(IdempotencyStore.class).hasSingleBean(IdempotencyRegistry.class);
			assertThat(context.getBean(IdempotencyStore.class)).isInstanceOfSatisfying(InMemoryIdempotencyStore.class,
					(store) -> assertThat(store.maxEntries()).isEqualTo(InMemoryIdempotencyStore.DEFAULT_MAX_ENTRIES));
		});
	}

	@Test
	void storeBacksOff() {
		IdempotencyStore own = InMemoryIdempotencyStore.create();
		runner.withBean(IdempotencyStore.class, () -> own).run((context) -> {
			assertThat(context).hasSingleBean(IdempotencyStore.class);
			assertThat(context.getBean(IdempotencyRegistry.class).store()).isSameAs(own);
		});
	}

	@Test
	void registryBacksOff() {
		IdempotencyRegistry own = IdempotencyRegistry
			.builder(InMemoryIdempotencyStore.create(), (name) -> dev.resilience.core.idempotency.IdempotencyConfig.defaults())
			.build();
		runner.withBean(IdempotencyRegistry.class, () -> own)
			.run((context) -> assertThat(context.getBean(IdempotencyRegistry.class)).isSameAs(own));
	}

	@Test
	void principalResolverBacksOff() {
		IdempotencyPrincipalResolver tenant = () -> "tenant-7";
		runner.withBean(IdempotencyPrincipalResolver.class, () -> tenant)
			.run((context) -> assertThat(context.getBean(IdempotencyPrincipalResolver.class)).isSameAs(tenant));
	}

	@Test
	void jdbcStoreUsesTheApplicationsDataSource() {
		runner.withPropertyValues("resilience.idempotency.store=jdbc")
			.withBean(DataSource.class,
					() -> new DriverManagerDataSource("jdbc:h2:mem:idem-autoconfig;DB_CLOSE_DELAY=-1", "sa", ""))
			.run((context) -> {
				IdempotencyStore store = context.getBean(IdempotencyStore.class);
				assertThat(store).isInstanceOf(JdbcIdempotencyStore.class);
				String result = context.getBean(IdempotencyRegistry.class)
					.idempotency("payments")
					.execute(IdempotencyRequest.of("k", "fp"), TEXT, () -> "paid");
				assertThat(result).isEqualTo("paid");
			});
	}

	@Test
	void cleanupDeletesExpiredRowsOfTheJdbcStore() {
		DriverManagerDataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:idem-cleanup;DB_CLOSE_DELAY=-1",
				"sa", "");
		runner.withPropertyValues("resilience.idempotency.store=jdbc")
			.withBean(DataSource.class, () -> dataSource)
			.run((context) -> {
				// A claim whose lease ended an hour ago by the database's clock.
				JdbcIdempotencyStore.builder(dataSource)
					.clock(new MutableClock(System.currentTimeMillis() - 3_600_000))
					.build()
					.claim(dev.resilience.core.idempotency.IdempotencyKey.of("orders", null, "old"), "fp",
							Duration.ofSeconds(30));
				ExpiredKeysCleanup cleanup = context.getBean(ExpiredKeysCleanup.class);

				assertThat(cleanup.isRunning()).isTrue();
				assertThat(cleanup.runOnce()).isEqualTo(1);
				assertThat(cleanup.runOnce()).isZero();
			});
	}

	@Test
	void cleanupEvictsExpiredEntriesOfTheMemoryStore() {
		ManualTicker ticker = ManualTicker.create();
		runner.withBean(ManualTicker.class, () -> ticker).run((context) -> {
			context.getBean(IdempotencyRegistry.class)
				.idempotency("orders")
				.execute(IdempotencyRequest.of("k", "fp"), TEXT, () -> "ok");
			ExpiredKeysCleanup cleanup = context.getBean(ExpiredKeysCleanup.class);
			assertThat(cleanup.runOnce()).isZero();

			ticker.advance(Duration.ofHours(24).plusMillis(1));

			assertThat(cleanup.runOnce()).isEqualTo(1);
		});
	}

	@Test
	void cleanupLeavesOtherStoresAlone() {
		runner.withPropertyValues("resilience.idempotency.store=redis")
			.withBean(LettuceConnectionFactory.class,
					() -> new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 6379)))
			.run((context) -> {
				assertThat(context.getBean(ExpiredKeysCleanup.class).isRunning()).isFalse();
				assertThat(context.getBean(ExpiredKeysCleanup.class).runOnce()).isZero();
			});
	}

	@Test
	void jdbcStoreWithoutDataSourceStopsStartUpNamingWhatIsMissing() {
		runner.withPropertyValues("resilience.idempotency.store=jdbc").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(ResilienceConfigurationException.class)
				.hasMessageContaining("resilience.idempotency.store can be jdbc only with one DataSource bean");
			FailureAnalysis analysis = new ResilienceConfigurationFailureAnalyzer(null)
				.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("resilience.idempotency.store").contains("jdbc");
			assertThat(analysis.getAction()).contains("spring.datasource.url");
		});
	}

	@Test
	void jdbcStoreWithoutSpringJdbcStopsStartUpNamingWhatIsMissing() {
		runner.withPropertyValues("resilience.idempotency.store=jdbc")
			.withClassLoader(new FilteredClassLoader("org.springframework.jdbc"))
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("can be jdbc only with Spring JDBC on the classpath"));
	}

	@Test
	void redisStoreUsesTheApplicationsConnectionFactory() {
		runner.withPropertyValues("resilience.idempotency.store=redis")
			.withBean(LettuceConnectionFactory.class,
					() -> new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 6379)))
			.run((context) -> assertThat(context.getBean(IdempotencyStore.class))
				.isInstanceOf(RedisIdempotencyStore.class));
	}

	@Test
	void redisStoreWithoutConnectionFactoryStopsStartUpNamingWhatIsMissing() {
		runner.withPropertyValues("resilience.idempotency.store=redis")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(ResilienceConfigurationException.class)
				.hasMessageContaining("can be redis only with one RedisConnectionFactory bean"));
	}

	@Test
	void configuredInstancesAreCreatedAtStartUpWithTheirSettings() {
		runner
			.withPropertyValues("resilience.instances.orders.idempotency.ttl=2h", "resilience.idempotency.lease=5s",
					"resilience.idempotency.wait=100ms", "resilience.idempotency.max-key-length=64")
			.run((context) -> {
				IdempotencyRegistry registry = context.getBean(IdempotencyRegistry.class);
				assertThat(registry.instances()).hasSize(1);
				assertThat(registry.find("orders")).hasValueSatisfying((orders) -> {
					assertThat(orders.config().ttl()).isEqualTo(Duration.ofHours(2));
					assertThat(orders.config().lease()).isEqualTo(Duration.ofSeconds(5));
					assertThat(orders.config().maxWait()).isEqualTo(Duration.ofMillis(100));
					assertThat(orders.config().maxKeyLength()).isEqualTo(64);
				});
			});
	}

	@Test
	void keysAreScopedBySpringSecurityPrincipalWhenPresent() {
		runner.run((context) -> {
			SecurityContextHolder.getContext()
				.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("alice", "n/a", List.of()));
			assertThat(context.getBean(IdempotencyPrincipalResolver.class).currentPrincipal()).isEqualTo("alice");
		});
	}

	@Test
	void principalIsEmptyWithoutSpringSecurity() {
		runner.withClassLoader(new FilteredClassLoader("org.springframework.security")).run((context) -> {
			SecurityContextHolder.getContext()
				.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("alice", "n/a", List.of()));
			assertThat(context.getBean(IdempotencyPrincipalResolver.class))
				.isSameAs(IdempotencyPrincipalResolver.ANONYMOUS);
		});
	}

	@Test
	void endpointIsCreatedWhenExposedAndCountsOutcomesPerInstance() {
		runner.withConfiguration(AutoConfigurations.of(IdempotencyEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=idempotency",
					"resilience.instances.orders.idempotency.ttl=2h")
			.run((context) -> {
				IdempotencyRegistry registry = context.getBean(IdempotencyRegistry.class);
				registry.idempotency("orders").execute(IdempotencyRequest.of("k", "fp"), TEXT, () -> "ok");
				registry.idempotency("orders").execute(IdempotencyRequest.of("k", "fp"), TEXT, () -> "ok");

				IdempotencyEndpoint.IdempotencyDescriptor descriptor = context.getBean(IdempotencyEndpoint.class)
					.idempotency();

				assertThat(descriptor.store()).startsWith("InMemoryIdempotencyStore");
				assertThat(descriptor.instances()).containsOnlyKeys("orders");
				assertThat(descriptor.instances().get("orders").ttl()).isEqualTo("PT2H");
				assertThat(descriptor.instances().get("orders").outcomes()).containsEntry("executed", 1L)
					.containsEntry("replayed", 1L)
					.containsEntry("conflict", 0L)
					.containsEntry("reused_key", 0L);
				assertThat(context.getBean(IdempotencyEndpoint.class).instance("unknown")).isNull();
			});
	}

	@Test
	void runWhenNotExposedShouldNotHaveEndpointBean() {
		runner.withConfiguration(AutoConfigurations.of(IdempotencyEndpointAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(IdempotencyEndpoint.class));
	}

	@Test
	void autoConfigurationsAreRegisteredInTheImportsFile() throws IOException {
		try (InputStream imports = getClass().getResourceAsStream(
				"/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
			assertThat(new String(imports.readAllBytes(), StandardCharsets.UTF_8).lines()).contains(
					IdempotencyAutoConfiguration.class.getName(), IdempotencyEndpointAutoConfiguration.class.getName());
		}
	}

}

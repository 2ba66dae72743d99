package dev.resilience.autoconfigure.slo;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.properties.HttpSloSettings;
import dev.resilience.autoconfigure.properties.ResilienceConfigurationException;
import dev.resilience.autoconfigure.properties.ResiliencePolicyResolver;
import dev.resilience.autoconfigure.properties.SloSettings;
import dev.resilience.autoconfigure.properties.SloStoreType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code resilience.slo.*} and the {@code slo} sections are validated at start-up, and
 * an HTTP objective inherits what it does not set from {@code resilience.defaults.slo}.
 */
class ErrorBudgetConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class, ErrorBudgetAutoConfiguration.class));

	@Test
	void httpObjectivesResolveOverTheDefaults() {
		this.runner
			.withPropertyValues("resilience.defaults.slo.objective=99.5", "resilience.slo.http.orders-api.path=/orders/**",
					"resilience.slo.http.orders-api.method=post",
					"resilience.slo.http.orders-api.latency-threshold=300ms",
					"resilience.slo.http[Health.Check].path=/health")
			.run((context) -> {
				ResiliencePolicyResolver resolver = context.getBean(ResiliencePolicyResolver.class);
				assertThat(resolver.httpSlos()).containsOnlyKeys("orders-api", "Health.Check");
				HttpSloSettings orders = resolver.httpSlos().get("orders-api");
				assertThat(orders.path()).isEqualTo("/orders/**");
				assertThat(orders.method()).isEqualTo("POST");
				assertThat(orders.slo()).isEqualTo(new SloSettings(99.5, Duration.ofDays(30),
						Duration.ofMillis(300), SloSettings.DEFAULT_SLOW_DOWN_AT, SloSettings.DEFAULT_FREEZE_AT));
				assertThat(resolver.httpSlos().get("Health.Check").method()).isNull();
			});
	}

	@Test
	void theStoreFollowsTheIdempotencyStoreUnlessSet() {
		this.runner.run((context) -> assertThat(context.getBean(ResiliencePolicyResolver.class).sloStore())
			.isEqualTo(SloStoreType.MEMORY));
		this.runner.withPropertyValues("resilience.idempotency.store=jdbc", "resilience.slo.store=redis")
			.withBean(RedisConnectionFactory.class, LettuceConnectionFactory::new)
			.run((context) -> assertThat(context.getBean(ResiliencePolicyResolver.class).sloStore())
				.isEqualTo(SloStoreType.REDIS));
		this.runner.withPropertyValues("resilience.idempotency.store=redis", "resilience.slo.store=memory")
			.run((context) -> assertThat(context.getBean(ResiliencePolicyResolver.class).sloStore())
				.isEqualTo(SloStoreType.MEMORY));
	}

	@Test
	void windowOutsideThreeToOneHundredDaysStopsStartUp() {
		assertInvalid("resilience.instances.payments.slo.window", "must be in [3d, 100d] but was 1d",
				"resilience.instances.payments.slo.window=1d");
		assertInvalid("resilience.slo.http.api.window", "must be in [3d, 100d] but was 101d",
				"resilience.slo.http.api.path=/api/**", "resilience.slo.http.api.window=101d");
	}

	@Test
	void httpObjectiveWithoutAPathStopsStartUp() {
		assertInvalid("resilience.slo.http.api.path", "must be a path pattern starting with /",
				"resilience.slo.http.api.objective=99");
		assertInvalid("resilience.slo.http.api.path", "but was orders/**", "resilience.slo.http.api.path=orders/**");
	}

	@Test
	void httpObjectiveWithAnUnknownMethodStopsStartUp() {
		assertInvalid("resilience.slo.http.api.method", "must be one of GET, HEAD, POST", "resilience.slo.http.api.path=/x",
				"resilience.slo.http.api.method=FETCH");
	}

	@Test
	void httpObjectiveWithTheNameOfAnInstanceObjectiveStopsStartUp() {
		assertInvalid("resilience.slo.http.payments", "must not share its name with an instance that has an slo section",
				"resilience.slo.http.payments.path=/payments/**", "resilience.instances.payments.slo.objective=99");
	}

	@Test
	void nonPositiveFlushIntervalStopsStartUp() {
		assertInvalid("resilience.slo.flush-interval", "must be > 0 but was 0ms", "resilience.slo.flush-interval=0s");
	}

	@Test
	void misspeltHttpObjectiveKeyStopsStartUpWithASuggestion() {
		this.runner.withPropertyValues("resilience.slo.http.api.path=/x", "resilience.slo.http.api.objectve=99")
			.run((context) -> {
				assertThat(context).hasFailed();
				ResilienceConfigurationException ex = findCause(context.getStartupFailure());
				assertThat(ex.propertyName()).isEqualTo("resilience.slo.http.api.objectve");
				assertThat(ex.suggestion()).hasValue("resilience.slo.http.api.objective");
			});
	}

	@Test
	void invalidPathPatternStopsStartUpOfAWebApplication() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
					ErrorBudgetAutoConfiguration.class, HttpErrorBudgetAutoConfiguration.class))
			.withPropertyValues("resilience.slo.http.api.path=/api/**/orders")
			.run((context) -> {
				assertThat(context).hasFailed();
				ResilienceConfigurationException ex = findCause(context.getStartupFailure());
				assertThat(ex.propertyName()).isEqualTo("resilience.slo.http.api.path");
				assertThat(ex.getMessage()).contains("must be a path pattern");
			});
	}

	private void assertInvalid(String property, String message, String... properties) {
		this.runner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			ResilienceConfigurationException ex = findCause(context.getStartupFailure());
			assertThat(ex.propertyName()).isEqualTo(property);
			assertThat(ex.getMessage()).startsWith(property).contains(message);
		});
	}

	private static ResilienceConfigurationException findCause(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ResilienceConfigurationException ex) {
				return ex;
			}
		}
		throw new AssertionError("No ResilienceConfigurationException in " + failure, failure);
	}

}

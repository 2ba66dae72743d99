package dev.resilience.autoconfigure.actuate;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.circuitbreaker.CircuitBreakerState;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The endpoints exist only when exposed and allowed, each backs off to a user's bean,
 * and the circuit breakers' health contributor never reports DOWN unless told to.
 */
class ResilienceEndpointsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ResilienceAutoConfiguration.class, ResilienceEndpointsAutoConfiguration.class,
						ResilienceHealthAutoConfiguration.class))
		.withPropertyValues("resilience.instances.payments.circuit-breaker.minimum-calls=10",
				"resilience.instances.payments.retry.max-attempts=2",
				"resilience.instances.payments.bulkhead.max-concurrent-calls=5");

	@Test
	void runWhenNotExposedShouldNotHaveEndpointBeans() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(CircuitBreakersEndpoint.class)
			.doesNotHaveBean(CircuitBreakersEndpointWebExtension.class)
			.doesNotHaveBean(RetriesEndpoint.class)
			.doesNotHaveBean(BulkheadsEndpoint.class));
	}

	@Test
	void runWhenExposedShouldHaveEndpointBeans() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=health,circuitbreakers,retries,bulkheads")
			.run((context) -> assertThat(context).hasSingleBean(CircuitBreakersEndpoint.class)
				.hasSingleBean(CircuitBreakersEndpointWebExtension.class)
				.hasSingleBean(RetriesEndpoint.class)
				.hasSingleBean(BulkheadsEndpoint.class));
	}

	@Test
	void runWhenOneIsExposedShouldHaveOnlyThatEndpointBean() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=retries")
			.run((context) -> assertThat(context).hasSingleBean(RetriesEndpoint.class)
				.doesNotHaveBean(CircuitBreakersEndpoint.class)
				.doesNotHaveBean(BulkheadsEndpoint.class));
	}

	@Test
	void runWhenExposedButExcludedShouldNotHaveEndpointBean() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=*",
					"management.endpoints.web.exposure.exclude=bulkheads")
			.run((context) -> assertThat(context).hasSingleBean(CircuitBreakersEndpoint.class)
				.doesNotHaveBean(BulkheadsEndpoint.class));
	}

	@Test
	void runWhenAccessIsNoneShouldNotHaveEndpointBean() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=*",
					// Upper case: the runner lacks the lenient enum conversion of a SpringApplication.
					"management.endpoint.circuitbreakers.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(CircuitBreakersEndpoint.class)
				.hasSingleBean(RetriesEndpoint.class));
	}

	@Test
	void runWhenDefaultAccessIsNoneShouldNotHaveEndpointBeans() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=*",
					"management.endpoints.access.default=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(CircuitBreakersEndpoint.class)
				.doesNotHaveBean(RetriesEndpoint.class)
				.doesNotHaveBean(BulkheadsEndpoint.class));
	}

	@Test
	void runWithoutActuatorShouldNotHaveEndpoints() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.withPropertyValues("management.endpoints.web.exposure.include=*")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(CircuitBreakersEndpoint.class)
				.doesNotHaveBean(RetriesEndpoint.class));
	}

	@Test
	void endpointsDoNotNeedTheHealthModule() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
					ResilienceEndpointsAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
			.withPropertyValues("management.endpoints.web.exposure.include=*")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(CircuitBreakersEndpoint.class));
	}

	@Test
	void healthAutoConfigurationIsSkippedByItsClassConditionWithoutTheHealthModule() throws IOException {
		// Spring Boot drops an auto-configuration by this precomputed condition before it
		// loads the class's other conditions, which live in the health module.
		Properties metadata = new Properties();
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-autoconfigure-metadata.properties")) {
			assertThat(in).isNotNull();
			metadata.load(in);
		}
		assertThat(metadata.getProperty(ResilienceHealthAutoConfiguration.class.getName() + ".ConditionalOnClass"))
			.isEqualTo(HealthIndicator.class.getName());
	}

	@Test
	void circuitBreakersEndpointBacksOff() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=*")
			.withBean("userEndpoint", CircuitBreakersEndpoint.class,
					() -> new CircuitBreakersEndpoint(ResilienceRegistry.ofDefaults()))
			.run((context) -> {
				assertThat(context).hasSingleBean(CircuitBreakersEndpoint.class);
				assertThat(context.getBean(CircuitBreakersEndpoint.class)).isSameAs(context.getBean("userEndpoint"));
			});
	}

	@Test
	void circuitBreakersWebExtensionBacksOff() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=*")
			.withBean("userExtension", CircuitBreakersEndpointWebExtension.class,
					() -> new CircuitBreakersEndpointWebExtension(
							new CircuitBreakersEndpoint(ResilienceRegistry.ofDefaults())))
			.run((context) -> {
				assertThat(context).hasSingleBean(CircuitBreakersEndpointWebExtension.class);
				assertThat(context.getBean(CircuitBreakersEndpointWebExtension.class))
					.isSameAs(context.getBean("userExtension"));
			});
	}

	@Test
	void webExtensionAnswers404ForAnUnknownBreakerAndDelegatesOtherwise() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=*").run((context) -> {
			CircuitBreakersEndpointWebExtension extension = context.getBean(CircuitBreakersEndpointWebExtension.class);
			assertThat(extension.transition("nobody", "CLOSED").getStatus()).isEqualTo(404);
			assertThat(extension.transition("payments", "FORCED_OPEN").getBody().state())
				.isEqualTo(CircuitBreakerState.FORCED_OPEN);
			assertThat(context.getBean(ResilienceRegistry.class).circuitBreaker("payments").state())
				.isEqualTo(CircuitBreakerState.FORCED_OPEN);
		});
	}

	@Test
	void retriesEndpointBacksOff() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=*")
			.withBean("userEndpoint", RetriesEndpoint.class, () -> new RetriesEndpoint(ResilienceRegistry.ofDefaults()))
			.run((context) -> {
				assertThat(context).hasSingleBean(RetriesEndpoint.class);
				assertThat(context.getBean(RetriesEndpoint.class)).isSameAs(context.getBean("userEndpoint"));
			});
	}

	@Test
	void bulkheadsEndpointBacksOff() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=*")
			.withBean("userEndpoint", BulkheadsEndpoint.class,
					() -> new BulkheadsEndpoint(ResilienceRegistry.ofDefaults()))
			.run((context) -> {
				assertThat(context).hasSingleBean(BulkheadsEndpoint.class);
				assertThat(context.getBean(BulkheadsEndpoint.class)).isSameAs(context.getBean("userEndpoint"));
			});
	}

	@Test
	void endpointsListTheConfiguredInstancesBeforeTheirFirstCall() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=*").run((context) -> {
			assertThat(context.getBean(CircuitBreakersEndpoint.class).circuitBreakers().circuitBreakers())
				.containsOnlyKeys("payments");
			assertThat(context.getBean(RetriesEndpoint.class).retries().retries()).containsOnlyKeys("payments");
			assertThat(context.getBean(BulkheadsEndpoint.class).bulkheads().bulkheads())
				.containsExactly(Map.entry("payments", new BulkheadsEndpoint.BulkheadDescriptor(5, 5, 0)));
			assertThat(context.getBean(RetriesEndpoint.class).retry("payments")).satisfies((retry) -> {
				assertThat(retry.calls()).isZero();
				assertThat(retry.budget().ratio()).isEqualTo(0.1);
				assertThat(retry.budget().denied()).isZero();
			});
		});
	}

	@Test
	void unknownNamesGiveNothing() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=*").run((context) -> {
			assertThat(context.getBean(CircuitBreakersEndpoint.class).circuitBreaker("nobody")).isNull();
			assertThat(context.getBean(RetriesEndpoint.class).retry("nobody")).isNull();
			assertThat(context.getBean(BulkheadsEndpoint.class).bulkhead("nobody")).isNull();
		});
	}

	@Test
	void writeOperationRefusesStatesOtherThanForcedOpenClosedAndDisabled() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=*").run((context) -> {
			CircuitBreakersEndpoint endpoint = context.getBean(CircuitBreakersEndpoint.class);
			for (String state : new String[] { "OPEN", "HALF_OPEN", "broken", "" }) {
				assertThatExceptionOfType(InvalidEndpointRequestException.class)
					.isThrownBy(() -> endpoint.transition("payments", state))
					.withMessageContaining("FORCED_OPEN, CLOSED, DISABLED");
			}
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.transition("payments", null));
			assertThat(endpoint.circuitBreaker("payments").state()).isEqualTo(CircuitBreakerState.CLOSED);
		});
	}

	@Test
	void healthIndicatorIsUpWhileEveryBreakerIsClosed() {
		this.runner.run((context) -> {
			Health health = context.getBean(CircuitBreakersHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("payments", CircuitBreakerState.CLOSED);
		});
	}

	@Test
	void openBreakerMakesHealthUnknownNotDown() {
		this.runner.run((context) -> {
			context.getBean(ResilienceRegistry.class)
				.circuitBreaker("payments")
				.transitionTo(CircuitBreakerState.OPEN);
			Health health = context.getBean(CircuitBreakersHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
			assertThat(health.getDetails()).containsEntry("payments", CircuitBreakerState.OPEN);
		});
	}

	@Test
	void forcedOpenBreakerMakesHealthUnknown() {
		this.runner.run((context) -> {
			context.getBean(ResilienceRegistry.class)
				.circuitBreaker("payments")
				.transitionTo(CircuitBreakerState.FORCED_OPEN);
			assertThat(context.getBean(CircuitBreakersHealthIndicator.class).health().getStatus())
				.isEqualTo(Status.UNKNOWN);
		});
	}

	@Test
	void disabledBreakerKeepsHealthUp() {
		this.runner.run((context) -> {
			context.getBean(ResilienceRegistry.class)
				.circuitBreaker("payments")
				.transitionTo(CircuitBreakerState.DISABLED);
			assertThat(context.getBean(CircuitBreakersHealthIndicator.class).health().getStatus())
				.isEqualTo(Status.UP);
		});
	}

	@Test
	void openBreakerMakesHealthDownOnlyWhenConfigured() {
		this.runner.withPropertyValues("resilience.health.open-circuit-status=DOWN").run((context) -> {
			HealthIndicator indicator = context.getBean(CircuitBreakersHealthIndicator.class);
			assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
			context.getBean(ResilienceRegistry.class)
				.circuitBreaker("payments")
				.transitionTo(CircuitBreakerState.OPEN);
			assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
		});
	}

	@Test
	void openCircuitStatusIsCaseInsensitive() {
		this.runner.withPropertyValues("resilience.health.open-circuit-status=out_of_service").run((context) -> {
			context.getBean(ResilienceRegistry.class)
				.circuitBreaker("payments")
				.transitionTo(CircuitBreakerState.FORCED_OPEN);
			assertThat(context.getBean(CircuitBreakersHealthIndicator.class).health().getStatus())
				.isEqualTo(Status.OUT_OF_SERVICE);
		});
	}

	@Test
	void runWhenHealthIndicatorDisabledShouldNotHaveIt() {
		this.runner.withPropertyValues("management.health.circuitbreakers.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(CircuitBreakersHealthIndicator.class));
	}

	@Test
	void runWhenHealthIndicatorsDisabledByDefaultShouldNotHaveIt() {
		this.runner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(CircuitBreakersHealthIndicator.class));
	}

	@Test
	void healthIndicatorBacksOff() {
		this.runner
			.withBean("circuitBreakersHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
			.run((context) -> assertThat(context).doesNotHaveBean(CircuitBreakersHealthIndicator.class)
				.hasBean("circuitBreakersHealthIndicator"));
	}

}

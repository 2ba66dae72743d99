package dev.resilience.autoconfigure.properties;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.loadshedding.RequestPriority;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.bulkhead.AdaptiveLimitConfig;
import dev.resilience.core.bulkhead.BulkheadConfig;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bulkhead.adaptive} with its floor, start, smoothing, tolerance and probe keys, and
 * {@code resilience.load-shedding.*}: resolved into the core's settings, every mistake
 * reported under the key the user wrote.
 */
class AdaptiveAndLoadSheddingPropertiesTests {

	private final AtomicReference<Environment> environment = new AtomicReference<>();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
		.withInitializer((context) -> this.environment.set(context.getEnvironment()));

	@Test
	void adaptiveBulkheadTakesMaxConcurrentCallsAsItsCeiling() {
		this.runner
			.withPropertyValues("resilience.instances.payments.bulkhead.adaptive=true",
					"resilience.instances.payments.bulkhead.max-concurrent-calls=40",
					"resilience.instances.payments.bulkhead.min-concurrent-calls=4",
					"resilience.instances.payments.bulkhead.initial-concurrent-calls=8",
					"resilience.instances.payments.bulkhead.smoothing=0.5",
					"resilience.instances.payments.bulkhead.latency-tolerance=1.5",
					"resilience.instances.payments.bulkhead.probe-interval=50")
			.run((context) -> {
				BulkheadConfig config = context.getBean(ResiliencePolicyResolver.class).resolve("payments").bulkhead();
				assertThat(config.adaptive()).isEqualTo(new AdaptiveLimitConfig(8, 4, 40, 0.5, 1.5, 50));
				assertThat(config.maxConcurrentCalls()).isEqualTo(40);
				ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
				assertThat(registry.bulkhead("payments").maxConcurrentCalls()).as("starts at the initial limit")
					.isEqualTo(8);
			});
	}

	@Test
	void adaptiveWithNothingElseSetStartsInsideTheDefaultBounds() {
		this.runner
			.withPropertyValues("resilience.defaults.bulkhead.adaptive=true",
					"resilience.instances.small.bulkhead.max-concurrent-calls=5")
			.run((context) -> {
				ResiliencePolicyResolver resolver = context.getBean(ResiliencePolicyResolver.class);
				assertThat(resolver.resolve("any").bulkhead().adaptive())
					.isEqualTo(new AdaptiveLimitConfig(20, 1, 25, 0.2, 1.25, 100));
				assertThat(resolver.resolve("small").bulkhead().adaptive().initialLimit())
					.as("the built-in start of 20 is moved under a ceiling of 5")
					.isEqualTo(5);
			});
	}

	@Test
	void fixedBulkheadHasNoAdaptiveLimit() {
		this.runner.withPropertyValues("resilience.instances.payments.bulkhead.max-concurrent-calls=7")
			.run((context) -> assertThat(
					context.getBean(ResiliencePolicyResolver.class).resolve("payments").bulkhead().adaptive())
				.isNull());
	}

	@Test
	void adaptiveKeyOnAFixedBulkheadStopsStartUp() {
		assertInvalid(new String[] { "resilience.instances.payments.bulkhead.min-concurrent-calls=3" },
				"resilience.instances.payments.bulkhead.min-concurrent-calls must not be set unless "
						+ "bulkhead.adaptive is true but was 3",
				"Property: resilience.instances.payments.bulkhead.min-concurrent-calls");
	}

	@Test
	void floorAboveCeilingStopsStartUpNamingTheCeiling() {
		assertInvalid(
				new String[] { "resilience.instances.payments.bulkhead.adaptive=true",
						"resilience.instances.payments.bulkhead.max-concurrent-calls=10",
						"resilience.instances.payments.bulkhead.min-concurrent-calls=12" },
				"resilience.instances.payments.bulkhead.max-concurrent-calls must be >= min-concurrent-calls (12) "
						+ "but was 10",
				"Property: resilience.instances.payments.bulkhead.max-concurrent-calls", "Value: \"10\"");
	}

	@Test
	void initialLimitOutsideTheBoundsStopsStartUp() {
		assertInvalid(
				new String[] { "resilience.instances.payments.bulkhead.adaptive=true",
						"resilience.instances.payments.bulkhead.initial-concurrent-calls=30" },
				"resilience.instances.payments.bulkhead.initial-concurrent-calls must be in "
						+ "[min-concurrent-calls, max-concurrent-calls] ([1, 25]) but was 30",
				"Property: resilience.instances.payments.bulkhead.initial-concurrent-calls");
	}

	@Test
	void smoothingAboveOneStopsStartUp() {
		assertInvalid(
				new String[] { "resilience.defaults.bulkhead.adaptive=true", "resilience.defaults.bulkhead.smoothing=1.5" },
				"resilience.defaults.bulkhead.smoothing must be in (0, 1] but was 1.5",
				"Property: resilience.defaults.bulkhead.smoothing");
	}

	@Test
	void latencyToleranceBelowOneStopsStartUp() {
		assertInvalid(
				new String[] { "resilience.instances.payments.bulkhead.adaptive=true",
						"resilience.instances.payments.bulkhead.latency-tolerance=0.9" },
				"resilience.instances.payments.bulkhead.latency-tolerance must be >= 1.0 but was 0.9",
				"Property: resilience.instances.payments.bulkhead.latency-tolerance");
	}

	@Test
	void loadSheddingDefaultsAreValid() {
		LoadSheddingSettings settings = LoadSheddingSettings.of(new LoadSheddingProperties());
		assertThat(settings.enabled()).isFalse();
		assertThat(settings.limit()).isEqualTo(new AdaptiveLimitConfig(20, 1, 200, 0.2, 1.25, 100));
		assertThat(settings.retryAfter()).isEqualTo(Duration.ofSeconds(1));
		assertThat(settings.priorityHeader()).isEqualTo("Resilience-Priority");
		assertThat(settings.exemptPaths()).contains("/actuator/**");
	}

	@Test
	void loadSheddingRoutesAndPrioritiesBind() {
		this.runner
			.withPropertyValues("resilience.load-shedding.routes[/reports/**]=sheddable",
					"resilience.load-shedding.routes[/checkout]=critical",
					"resilience.load-shedding.priority-header=", "resilience.load-shedding.default-priority=sheddable")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				LoadSheddingSettings settings = LoadSheddingSettings
					.of(context.getBean(ResilienceProperties.class).getLoadShedding());
				assertThat(settings.routes()).containsEntry("/reports/**", RequestPriority.SHEDDABLE)
					.containsEntry("/checkout", RequestPriority.CRITICAL);
				assertThat(settings.priorityHeader()).as("empty: clients may not set priorities").isNull();
				assertThat(settings.defaultPriority()).isEqualTo(RequestPriority.SHEDDABLE);
			});
	}

	@Test
	void loadSheddingFloorAboveCeilingStopsStartUp() {
		assertInvalid(
				new String[] { "resilience.load-shedding.min-concurrent-requests=50",
						"resilience.load-shedding.max-concurrent-requests=10",
						"resilience.load-shedding.initial-concurrent-requests=10" },
				"resilience.load-shedding.max-concurrent-requests must be >= min-concurrent-requests (50) but was 10",
				"Property: resilience.load-shedding.max-concurrent-requests");
	}

	@Test
	void zeroRetryAfterStopsStartUp() {
		assertInvalid(new String[] { "resilience.load-shedding.retry-after=0s" },
				"resilience.load-shedding.retry-after must be > 0 but was 0ms",
				"Property: resilience.load-shedding.retry-after");
	}

	@Test
	void exemptPathThatIsNotAPathStopsStartUp() {
		assertInvalid(new String[] { "resilience.load-shedding.exempt-paths=actuator" },
				"resilience.load-shedding.exempt-paths must be a path pattern starting with / but was actuator",
				"Property: resilience.load-shedding.exempt-paths");
	}

	@Test
	void unknownPriorityStopsStartUpListingTheAllowedValues() {
		this.runner.withPropertyValues("resilience.load-shedding.default-priority=urgent").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new ResilienceConfigurationFailureAnalyzer(this.environment.get())
				.analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("resilience.load-shedding.default-priority", "urgent",
					"one of critical, normal, sheddable");
		});
	}

	@Test
	void misspeltLoadSheddingKeySuggestsTheKnownKey() {
		this.runner.withPropertyValues("resilience.load-shedding.retry-afer=2s").run((context) -> {
			assertThat(context).hasFailed();
			ResilienceConfigurationException ex = findCause(context.getStartupFailure());
			assertThat(ex.suggestion()).contains("resilience.load-shedding.retry-after");
		});
	}

	private void assertInvalid(String[] properties, String message, String... analysisContains) {
		this.runner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			ResilienceConfigurationException invalid = findCause(context.getStartupFailure());
			assertThat(invalid).isNotNull();
			assertThat(invalid).hasMessage(message);
			FailureAnalysis analysis = new ResilienceConfigurationFailureAnalyzer(this.environment.get())
				.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains(analysisContains);
		});
	}

	private static ResilienceConfigurationException findCause(Throwable failure) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (candidate instanceof ResilienceConfigurationException) {
				return (ResilienceConfigurationException) candidate;
			}
		}
		return null;
	}

}

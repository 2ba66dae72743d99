package dev.resilience.autoconfigure.properties;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of mistake stops start-up, and both the failure and its analysis name the
 * property, the value and what is allowed.
 */
class ResilienceConfigurationValidationTests {

	private final AtomicReference<Environment> environment = new AtomicReference<>();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
		.withInitializer((context) -> this.environment.set(context.getEnvironment()));

	@Test
	void negativeDurationStopsStartUp() {
		assertInvalid("resilience.instances.payments.retry.initial-backoff=-1s", (ex) -> {
			assertThat(ex.propertyName()).isEqualTo("resilience.instances.payments.retry.initial-backoff");
			assertThat(ex.rule()).isEqualTo("must be >= 0");
			assertThat(ex).hasMessage("resilience.instances.payments.retry.initial-backoff must be >= 0 but was -1s");
		}, "Property: resilience.instances.payments.retry.initial-backoff", "Value: \"-1s\"", "must be >= 0");
	}

	@Test
	void percentAboveOneHundredStopsStartUp() {
		assertInvalid("resilience.instances.payments.circuit-breaker.failure-rate-threshold=150",
				(ex) -> assertThat(ex)
					.hasMessage("resilience.instances.payments.circuit-breaker.failure-rate-threshold "
							+ "must be in (0, 100] but was 150"),
				"Property: resilience.instances.payments.circuit-breaker.failure-rate-threshold", "Value: \"150\"",
				"Reason: must be in (0, 100]");
	}

	@Test
	void ratioAboveOneStopsStartUp() {
		assertInvalid("resilience.instances.payments.retry.budget.ratio=1.5",
				(ex) -> assertThat(ex.propertyName()).isEqualTo("resilience.instances.payments.retry.budget.ratio"),
				"Property: resilience.instances.payments.retry.budget.ratio", "Value: \"1.5\"", "must be in [0, 1]");
	}

	@Test
	void minimumCallsAboveSlidingWindowSizeStopsStartUp() {
		assertInvalid(new String[] { "resilience.instances.payments.circuit-breaker.sliding-window-size=10",
				"resilience.instances.payments.circuit-breaker.minimum-calls=50" },
				(ex) -> assertThat(ex).hasMessage("resilience.instances.payments.circuit-breaker.minimum-calls "
						+ "must be <= sliding-window-size (10) for a count window but was 50"),
				"Property: resilience.instances.payments.circuit-breaker.minimum-calls",
				"must be <= sliding-window-size (10)");
	}

	@Test
	void maxBackoffBelowInitialBackoffStopsStartUp() {
		assertInvalid(new String[] { "resilience.instances.payments.retry.initial-backoff=2s",
				"resilience.instances.payments.retry.max-backoff=500ms" },
				(ex) -> assertThat(ex).hasMessage("resilience.instances.payments.retry.max-backoff "
						+ "must be >= initial-backoff (2s) but was 500ms"),
				"Property: resilience.instances.payments.retry.max-backoff", "Value: \"500ms\"");
	}

	@Test
	void maxOpenDurationBelowOpenDurationStopsStartUp() {
		assertInvalid(new String[] { "resilience.instances.payments.circuit-breaker.open-duration=10s",
				"resilience.instances.payments.circuit-breaker.max-open-duration=5s" },
				(ex) -> assertThat(ex).hasMessage("resilience.instances.payments.circuit-breaker.max-open-duration "
						+ "must be >= open-duration (10s) but was 5s"),
				"Property: resilience.instances.payments.circuit-breaker.max-open-duration", "Value: \"5s\"",
				"must be >= open-duration (10s)");
	}

	@Test
	void negativeConsecutiveFailureThresholdStopsStartUp() {
		assertInvalid("resilience.instances.payments.circuit-breaker.consecutive-failure-threshold=-1",
				(ex) -> assertThat(ex)
					.hasMessage("resilience.instances.payments.circuit-breaker.consecutive-failure-threshold "
							+ "must be >= 0 but was -1"),
				"Property: resilience.instances.payments.circuit-breaker.consecutive-failure-threshold",
				"Value: \"-1\"", "must be >= 0");
	}

	@Test
	void openDurationMultiplierBelowOneStopsStartUp() {
		assertInvalid("resilience.defaults.circuit-breaker.open-duration-multiplier=0.5",
				(ex) -> assertThat(ex).hasMessage("resilience.defaults.circuit-breaker.open-duration-multiplier "
						+ "must be >= 1.0 but was 0.5"),
				"Property: resilience.defaults.circuit-breaker.open-duration-multiplier", "Value: \"0.5\"",
				"must be >= 1.0");
	}

	@Test
	void inheritedMaxOpenDurationBelowAnInstancesOpenDurationIsReportedWhereItWasWritten() {
		assertInvalid(new String[] { "resilience.defaults.circuit-breaker.max-open-duration=20s",
				"resilience.instances.payments.circuit-breaker.open-duration=1m" }, (ex) -> {
					assertThat(ex.propertyName()).isEqualTo("resilience.defaults.circuit-breaker.max-open-duration");
					assertThat(ex.getMessage()).contains("must be >= open-duration (1m)")
						.contains("resilience.instances.payments.circuit-breaker");
				}, "Property: resilience.defaults.circuit-breaker.max-open-duration", "Value: \"20s\"");
	}

	@Test
	void badDefaultIsReportedUnderDefaultsEvenWithoutInstances() {
		assertInvalid("resilience.defaults.bulkhead.max-concurrent-calls=0",
				(ex) -> assertThat(ex.propertyName()).isEqualTo("resilience.defaults.bulkhead.max-concurrent-calls"),
				"Property: resilience.defaults.bulkhead.max-concurrent-calls", "must be >= 1");
	}

	@Test
	void inheritedValueThatBreaksARuleInAnInstanceIsReportedWhereItWasWritten() {
		assertInvalid(new String[] { "resilience.defaults.circuit-breaker.minimum-calls=50",
				"resilience.instances.payments.circuit-breaker.sliding-window-size=10" }, (ex) -> {
					assertThat(ex.propertyName()).isEqualTo("resilience.defaults.circuit-breaker.minimum-calls");
					assertThat(ex.getMessage()).contains("resilience.instances.payments.circuit-breaker");
				}, "Property: resilience.defaults.circuit-breaker.minimum-calls", "Value: \"50\"");
	}

	@Test
	void builtInDefaultThatBreaksARuleIsReportedUnderTheInstanceKey() {
		assertInvalid("resilience.instances.payments.circuit-breaker.sliding-window-size=10",
				(ex) -> assertThat(ex.propertyName())
					.isEqualTo("resilience.instances.payments.circuit-breaker.minimum-calls"),
				"Value: \"20\" (built-in default, not set in configuration)");
	}

	@Test
	void objectiveOfOneHundredPercentStopsStartUp() {
		assertInvalid("resilience.instances.payments.slo.objective=100",
				(ex) -> assertThat(ex.rule()).isEqualTo("must be in (0, 100)"),
				"Property: resilience.instances.payments.slo.objective");
	}

	@Test
	void freezeBelowSlowDownStopsStartUp() {
		assertInvalid(new String[] { "resilience.defaults.slo.slow-down-at=80", "resilience.defaults.slo.freeze-at=60" },
				(ex) -> assertThat(ex).hasMessage(
						"resilience.defaults.slo.freeze-at must be >= slow-down-at (80.0) but was 60"),
				"Property: resilience.defaults.slo.freeze-at");
	}

	@Test
	void negativeSharedLeaseStopsStartUp() {
		assertInvalid("resilience.idempotency.lease=-5s",
				(ex) -> assertThat(ex.propertyName()).isEqualTo("resilience.idempotency.lease"),
				"Property: resilience.idempotency.lease", "must be > 0");
	}

	@Test
	void negativeSharedWaitIsReportedUnderItsOwnName() {
		assertInvalid("resilience.idempotency.wait=-1ms",
				(ex) -> assertThat(ex.propertyName()).isEqualTo("resilience.idempotency.wait"),
				"Property: resilience.idempotency.wait");
	}

	@Test
	void blankOpenCircuitStatusStopsStartUp() {
		assertInvalid("resilience.health.open-circuit-status= ",
				(ex) -> assertThat(ex.propertyName()).isEqualTo("resilience.health.open-circuit-status"),
				"UNKNOWN, UP, OUT_OF_SERVICE or DOWN");
	}

	@Test
	void classThatIsNotAnExceptionStopsStartUp() {
		assertInvalid("resilience.instances.payments.circuit-breaker.ignore=java.lang.String", (ex) -> {
			assertThat(ex.propertyName()).isEqualTo("resilience.instances.payments.circuit-breaker.ignore");
			assertThat(ex.value()).isEqualTo(String.class);
		}, "must name Throwable classes only");
	}

	@Test
	void misspeltKeyUnderAnInstanceStopsStartUpSuggestingTheKnownKey() {
		assertInvalid("resilience.instances.payments.retry.max-atempts=5", (ex) -> {
			assertThat(ex.propertyName()).isEqualTo("resilience.instances.payments.retry.max-atempts");
			assertThat(ex.suggestion()).hasValue("resilience.instances.payments.retry.max-attempts");
			assertThat(ex).hasMessageContaining("did you mean resilience.instances.payments.retry.max-attempts?");
		}, "Property: resilience.instances.payments.retry.max-atempts", "Value: \"5\"",
				"did you mean resilience.instances.payments.retry.max-attempts?");
	}

	@Test
	void misspeltSectionSuggestsTheWholeCorrectedKey() {
		assertInvalid("resilience.defaults.circuit-braker.minimum-calls=5",
				(ex) -> assertThat(ex.suggestion()).hasValue("resilience.defaults.circuit-breaker.minimum-calls"),
				"Replace resilience.defaults.circuit-braker.minimum-calls with "
						+ "resilience.defaults.circuit-breaker.minimum-calls");
	}

	@Test
	void misspeltSharedKeyStopsStartUp() {
		assertInvalid("resilience.idempotency.stor=jdbc",
				(ex) -> assertThat(ex.suggestion()).hasValue("resilience.idempotency.store"),
				"Property: resilience.idempotency.stor");
	}

	@Test
	void unknownKeyWithNothingCloseStopsStartUpListingTheSections() {
		assertInvalid("resilience.instances.payments.timeout.duration=5s",
				(ex) -> assertThat(ex.suggestion()).isEmpty(), "Property: resilience.instances.payments.timeout.duration",
				"retry.*, circuit-breaker.*, bulkhead.*, slo.* and idempotency.ttl");
	}

	@Test
	void camelCaseAndListIndexKeysAreKnown() {
		this.runner
			.withPropertyValues("resilience.instances.payments.retry.maxAttempts=4",
					"resilience.instances.payments.retry.retry-on[0]=java.io.IOException",
					"resilience.instances[Orders.place].bulkhead.max-wait=10ms")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void unknownJitterStopsStartUpListingTheAllowedValues() {
		assertBindFailure("resilience.instances.payments.retry.jitter=sometimes",
				"resilience.instances.payments.retry.jitter", "Property: resilience.instances.payments.retry.jitter",
				"Value: \"sometimes\"", "one of none, full, equal, decorrelated");
	}

	@Test
	void unknownExceptionClassStopsStartUp() {
		assertBindFailure("resilience.instances.payments.retry.retry-on=com.example.NoSuchException",
				"resilience.instances.payments.retry.retry-on", "Property: resilience.instances.payments.retry.retry-on",
				"Value: \"com.example.NoSuchException\"", "fully qualified names of exception classes");
	}

	@Test
	void unknownStoreStopsStartUp() {
		assertBindFailure("resilience.idempotency.store=mongo", "resilience.idempotency.store",
				"one of memory, jdbc, redis");
	}

	@Test
	void malformedDurationStopsStartUp() {
		assertBindFailure("resilience.defaults.circuit-breaker.open-duration=ten seconds",
				"resilience.defaults.circuit-breaker.open-duration", "Value: \"ten seconds\"",
				"a duration such as 500ms, 10s, 5m, 24h or 30d");
	}

	@Test
	void valueGivenToASectionStopsStartUp() {
		assertBindFailure("resilience.instances.payments.retry=", "resilience.instances.payments",
				"Property: resilience.instances.payments.retry", "a section of nested keys, not a single value");
	}

	private void assertInvalid(String property, Consumer<ResilienceConfigurationException> exception,
			String... analysisContains) {
		assertInvalid(new String[] { property }, exception, analysisContains);
	}

	private void assertInvalid(String[] properties, Consumer<ResilienceConfigurationException> exception,
			String... analysisContains) {
		this.runner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			ResilienceConfigurationException invalid = findCause(failure, ResilienceConfigurationException.class);
			assertThat(invalid).as("cause of %s", failure).isNotNull();
			exception.accept(invalid);
			assertAnalysis(failure, analysisContains);
		});
	}

	private void assertBindFailure(String property, String name, String... analysisContains) {
		this.runner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			BindException bind = findCause(failure, BindException.class);
			assertThat(bind).isNotNull();
			assertThat(bind.getName()).hasToString(name);
			assertThat(bind).hasMessageContaining(name);
			assertAnalysis(failure, analysisContains);
		});
	}

	private void assertAnalysis(Throwable failure, String... contains) {
		FailureAnalysis analysis = new ResilienceConfigurationFailureAnalyzer(this.environment.get()).analyze(failure);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription() + "\n" + analysis.getAction()).contains(contains);
		assertThat(analysis.getAction()).isNotBlank();
	}

	private static <E extends Throwable> E findCause(Throwable failure, Class<E> type) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (type.isInstance(candidate)) {
				return type.cast(candidate);
			}
		}
		return null;
	}

}

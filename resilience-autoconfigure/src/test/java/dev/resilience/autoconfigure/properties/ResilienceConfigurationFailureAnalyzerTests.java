package dev.resilience.autoconfigure.properties;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import dev.resilience.core.retry.Jitter;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ByteArrayResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ResilienceConfigurationFailureAnalyzerTests {

	@Test
	void declinesFailuresThatAreNotAboutResilienceConfiguration() {
		ResilienceConfigurationFailureAnalyzer analyzer = new ResilienceConfigurationFailureAnalyzer(null);
		assertThat(analyzer.analyze(new IllegalStateException("boom"))).isNull();
		assertThat(analyzer.analyze(bindFailure("other.jitter", "sometimes"))).isNull();
		assertThat(analyzer.analyze(new UnboundConfigurationPropertiesException(
				Set.of(new ConfigurationProperty(ConfigurationPropertyName.of("other.key"), "1", null))))).isNull();
	}

	@Test
	void explainsAConversionFailureFoundAnywhereInTheCauseChain() {
		BindException bind = bindFailure("resilience.defaults.retry.jitter", "sometimes");
		FailureAnalysis analysis = new ResilienceConfigurationFailureAnalyzer(null)
			.analyze(new BeanCreationException("resilienceProperties", "binding failed", bind));
		assertThat(analysis.getDescription()).contains("Property: resilience.defaults.retry.jitter",
				"Value: \"sometimes\"", "one of none, full, equal, decorrelated");
		assertThat(analysis.getCause()).isSameAs(bind);
	}

	@Test
	void showsWhereAValueWasWritten() throws IOException {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new PropertiesPropertySourceLoader().load("application.properties",
					new ByteArrayResource("resilience.idempotency.lease=-5s\n".getBytes(StandardCharsets.ISO_8859_1),
							"application.properties"))
				.get(0));
		FailureAnalysis analysis = new ResilienceConfigurationFailureAnalyzer(environment)
			.analyze(ResilienceConfigurationException.invalidValue("resilience.idempotency.lease",
					Duration.ofSeconds(-5), "must be > 0", null));
		assertThat(analysis.getDescription()).contains("Value: \"-5s\"", "Origin: ", "application.properties",
				"Reason: must be > 0");
		assertThat(analysis.getAction())
			.isEqualTo("Update resilience.idempotency.lease in your application's configuration: it must be > 0.");
	}

	@Test
	void withoutAnEnvironmentShowsTheConvertedValue() {
		FailureAnalysis analysis = new ResilienceConfigurationFailureAnalyzer(null)
			.analyze(ResilienceConfigurationException.invalidValue(
					"resilience.instances.payments.circuit-breaker.failure-rate-threshold", 150.0, "must be in (0, 100]",
					null));
		assertThat(analysis.getDescription()).contains(
				"Property: resilience.instances.payments.circuit-breaker.failure-rate-threshold", "Value: \"150\"")
			.doesNotContain("built-in default");
	}

	@Test
	void explainsUnboundResiliencePropertiesWithSuggestions() {
		UnboundConfigurationPropertiesException unbound = new UnboundConfigurationPropertiesException(
				Set.of(new ConfigurationProperty(ConfigurationPropertyName.of("resilience.instances.payments.bulkhead.max-wiat"),
						"1s", null)));
		FailureAnalysis analysis = new ResilienceConfigurationFailureAnalyzer(null).analyze(unbound);
		assertThat(analysis.getDescription()).contains("Property: resilience.instances.payments.bulkhead.max-wiat",
				"did you mean resilience.instances.payments.bulkhead.max-wait?");
		assertThat(analysis.getAction()).contains("Replace resilience.instances.payments.bulkhead.max-wiat with "
				+ "resilience.instances.payments.bulkhead.max-wait");
	}

	private static BindException bindFailure(String name, String value) {
		Binder binder = new Binder(new MapConfigurationPropertySource(Map.of(name, value)));
		BindException failure = catchThrowableOfType(BindException.class, () -> binder.bind(name, Jitter.class));
		assertThat(failure).isNotNull();
		return failure;
	}

}

package dev.resilience.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.resilience.autoconfigure.properties.ResilienceConfigurationException;
import dev.resilience.autoconfigure.properties.ResilienceConfigurationFailureAnalyzer;
import dev.resilience.autoconfigure.properties.ResilienceConfigurationValidator;
import dev.resilience.autoconfigure.properties.ResiliencePolicyResolver;
import dev.resilience.autoconfigure.properties.ResilienceProperties;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class ResilienceAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class));

	@Test
	void runWithNothingConfiguredShouldProvideResolverAndValidator() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(ResilienceProperties.class)
			.hasSingleBean(ResiliencePolicyResolver.class)
			.hasSingleBean(ResilienceConfigurationValidator.class));
	}

	@Test
	void resolverBacksOff() {
		this.runner.withUserConfiguration(UserResolverConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(ResiliencePolicyResolver.class);
			assertThat(context.getBean(ResiliencePolicyResolver.class))
				.isSameAs(context.getBean("userResolver"));
		});
	}

	@Test
	void validatorBacksOff() {
		this.runner.withUserConfiguration(UserValidatorConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(ResilienceConfigurationValidator.class);
			assertThat(context.getBean(ResilienceConfigurationValidator.class))
				.isSameAs(context.getBean("userValidator"));
		});
	}

	@Test
	void validationStillRunsAtStartUpUnderLazyInitialization() {
		this.runner
			.withInitializer((context) -> context
				.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor()))
			.withPropertyValues("resilience.instances.payments.retry.max-attempts=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("resilience.instances.payments.retry.max-attempts"));
	}

	@Test
	void autoConfigurationIsRegisteredInTheImportsFile() throws IOException {
		try (InputStream imports = getClass().getResourceAsStream(
				"/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
			assertThat(imports).isNotNull();
			assertThat(new String(imports.readAllBytes(), StandardCharsets.UTF_8).lines())
				.contains(ResilienceAutoConfiguration.class.getName());
		}
	}

	@Test
	void failureAnalyzerIsRegisteredAndConstructedWithTheEnvironment() {
		MockEnvironment environment = new MockEnvironment();
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
			.load(FailureAnalyzer.class, ArgumentResolver.of(Environment.class, environment)
				.and(BeanFactory.class, new DefaultListableBeanFactory()),
					// Some of Spring Boot's analyzers need classes this module does not have.
					(factoryType, implementationName, failure) -> {
					});
		assertThat(analyzers).hasAtLeastOneElementOfType(ResilienceConfigurationFailureAnalyzer.class);
		assertThat(analyzers.get(0)).as("ordered before Spring Boot's binding analyzers")
			.isInstanceOf(ResilienceConfigurationFailureAnalyzer.class);
		assertThat(analyzers.get(0).analyze(ResilienceConfigurationException
			.invalidValue("resilience.defaults.retry.max-attempts", 0, "must be >= 1", null))).isNotNull();
	}

	@Configuration(proxyBeanMethods = false)
	static class UserResolverConfiguration {

		@Bean
		ResiliencePolicyResolver userResolver(ResilienceProperties properties) {
			return new ResiliencePolicyResolver(properties);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserValidatorConfiguration {

		@Bean
		ResilienceConfigurationValidator userValidator(ResiliencePolicyResolver resolver,
				ResilienceProperties properties, Environment environment) {
			return new ResilienceConfigurationValidator(resolver, properties, environment);
		}

	}

}

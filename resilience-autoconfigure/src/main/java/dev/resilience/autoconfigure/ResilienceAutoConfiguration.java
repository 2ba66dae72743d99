package dev.resilience.autoconfigure;

import dev.resilience.autoconfigure.properties.ResilienceConfigurationValidator;
import dev.resilience.autoconfigure.properties.ResiliencePolicyResolver;
import dev.resilience.autoconfigure.properties.ResilienceProperties;

import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Binds {@code resilience.*}, validates it at start-up and offers the
 * {@link ResiliencePolicyResolver} that the capability auto-configurations use to obtain
 * the settings of each named instance.
 */
@AutoConfiguration
@EnableConfigurationProperties(ResilienceProperties.class)
public final class ResilienceAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ResiliencePolicyResolver resiliencePolicyResolver(ResilienceProperties properties) {
		return new ResiliencePolicyResolver(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	ResilienceConfigurationValidator resilienceConfigurationValidator(ResiliencePolicyResolver resolver,
			ResilienceProperties properties, Environment environment) {
		return new ResilienceConfigurationValidator(resolver, properties, environment);
	}

	/**
	 * Keeps the validator eager under {@code spring.main.lazy-initialization}: nothing
	 * depends on it, so a lazy validator would never run and a mistake would surface at
	 * the first call instead of at start-up.
	 */
	@Bean
	static LazyInitializationExcludeFilter resilienceConfigurationValidatorExcludeFilter() {
		return LazyInitializationExcludeFilter.forBeanTypes(ResilienceConfigurationValidator.class);
	}

}

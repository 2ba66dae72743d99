package dev.resilience.autoconfigure.actuate;

import java.util.Locale;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.properties.ResiliencePolicyResolver;
import dev.resilience.core.ResilienceRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;

/**
 * The circuit breakers' contribution to {@code /actuator/health}, switched off by
 * {@code management.health.circuitbreakers.enabled=false}.
 * <p>
 * An auto-configuration of its own, not a nested class of the endpoints': Spring Boot's
 * health module is separate from the actuator, and only a top-level auto-configuration
 * is dropped by its class condition before its health-specific conditions are loaded.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnEnabledHealthIndicator("circuitbreakers")
public final class ResilienceHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "circuitBreakersHealthIndicator")
	CircuitBreakersHealthIndicator circuitBreakersHealthIndicator(ResilienceRegistry registry,
			ResiliencePolicyResolver resolver) {
		// Status codes are upper case (DOWN, OUT_OF_SERVICE); "down" would show as a
		// status of its own in the JSON, unlike every other contributor's.
		String status = resolver.openCircuitStatus().trim().toUpperCase(Locale.ROOT);
		return new CircuitBreakersHealthIndicator(registry, new Status(status));
	}

}

package dev.resilience.autoconfigure.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Spring MVC: the library's refusals become problem details (503 with
 * {@code Retry-After}, and the idempotency statuses), unless the application handles
 * them itself.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(HandlerExceptionResolver.class)
public final class ResilienceWebMvcAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ResilienceProblemDetailsResolver resilienceProblemDetailsResolver() {
		return new ResilienceProblemDetailsResolver();
	}

}

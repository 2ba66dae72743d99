package dev.resilience.autoconfigure.slo;

import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.web.util.pattern.PathPatternParser;

import dev.resilience.autoconfigure.properties.ResilienceConfigurationValidator;
import dev.resilience.autoconfigure.properties.ResiliencePolicyResolver;
import dev.resilience.core.time.Ticker;

/**
 * Service level objectives over the application's own HTTP routes
 * ({@code resilience.slo.http.<name>}), fed from Spring MVC's request observations when
 * the application has an observation registry (Spring Boot's actuator provides one), and
 * from a servlet filter otherwise.
 */
@AutoConfiguration(after = ErrorBudgetAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ PathPatternParser.class, HttpServletRequest.class })
public final class HttpErrorBudgetAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HttpErrorBudgets httpErrorBudgets(ResiliencePolicyResolver resolver, ErrorBudgetRegistry registry,
			ResilienceConfigurationValidator validator) {
		return HttpErrorBudgets.create(resolver.httpSlos().values(), registry);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ObservationHandler.class, ServerRequestObservationContext.class })
	@ConditionalOnBean(ObservationRegistry.class)
	static class ObservationConfiguration {

		@Bean
		@ConditionalOnMissingBean
		HttpErrorBudgetObservationHandler httpErrorBudgetObservationHandler(HttpErrorBudgets budgets,
				ObjectProvider<Ticker> ticker) {
			return new HttpErrorBudgetObservationHandler(budgets, ticker.getIfUnique(Ticker::system));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(type = "io.micrometer.observation.ObservationRegistry")
	static class FilterConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "httpErrorBudgetFilter")
		FilterRegistrationBean<HttpErrorBudgetFilter> httpErrorBudgetFilter(HttpErrorBudgets budgets,
				ObjectProvider<Ticker> ticker) {
			FilterRegistrationBean<HttpErrorBudgetFilter> registration = new FilterRegistrationBean<>(
					new HttpErrorBudgetFilter(budgets, ticker.getIfUnique(Ticker::system)));
			// First, so that the time and status of everything behind it count.
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
			registration.setEnabled(!budgets.isEmpty());
			return registration;
		}

	}

}

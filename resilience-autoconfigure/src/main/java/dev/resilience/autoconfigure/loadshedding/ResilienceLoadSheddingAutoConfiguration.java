package dev.resilience.autoconfigure.loadshedding;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.properties.LoadSheddingSettings;
import dev.resilience.autoconfigure.properties.ResilienceProperties;
import dev.resilience.core.ResilienceRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Inbound load shedding for a servlet web application, with
 * {@code resilience.load-shedding.enabled=true}: the {@link LoadSheddingFilter}, its
 * {@code loadshedding} actuator endpoint (when exposed) and its meters.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(OncePerRequestFilter.class)
@ConditionalOnBooleanProperty("resilience.load-shedding.enabled")
public final class ResilienceLoadSheddingAutoConfiguration {

	/**
	 * Right after the observation filter, so shed requests still show in
	 * {@code http.server.requests}, and before security and everything heavier.
	 */
	public static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	@Bean
	@ConditionalOnMissingBean
	LoadShedder loadShedder(ResilienceProperties properties, ResilienceRegistry registry) {
		return LoadShedder.of(LoadSheddingSettings.of(properties.getLoadShedding()), registry.ticker());
	}

	@Bean
	@ConditionalOnMissingBean(name = "loadSheddingFilter")
	FilterRegistrationBean<LoadSheddingFilter> loadSheddingFilter(LoadShedder shedder) {
		FilterRegistrationBean<LoadSheddingFilter> registration = new FilterRegistrationBean<>(
				new LoadSheddingFilter(shedder));
		registration.setOrder(FILTER_ORDER);
		registration.setAsyncSupported(true);
		return registration;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Endpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint
		LoadSheddingEndpoint loadSheddingEndpoint(LoadShedder shedder) {
			return new LoadSheddingEndpoint(shedder);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LoadSheddingMetrics loadSheddingMetrics(LoadShedder shedder) {
			return new LoadSheddingMetrics(shedder);
		}

	}

}

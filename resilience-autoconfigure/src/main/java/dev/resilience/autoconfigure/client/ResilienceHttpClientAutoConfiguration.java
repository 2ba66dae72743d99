package dev.resilience.autoconfigure.client;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Outgoing HTTP: the auto-configured {@code RestClient.Builder} and
 * {@code WebClient.Builder} send {@code Resilience-Attempt} on retries and turn
 * {@code 429}/{@code 503} answers into failures that honour {@code Retry-After} and
 * {@code Resilience-Overloaded}; in a servlet application, those failures escaping a
 * handler answer 503 with {@code Resilience-Overloaded: true}, so callers further up do not
 * retry them again. Off with {@code resilience.http-client.enabled=false}.
 */
@AutoConfiguration(beforeName = { "org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration",
		"org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "resilience.http-client.enabled", matchIfMissing = true)
public final class ResilienceHttpClientAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.web.client.RestClient",
			"org.springframework.boot.restclient.RestClientCustomizer" })
	static class RestClientConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ResilienceRestClientCustomizer resilienceRestClientCustomizer() {
			return new ResilienceRestClientCustomizer();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(name = { "org.springframework.web.servlet.HandlerExceptionResolver",
			"org.springframework.web.client.RestClientResponseException" })
	static class ServerConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DownstreamOverloadExceptionResolver downstreamOverloadExceptionResolver() {
			return new DownstreamOverloadExceptionResolver();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.web.reactive.function.client.WebClient",
			"org.springframework.boot.webclient.WebClientCustomizer" })
	static class WebClientConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ResilienceWebClientCustomizer resilienceWebClientCustomizer() {
			return new ResilienceWebClientCustomizer();
		}

	}

}

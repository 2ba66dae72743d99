package dev.resilience.autoconfigure.client;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

class ResilienceHttpClientAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilienceHttpClientAutoConfiguration.class));

	@Test
	void runShouldProvideTheRestClientAndWebClientCustomizers() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(ResilienceRestClientCustomizer.class)
			.hasSingleBean(ResilienceWebClientCustomizer.class)
			.doesNotHaveBean(DownstreamOverloadExceptionResolver.class));
	}

	@Test
	void runWhenDisabledShouldProvideNothing() {
		this.runner.withPropertyValues("resilience.http-client.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ResilienceRestClientCustomizer.class)
				.doesNotHaveBean(ResilienceWebClientCustomizer.class));
	}

	@Test
	void runInAServletApplicationShouldAlsoAnswerDownstreamOverload() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ResilienceHttpClientAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(DownstreamOverloadExceptionResolver.class));
	}

	@Test
	void restClientCustomizerBacksOff() {
		this.runner.withUserConfiguration(UserCustomizer.class).run((context) -> {
			assertThat(context).hasSingleBean(ResilienceRestClientCustomizer.class);
			assertThat(context.getBean(ResilienceRestClientCustomizer.class)).isSameAs(context.getBean("userCustomizer"));
		});
	}

	@Test
	void autoConfiguredRestClientBuilderIsCustomized() {
		this.runner.withConfiguration(AutoConfigurations.of(RestClientAutoConfiguration.class)).run((context) -> {
			RestClient.Builder builder = context.getBean(RestClient.Builder.class);
			builder.requestInterceptors((interceptors) -> assertThat(interceptors)
				.hasAtLeastOneElementOfType(RetryAttemptClientHttpRequestInterceptor.class));
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserCustomizer {

		@Bean
		ResilienceRestClientCustomizer userCustomizer() {
			return new ResilienceRestClientCustomizer();
		}

	}

}

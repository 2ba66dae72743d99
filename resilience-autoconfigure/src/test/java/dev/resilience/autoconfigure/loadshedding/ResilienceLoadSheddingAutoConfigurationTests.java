package dev.resilience.autoconfigure.loadshedding;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.properties.LoadSheddingProperties;
import dev.resilience.autoconfigure.properties.LoadSheddingSettings;
import dev.resilience.core.time.Ticker;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class ResilienceLoadSheddingAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(ResilienceAutoConfiguration.class, ResilienceLoadSheddingAutoConfiguration.class));

	@Test
	void runWithoutEnablingShouldNotRegisterTheFilter() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(LoadShedder.class)
			.doesNotHaveBean("loadSheddingFilter"));
	}

	@Test
	void runWhenEnabledShouldRegisterTheFilterEarly() {
		this.runner.withPropertyValues("resilience.load-shedding.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(LoadShedder.class).hasBean("loadSheddingFilter");
			FilterRegistrationBean<?> registration = context.getBean("loadSheddingFilter", FilterRegistrationBean.class);
			assertThat(registration.getFilter()).isInstanceOf(LoadSheddingFilter.class);
			assertThat(registration.getOrder()).isEqualTo(ResilienceLoadSheddingAutoConfiguration.FILTER_ORDER);
			assertThat(registration.isAsyncSupported()).isTrue();
			assertThat(context.getBean(LoadShedder.class).limit()).isEqualTo(20);
		});
	}

	@Test
	void runInANonWebApplicationShouldNotRegisterTheFilter() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
					ResilienceLoadSheddingAutoConfiguration.class))
			.withPropertyValues("resilience.load-shedding.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(LoadShedder.class));
	}

	@Test
	void loadShedderBacksOff() {
		this.runner.withPropertyValues("resilience.load-shedding.enabled=true")
			.withUserConfiguration(UserShedder.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(LoadShedder.class);
				assertThat(context.getBean(LoadShedder.class)).isSameAs(context.getBean("userShedder"));
			});
	}

	@Test
	void invalidSettingStopsStartUpEvenWhenDisabled() {
		this.runner.withPropertyValues("resilience.load-shedding.smoothing=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("resilience.load-shedding.smoothing must be in (0, 1]"));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserShedder {

		@Bean
		LoadShedder userShedder() {
			return LoadShedder.of(LoadSheddingSettings.of(new LoadSheddingProperties()), Ticker.system());
		}

	}

}

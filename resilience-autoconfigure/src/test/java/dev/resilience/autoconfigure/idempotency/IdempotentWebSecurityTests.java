package dev.resilience.autoconfigure.idempotency;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.servlet.Filter;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static dev.resilience.autoconfigure.idempotency.IdempotentWebTests.order;
import static dev.resilience.autoconfigure.idempotency.IdempotentWebTests.perform;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Spring Security, keys are scoped by the authenticated user: two users sending the
 * same key and body each get their own call, and neither can receive the other's stored
 * response.
 */
class IdempotentWebSecurityTests {

	private final IdempotentWebTests.OrderProbe probe = new IdempotentWebTests.OrderProbe();

	private final WebApplicationContextRunner runner = IdempotentWebTests.WEB
		.withBean(IdempotentWebTests.OrderProbe.class, () -> probe)
		.withUserConfiguration(IdempotentWebTests.OrderController.class, SecurityConfiguration.class);

	@Test
	void oneUserCannotReplayAnotherUsersKey() {
		runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context)
				.addFilters(context.getBean("springSecurityFilterChain", Filter.class))
				.build();
			MockHttpServletResponse alices = perform(mvc, as("alice", order("shared-key", 100)));

			MockHttpServletResponse bobs = perform(mvc, as("bob", order("shared-key", 100)));

			assertThat(alices.getStatus()).isEqualTo(201);
			assertThat(bobs.getStatus()).isEqualTo(201);
			assertThat(bobs.getHeader(IdempotentHandlerAdapter.REPLAYED_HEADER)).isNull();
			assertThat(bobs.getContentAsString()).isNotEqualTo(alices.getContentAsString());
			assertThat(probe.executions).hasValue(2);
			MockHttpServletResponse alicesAgain = perform(mvc, as("alice", order("shared-key", 100)));
			assertThat(alicesAgain.getHeader(IdempotentHandlerAdapter.REPLAYED_HEADER)).isEqualTo("true");
			assertThat(alicesAgain.getContentAsString()).isEqualTo(alices.getContentAsString());
			assertThat(perform(mvc, as("bob", order("shared-key", 100))).getContentAsString())
				.isEqualTo(bobs.getContentAsString());
			assertThat(probe.executions).hasValue(2);
		});
	}

	@Test
	void oneUserCannotReplayAnotherUsersKeyOnAnAsynchronousHandler() {
		IdempotentAsyncWebTests.AsyncProbe asyncProbe = new IdempotentAsyncWebTests.AsyncProbe();
		IdempotentWebTests.WEB.withBean(IdempotentAsyncWebTests.AsyncProbe.class, () -> asyncProbe)
			.withUserConfiguration(IdempotentAsyncWebTests.AsyncOrderController.class, SecurityConfiguration.class)
			.run((context) -> {
				MockMvc mvc = MockMvcBuilders.webAppContextSetup(context)
					.addFilters(context.getBean("springSecurityFilterChain", Filter.class))
					.build();
				MockHttpServletResponse alices = IdempotentAsyncWebTests.perform(mvc, as("alice", asyncOrder()));

				MockHttpServletResponse bobs = IdempotentAsyncWebTests.perform(mvc, as("bob", asyncOrder()));
				MockHttpServletResponse alicesAgain = IdempotentAsyncWebTests.perform(mvc, as("alice", asyncOrder()));

				assertThat(alices.getStatus()).isEqualTo(201);
				assertThat(bobs.getStatus()).isEqualTo(201);
				assertThat(bobs.getHeader(IdempotentHandlerAdapter.REPLAYED_HEADER)).isNull();
				assertThat(bobs.getContentAsString()).isNotEqualTo(alices.getContentAsString());
				assertThat(alicesAgain.getHeader(IdempotentHandlerAdapter.REPLAYED_HEADER)).isEqualTo("true");
				assertThat(alicesAgain.getContentAsString()).isEqualTo(alices.getContentAsString());
				assertThat(asyncProbe.executions).hasValue(2);
			});
	}

	private static MockHttpServletRequestBuilder asyncOrder() {
		return IdempotentAsyncWebTests.order(IdempotentAsyncWebTests.AsyncType.FUTURE, "shared-key", 100);
	}

	private static MockHttpServletRequestBuilder as(String user, MockHttpServletRequestBuilder request) {
		String credentials = Base64.getEncoder().encodeToString((user + ":pw").getBytes(StandardCharsets.UTF_8));
		return request.header("Authorization", "Basic " + credentials);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	static class SecurityConfiguration {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.httpBasic(Customizer.withDefaults())
				.csrf(AbstractHttpConfigurer::disable)
				.build();
		}

		@Bean
		UserDetailsService users() {
			return new InMemoryUserDetailsManager(User.withUsername("alice").password("{noop}pw").roles("USER").build(),
					User.withUsername("bob").password("{noop}pw").roles("USER").build());
		}

	}

}

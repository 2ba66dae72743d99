package dev.resilience.autoconfigure.web;

import java.time.Duration;

import dev.resilience.core.ResilienceException;
import dev.resilience.core.bulkhead.BulkheadFullException;
import dev.resilience.core.circuitbreaker.CallNotPermittedException;
import dev.resilience.core.circuitbreaker.CircuitBreakerState;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The problem-details resolver: present in servlet web applications only, backs off to
 * a user's bean, and answers the library's refusals with RFC 9457 problem details.
 */
class ResilienceWebMvcAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilienceWebMvcAutoConfiguration.class));

	@Test
	void runInServletWebApplicationShouldHaveResolver() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(ResilienceProblemDetailsResolver.class));
	}

	@Test
	void runOutsideWebApplicationShouldNotHaveResolver() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ResilienceWebMvcAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ResilienceProblemDetailsResolver.class));
	}

	@Test
	void runWithoutSpringMvcShouldNotHaveResolver() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.web.servlet"))
			.run((context) -> assertThat(context).doesNotHaveBean(ResilienceProblemDetailsResolver.class));
	}

	@Test
	void resolverBacksOff() {
		this.runner.withBean("userResolver", ResilienceProblemDetailsResolver.class, ResilienceProblemDetailsResolver::new)
			.run((context) -> {
				assertThat(context).hasSingleBean(ResilienceProblemDetailsResolver.class);
				assertThat(context.getBean(ResilienceProblemDetailsResolver.class))
					.isSameAs(context.getBean("userResolver"));
			});
	}

	@Test
	void openBreakerGives503WithRetryAfterRoundedUp() throws Exception {
		MockHttpServletResponse response = resolve(
				new CallNotPermittedException("payments", CircuitBreakerState.OPEN, Duration.ofMillis(4_200)));
		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getHeader("Retry-After")).isEqualTo("5");
		assertThat(response.getContentType()).startsWith("application/problem+json");
		assertThat(response.getContentAsString()).isEqualTo("{\"type\":\"about:blank\",\"title\":\"Circuit breaker open\","
				+ "\"status\":503,\"detail\":\"Circuit breaker 'payments' is OPEN and does not permit further calls\","
				+ "\"instance\":\"/orders\"}");
	}

	@Test
	void forcedOpenBreakerGivesRetryAfterOfAtLeastOneSecond() throws Exception {
		MockHttpServletResponse response = resolve(
				new CallNotPermittedException("payments", CircuitBreakerState.FORCED_OPEN, Duration.ZERO));
		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getHeader("Retry-After")).isEqualTo("1");
	}

	@Test
	void fullBulkheadGives503() throws Exception {
		MockHttpServletResponse response = resolve(new BulkheadFullException("payments", 10));
		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getContentType()).startsWith("application/problem+json");
		assertThat(response.getContentAsString()).contains("\"title\":\"Too many concurrent calls\"",
				"Bulkhead 'payments' is full");
	}

	@Test
	void otherExceptionsAreLeftToOtherResolvers() {
		assertThat(new ResilienceProblemDetailsResolver().resolveException(new MockHttpServletRequest("POST", "/orders"),
				new MockHttpServletResponse(), null, new IllegalStateException("boom")))
			.isNull();
	}

	@Test
	void addedMappingAnswersWithItsStatus() throws Exception {
		ResilienceProblemDetailsResolver resolver = new ResilienceProblemDetailsResolver();
		MockHttpServletResponse response = new MockHttpServletResponse();
		assertThat(resolver.resolveException(new MockHttpServletRequest("POST", "/orders"), response, null,
				new QuotaExceededException()))
			.isNull();
		resolver.map(QuotaExceededException.class, HttpStatus.TOO_MANY_REQUESTS, "Quota exceeded");
		assertThat(resolver.resolveException(new MockHttpServletRequest("POST", "/orders"), response, null,
				new QuotaExceededException()))
			.isNotNull();
		assertThat(response.getStatus()).isEqualTo(429);
		assertThat(response.getHeader("Retry-After")).isNull();
		assertThat(response.getContentAsString()).contains("\"title\":\"Quota exceeded\"");
	}

	@Test
	void detailIsEscapedAsJson() {
		assertThat(ResilienceProblemDetailsResolver.quote("a \"b\"\\\n\u0001")).isEqualTo("\"a \\\"b\\\"\\\\\\n\\u0001\"");
	}

	private static MockHttpServletResponse resolve(Exception ex) {
		MockHttpServletResponse response = new MockHttpServletResponse();
		assertThat(new ResilienceProblemDetailsResolver()
			.resolveException(new MockHttpServletRequest("POST", "/orders"), response, null, ex)).isNotNull();
		return response;
	}

	static class QuotaExceededException extends ResilienceException {

		private static final long serialVersionUID = 1L;

		QuotaExceededException() {
			super("quota exceeded", null, false);
		}

	}

}

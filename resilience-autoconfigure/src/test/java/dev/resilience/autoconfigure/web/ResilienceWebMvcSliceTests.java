package dev.resilience.autoconfigure.web;

import java.time.Duration;

import dev.resilience.core.bulkhead.BulkheadFullException;
import dev.resilience.core.circuitbreaker.CallNotPermittedException;
import dev.resilience.core.circuitbreaker.CircuitBreakerState;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @WebMvcTest} slice answers the library's refusals as the application does, so
 * that a controller test sees the production status codes.
 */
@WebMvcTest
class ResilienceWebMvcSliceTests {

	@Autowired
	private MockMvcTester mvc;

	@Test
	void openBreakerGives503ProblemDetail() {
		assertThat(this.mvc.get().uri("/refused/breaker")).hasStatus(503)
			.hasHeader("Retry-After", "3")
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.extractingPath("$.title")
			.isEqualTo("Circuit breaker open");
	}

	@Test
	void fullBulkheadGives503ProblemDetail() {
		assertThat(this.mvc.get().uri("/refused/bulkhead")).hasStatus(503)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@SpringBootConfiguration
	@Import(RefusingController.class)
	static class SliceConfiguration {

	}

	@RestController
	static class RefusingController {

		@GetMapping("/refused/breaker")
		String breaker() {
			throw new CallNotPermittedException("payments", CircuitBreakerState.OPEN, Duration.ofMillis(2_500));
		}

		@GetMapping("/refused/bulkhead")
		String bulkhead() {
			throw new BulkheadFullException("payments", 10);
		}

	}

}

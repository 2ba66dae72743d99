package dev.resilience.autoconfigure.actuate;

import java.util.Map;

import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.circuitbreaker.CircuitBreakerState;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application that exposes the circuit breakers without granting write access (the
 * write operation is off by default), and whose own JSON settings (snake case, nulls left
 * out) must not change the endpoints' documented shape.
 */
@SpringBootTest(classes = ResilienceEndpointsReadOnlyHttpTests.TestApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=circuitbreakers,bulkheads",
				"management.health.db.enabled=false",
				"management.health.redis.enabled=false", "spring.jackson.property-naming-strategy=SNAKE_CASE",
				"spring.jackson.default-property-inclusion=non_null",
				"resilience.instances.payments.circuit-breaker.minimum-calls=10",
				"resilience.instances.payments.bulkhead.max-concurrent-calls=2" })
@AutoConfigureRestTestClient
class ResilienceEndpointsReadOnlyHttpTests {

	@Autowired
	private RestTestClient client;

	@Autowired
	private ResilienceRegistry registry;

	@Test
	void readOperationsWork() {
		this.client.get()
			.uri("/actuator/circuitbreakers/payments")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("""
					{"state": "CLOSED", "failureRate": null, "slowCallRate": null, "bufferedCalls": 0,
					 "failedCalls": 0, "slowCalls": 0, "notPermittedCalls": 0}
					""");
	}

	@Test
	void bulkheadsKeepTheirDocumentedNames() {
		this.client.get()
			.uri("/actuator/bulkheads")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("""
					{"bulkheads": {"payments": {"maxConcurrentCalls": 2, "availableConcurrentCalls": 2, "rejectedCalls": 0}}}
					""");
	}

	@Test
	void writeOperationIsNotReachable() {
		this.client.post()
			.uri("/actuator/circuitbreakers/payments")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("state", "FORCED_OPEN"))
			.exchange()
			.expectStatus()
			.is4xxClientError();
		assertThat(this.registry.circuitBreaker("payments").state()).isEqualTo(CircuitBreakerState.CLOSED);
	}

	@Test
	void endpointsNotExposedAreNotReachable() {
		this.client.get().uri("/actuator/retries").exchange().expectStatus().isNotFound();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}

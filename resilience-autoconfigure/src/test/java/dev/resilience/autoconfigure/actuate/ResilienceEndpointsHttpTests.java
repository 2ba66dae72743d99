package dev.resilience.autoconfigure.actuate;

import java.time.Duration;
import java.util.Map;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Retryable;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.time.ManualTicker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The actuator endpoints, the health contributor and the problem details over real HTTP,
 * as an operator and a client see them.
 */
@SpringBootTest(classes = ResilienceEndpointsHttpTests.TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,circuitbreakers,retries,bulkheads",
				"management.endpoint.circuitbreakers.access=unrestricted",
				"management.endpoint.health.show-details=always", "management.health.db.enabled=false",
				"management.health.redis.enabled=false",
				"resilience.instances.shipping.circuit-breaker.sliding-window-size=4",
				"resilience.instances.shipping.circuit-breaker.minimum-calls=4",
				"resilience.instances.shipping.circuit-breaker.open-duration=30s",
				"resilience.instances.shipping.retry.max-attempts=2",
				"resilience.instances.shipping.retry.jitter=none",
				"resilience.instances.shipping.bulkhead.max-concurrent-calls=3" })
@AutoConfigureRestTestClient
class ResilienceEndpointsHttpTests {

	@Autowired
	private RestTestClient client;

	@Autowired
	private ResilienceRegistry registry;

	@Autowired
	private ShippingService service;

	@Autowired
	private ManualTicker ticker;

	@BeforeEach
	void closeTheBreakerAndHealTheService() {
		this.service.failing(false);
		this.registry.circuitBreaker("shipping").reset();
		// A success restores the retry budget's floor, which an earlier test's failed call
		// may have suspended; the breaker is reset again after it.
		this.client.get().uri("/shipments/0").exchange().expectStatus().isOk();
		this.registry.circuitBreaker("shipping").reset();
	}

	@Test
	void listsEveryBreakerWithNullRatesBelowMinimumCalls() {
		this.client.get().uri("/shipments/1").exchange().expectStatus().isOk();
		this.client.get()
			.uri("/actuator/circuitbreakers")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("""
					{"circuitBreakers": {"shipping": {"state": "CLOSED", "failureRate": null, "slowCallRate": null,
					  "bufferedCalls": 1, "failedCalls": 0, "slowCalls": 0, "notPermittedCalls": 0}}}
					""");
	}

	@Test
	void getOneGivesItsEntry() {
		this.client.get()
			.uri("/actuator/circuitbreakers/shipping")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("""
					{"state": "CLOSED", "failureRate": null, "slowCallRate": null, "bufferedCalls": 0,
					 "openDurationMillis": 30000, "timeUntilHalfOpenMillis": 0}
					""");
	}

	@Test
	void getUnknownGives404() {
		this.client.get().uri("/actuator/circuitbreakers/nobody").exchange().expectStatus().isNotFound();
		this.client.get().uri("/actuator/retries/nobody").exchange().expectStatus().isNotFound();
		this.client.get().uri("/actuator/bulkheads/nobody").exchange().expectStatus().isNotFound();
	}

	@Test
	void failuresOpenTheBreakerAndClientsGet503WithRetryAfter() {
		this.service.failing(true);
		// The first request makes two attempts; failing although it retried, it suspends the
		// retry budget's floor, so the next two make one attempt each (the ratio has earned
		// nothing yet): three requests fill the window of four calls.
		this.client.get().uri("/shipments/1").exchange().expectStatus().is5xxServerError();
		this.client.get().uri("/shipments/2").exchange().expectStatus().is5xxServerError();
		this.client.get().uri("/shipments/3").exchange().expectStatus().is5xxServerError();
		this.client.get()
			.uri("/actuator/circuitbreakers/shipping")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("""
					{"state": "OPEN", "failureRate": 100.0, "slowCallRate": 0.0, "bufferedCalls": 4, "failedCalls": 4,
					 "openDurationMillis": 30000, "timeUntilHalfOpenMillis": 30000}
					""");

		this.ticker.advance(Duration.ofSeconds(10));
		this.client.get()
			.uri("/shipments/4")
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.valueEquals("Retry-After", "20")
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.json("""
					{"type": "about:blank", "title": "Circuit breaker open", "status": 503,
					 "detail": "Circuit breaker 'shipping' is OPEN and does not permit further calls",
					 "instance": "/shipments/4"}
					""");
		this.client.get()
			.uri("/actuator/circuitbreakers/shipping")
			.exchange()
			.expectBody()
			.jsonPath("$.notPermittedCalls")
			.isEqualTo(1)
			.jsonPath("$.timeUntilHalfOpenMillis")
			.isEqualTo(20000);
	}

	@Test
	void retriesShowCallsAttemptsAndBudget() {
		long denied = this.registry.retry("shipping").metrics().budgetDenied();
		long calls = this.registry.retry("shipping").metrics().calls();
		long attempts = this.registry.retry("shipping").metrics().attempts();
		this.service.failing(true);
		this.client.get().uri("/shipments/1").exchange().expectStatus().is5xxServerError();
		this.client.get()
			.uri("/actuator/retries")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.retries.shipping.calls")
			.isEqualTo(calls + 1)
			.jsonPath("$.retries.shipping.attempts")
			.isEqualTo(attempts + 2)
			.jsonPath("$.retries.shipping.retriedCalls")
			.isNumber()
			.jsonPath("$.retries.shipping.budget.available")
			.isNumber()
			.jsonPath("$.retries.shipping.budget.ratio")
			.isEqualTo(0.1)
			.jsonPath("$.retries.shipping.budget.denied")
			.isEqualTo((int) denied);
	}

	@Test
	void bulkheadsShowLimitFreePermitsAndRejections() {
		this.client.get()
			.uri("/actuator/bulkheads")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("""
					{"bulkheads": {"shipping": {"maxConcurrentCalls": 3, "availableConcurrentCalls": 3, "rejectedCalls": 0}}}
					""");
	}

	@Test
	void forcingOpenThenClosedOverHttpTakesEffect() {
		this.client.post()
			.uri("/actuator/circuitbreakers/shipping")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("state", "FORCED_OPEN"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.state")
			.isEqualTo("FORCED_OPEN");
		this.client.get()
			.uri("/shipments/1")
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.valueEquals("Retry-After", "1");

		this.client.post()
			.uri("/actuator/circuitbreakers/shipping")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("state", "CLOSED"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.state")
			.isEqualTo("CLOSED");
		this.client.get().uri("/shipments/1").exchange().expectStatus().isOk().expectBody(String.class).isEqualTo(
				"shipped 1");
	}

	@Test
	void postingAnyOtherStateGives400() {
		for (String state : new String[] { "OPEN", "HALF_OPEN", "nonsense" }) {
			this.client.post()
				.uri("/actuator/circuitbreakers/shipping")
				.contentType(MediaType.APPLICATION_JSON)
				.body(Map.of("state", state))
				.exchange()
				.expectStatus()
				.isBadRequest();
		}
		this.client.post()
			.uri("/actuator/circuitbreakers/shipping")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of())
			.exchange()
			.expectStatus()
			.isBadRequest();
		this.client.get()
			.uri("/actuator/circuitbreakers/shipping")
			.exchange()
			.expectBody()
			.jsonPath("$.state")
			.isEqualTo("CLOSED");
	}

	@Test
	void postingToAnUnknownBreakerGives404() {
		this.client.post()
			.uri("/actuator/circuitbreakers/nobody")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("state", "FORCED_OPEN"))
			.exchange()
			.expectStatus()
			.isNotFound();
	}

	@Test
	void openBreakerLeavesTheApplicationUp() {
		this.client.post()
			.uri("/actuator/circuitbreakers/shipping")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("state", "FORCED_OPEN"))
			.exchange()
			.expectStatus()
			.isOk();
		this.client.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("""
					{"status": "UP", "components": {"circuitBreakers": {"status": "UNKNOWN",
					  "details": {"shipping": "FORCED_OPEN"}}}}
					""");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ ShippingController.class, ShippingService.class })
	static class TestApplication {

		@Bean
		ManualTicker ticker() {
			return ManualTicker.create();
		}

	}

	@RestController
	static class ShippingController {

		private final ShippingService service;

		ShippingController(ShippingService service) {
			this.service = service;
		}

		@GetMapping("/shipments/{id}")
		String ship(@PathVariable("id") String id) {
			return this.service.ship(id);
		}

	}

	static class ShippingService {

		private volatile boolean failing;

		void failing(boolean failing) {
			this.failing = failing;
		}

		@Retryable("shipping")
		@CircuitBreaker("shipping")
		@Bulkhead("shipping")
		public String ship(String id) {
			if (this.failing) {
				throw new IllegalStateException("carrier unreachable");
			}
			return "shipped " + id;
		}

	}

}

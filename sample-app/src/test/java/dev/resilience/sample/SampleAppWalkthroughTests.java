package dev.resilience.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.time.ManualTicker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's walkthrough over HTTP: place an order, make the gateway fail, watch the
 * retries and the breaker open, get 503s with {@code Retry-After}, fall back, fill the
 * bulkhead, and recover. Time is a manual ticker, so backoffs and the open state pass
 * without sleeping; only the bulkhead step uses real concurrent, slow requests.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class SampleAppWalkthroughTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	private RestTestClient client;

	@Autowired
	private ManualTicker ticker;

	@Autowired
	private ResilienceRegistry registry;

	@BeforeEach
	void healthyGatewayClosedBreakerAndAFreshRetryBudget() {
		putGateway(0.0, 0);
		// Past the retry budget's window, so that no test spends another's retries, and as
		// after a success: a call that failed although it retried suspends the budget's floor
		// until an attempt succeeds.
		this.ticker.advance(Duration.ofSeconds(11));
		this.registry.retry("payments").budget().recordSuccess();
		this.registry.circuitBreaker("payments").reset();
	}

	@Test
	void placesAnOrderWhileTheGatewayIsHealthy() {
		this.client.post()
			.uri("/orders")
			.header("Idempotency-Key", UUID.randomUUID().toString())
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("amountCents", 1250))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.amountCents")
			.isEqualTo(1250)
			.jsonPath("$.orderId")
			.isNotEmpty()
			.jsonPath("$.payment")
			.value(String.class, (payment) -> assertThat(payment).startsWith("pay-"));
		assertThat(get("/actuator/circuitbreakers/payments").get("state").asString()).isEqualTo("CLOSED");
	}

	@Test
	void failingGatewayIsRetriedThenTheBreakerOpensAndAnswers503() {
		JsonNode retriesBefore = get("/actuator/retries").get("retries").get("payments");
		putGateway(1.0, 0);

		assertThat(placeOrder()).isEqualTo(500);
		JsonNode retries = get("/actuator/retries").get("retries").get("payments");
		assertThat(retries.get("calls").asLong()).isEqualTo(retriesBefore.get("calls").asLong() + 1);
		assertThat(retries.get("retriedCalls").asLong()).isEqualTo(retriesBefore.get("retriedCalls").asLong() + 1);
		assertThat(retries.get("attempts").asLong()).as("three attempts")
			.isEqualTo(retriesBefore.get("attempts").asLong() + 3);

		// The first order failed although it retried: that suspends the retry budget's floor,
		// and the ratio has earned no whole token yet, so the next orders make one attempt
		// each and their retries are denied. The tenth failed attempt (3 + 7 x 1) reaches
		// minimum-calls and opens the breaker, which refuses the ninth order at once.
		for (int order = 2; order <= 8; order++) {
			assertThat(placeOrder()).as("order %d", order).isEqualTo(500);
		}
		JsonNode afterSuspension = get("/actuator/retries").get("retries").get("payments");
		assertThat(afterSuspension.get("attempts").asLong()).as("one attempt each")
			.isEqualTo(retriesBefore.get("attempts").asLong() + 3 + 7);
		assertThat(afterSuspension.get("budget").get("denied").asLong())
			.isEqualTo(retriesBefore.get("budget").get("denied").asLong() + 7);
		assertThat(placeOrder()).isEqualTo(503);
		JsonNode breaker = get("/actuator/circuitbreakers").get("circuitBreakers").get("payments");
		assertThat(breaker.get("state").asString()).isEqualTo("OPEN");
		assertThat(breaker.get("failureRate").asDouble()).isEqualTo(100.0);
		assertThat(breaker.get("failedCalls").asInt()).isEqualTo(10);

		long gatewayCalls = get("/gateway").get("calls").asLong();
		this.ticker.advance(Duration.ofMillis(2_500));
		this.client.post()
			.uri("/orders")
			.header("Idempotency-Key", UUID.randomUUID().toString())
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("amountCents", 1250))
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			// Opened by the eighth order without a backoff since, 10s open-duration, 2.5s later: 7.5s, rounded up.
			.valueEquals("Retry-After", "8")
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(503)
			.jsonPath("$.title")
			.isEqualTo("Circuit breaker open")
			.jsonPath("$.instance")
			.isEqualTo("/orders");
		assertThat(get("/gateway").get("calls").asLong()).as("an open breaker fails fast").isEqualTo(gatewayCalls);
		assertThat(get("/actuator/circuitbreakers/payments").get("notPermittedCalls").asLong()).isEqualTo(2);

		JsonNode health = get("/actuator/health");
		assertThat(health.get("status").asString()).as("a failing dependency does not take the app down")
			.isEqualTo("UP");
		assertThat(health.get("components").get("circuitBreakers").get("status").asString()).isEqualTo("UNKNOWN");
		assertThat(get("/actuator/metrics/resilience.circuitbreaker.state?tag=name:payments&tag=state:open")
			.get("measurements")
			.get(0)
			.get("value")
			.asDouble()).isEqualTo(1.0);
	}

	@Test
	void deferredOrdersFallBackWhileTheGatewayFails() {
		putGateway(1.0, 0);
		JsonNode first = placeDeferredOrder();
		assertThat(first.get("payment").asString()).startsWith("deferred:")
			.endsWith(":PaymentGatewayException")
			.contains(first.get("orderId").asString());

		String payment = first.get("payment").asString();
		for (int i = 0; i < 10 && !payment.endsWith(":CallNotPermittedException"); i++) {
			payment = placeDeferredOrder().get("payment").asString();
		}
		assertThat(payment).as("once the breaker is open, the fallback receives its refusal")
			.endsWith(":CallNotPermittedException");
		assertThat(get("/actuator/circuitbreakers/payments").get("state").asString()).isEqualTo("OPEN");
	}

	@Test
	void bulkheadRejectsConcurrentSlowCallsPastItsLimit() throws Exception {
		long rejectedBefore = get("/actuator/bulkheads").get("bulkheads").get("payments").get("rejectedCalls").asLong();
		// Slow enough that all the requests overlap even on a busy machine.
		putGateway(0.0, 1_000);
		int requests = 20;
		ExecutorService pool = Executors.newFixedThreadPool(requests);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<EntityExchangeResult<String>>> responses = new ArrayList<>();
			for (int i = 0; i < requests; i++) {
				responses.add(pool.submit(() -> {
					start.await();
					return this.client.post()
						.uri("/orders")
						.header("Idempotency-Key", UUID.randomUUID().toString())
						.contentType(MediaType.APPLICATION_JSON)
						.body(Map.of("amountCents", 100))
						.exchange()
						.expectBody(String.class)
						.returnResult();
				}));
			}
			start.countDown();
			int created = 0;
			int rejected = 0;
			for (Future<EntityExchangeResult<String>> response : responses) {
				EntityExchangeResult<String> result = response.get(20, TimeUnit.SECONDS);
				int status = result.getStatus().value();
				assertThat(status).isIn(201, 503);
				if (status == 201) {
					created++;
				}
				else {
					rejected++;
					assertThat(result.getResponseHeaders().getContentType())
						.matches(MediaType.APPLICATION_PROBLEM_JSON::isCompatibleWith);
					assertThat(result.getResponseBody()).contains("\"title\":\"Too many concurrent calls\"");
				}
			}
			assertThat(created).as("calls within the limit").isPositive();
			assertThat(rejected).as("calls past the limit of 10").isPositive();

			JsonNode bulkhead = get("/actuator/bulkheads").get("bulkheads").get("payments");
			assertThat(bulkhead.get("maxConcurrentCalls").asInt()).isEqualTo(10);
			assertThat(bulkhead.get("availableConcurrentCalls").asInt()).isEqualTo(10);
			assertThat(bulkhead.get("rejectedCalls").asLong()).isEqualTo(rejectedBefore + rejected);
			JsonNode breaker = get("/actuator/circuitbreakers/payments");
			assertThat(breaker.get("state").asString()).as("rejections are not failures of the gateway")
				.isEqualTo("CLOSED");
			assertThat(breaker.get("failedCalls").asInt()).isZero();
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void breakerRecoversThroughHalfOpenProbesOnceTheGatewayHeals() {
		openTheBreaker();
		putGateway(0.0, 0);
		assertThat(placeOrder()).as("still open").isEqualTo(503);

		this.ticker.advance(Duration.ofSeconds(10));
		assertThat(get("/actuator/circuitbreakers/payments").get("state").asString()).isEqualTo("HALF_OPEN");
		for (int probe = 0; probe < 3; probe++) {
			assertThat(placeOrder()).isEqualTo(201);
		}
		assertThat(get("/actuator/circuitbreakers/payments").get("state").asString()).isEqualTo("CLOSED");
		assertThat(placeOrder()).isEqualTo(201);
	}

	@Test
	void operatorClosesTheBreakerThroughTheActuator() {
		openTheBreaker();
		putGateway(0.0, 0);
		this.client.post()
			.uri("/actuator/circuitbreakers/payments")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("state", "CLOSED"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.state")
			.isEqualTo("CLOSED");
		assertThat(placeOrder()).isEqualTo(201);
	}

	@Test
	void operatorForcesTheBreakerOpenThroughTheActuator() {
		this.client.post()
			.uri("/actuator/circuitbreakers/payments")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("state", "FORCED_OPEN"))
			.exchange()
			.expectStatus()
			.isOk();
		assertThat(placeOrder()).isEqualTo(503);
		assertThat(placeDeferredOrder().get("payment").asString()).endsWith(":CallNotPermittedException");
		this.client.post()
			.uri("/actuator/circuitbreakers/payments")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("state", "HALF_OPEN"))
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

	@Test
	void gatewayRefusesAnImpossibleFailureRate() {
		this.client.put()
			.uri("/gateway")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("failureRate", 1.5, "latencyMs", 0))
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

	private void openTheBreaker() {
		putGateway(1.0, 0);
		int status = 0;
		for (int i = 0; i < 10 && status != 503; i++) {
			status = placeOrder();
		}
		assertThat(status).isEqualTo(503);
		assertThat(get("/actuator/circuitbreakers/payments").get("state").asString()).isEqualTo("OPEN");
	}

	private void putGateway(double failureRate, long latencyMs) {
		this.client.put()
			.uri("/gateway")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("failureRate", failureRate, "latencyMs", latencyMs))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.failureRate")
			.isEqualTo(failureRate);
	}

	private int placeOrder() {
		return this.client.post()
			.uri("/orders")
			.header("Idempotency-Key", UUID.randomUUID().toString())
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("amountCents", 1250))
			.exchange()
			.returnResult()
			.getStatus()
			.value();
	}

	private JsonNode placeDeferredOrder() {
		String body = this.client.post()
			.uri("/orders/deferred")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("amountCents", 1250))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		return JSON.readTree(body);
	}

	private JsonNode get(String uri) {
		String body = this.client.get()
			.uri(uri)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		return JSON.readTree(body);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class ManualTime {

		/**
		 * Time and backoff sleeps of every instance; the open state and the retry budget
		 * move only when a test advances it.
		 */
		@Bean
		ManualTicker ticker() {
			return ManualTicker.create();
		}

	}

}

package dev.resilience.sample;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.resilience.core.time.ManualTicker;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The error-budget part of the walkthrough (docs/error-budgets.md): the budgets of the gateway and of the
 * orders API burn while the gateway fails, and the Prometheus rules are served as YAML.
 * Time is a manual ticker, so retries do not wait.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class ErrorBudgetWalkthroughTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	private RestTestClient client;

	@Test
	void theBudgetsBurnWhileTheGatewayFails() {
		putGateway(0.0);
		JsonNode before = get("/actuator/errorbudgets").get("errorBudgets");
		assertThat(before.get("payments").get("objective").asDouble()).isEqualTo(99.5);
		assertThat(before.get("orders-api").get("window").asString()).isEqualTo("30d");
		long paymentsBefore = before.get("payments").get("events").asLong();
		long paymentsBadBefore = before.get("payments").get("badEvents").asLong();
		long ordersBefore = before.get("orders-api").get("events").asLong();
		long ordersBadBefore = before.get("orders-api").get("badEvents").asLong();
		for (int i = 0; i < 20; i++) {
			placeOrder();
		}
		JsonNode healthy = get("/actuator/errorbudgets/payments");
		assertThat(healthy.get("events").asLong()).isEqualTo(paymentsBefore + 20);
		assertThat(healthy.get("policy").asString()).isEqualTo("NORMAL");
		assertThat(healthy.get("scope").asString()).isEqualTo("process");

		putGateway(1.0);
		for (int i = 0; i < 10; i++) {
			placeOrder();
		}

		JsonNode payments = get("/actuator/errorbudgets/payments");
		assertThat(payments.get("events").asLong()).as("one event per order, retries included")
			.isEqualTo(paymentsBefore + 30);
		assertThat(payments.get("badEvents").asLong()).isEqualTo(paymentsBadBefore + 10);
		assertThat(payments.get("budgetRemaining").asDouble()).isNegative();
		assertThat(payments.get("policy").asString()).isEqualTo("FREEZE");
		assertThat(payments.get("burnRates").get("5m").asDouble()).isGreaterThan(14.4);
		assertThat(payments.get("alerts").get(0).get("firing").asBoolean()).isTrue();
		JsonNode orders = get("/actuator/errorbudgets/orders-api");
		assertThat(orders.get("events").asLong()).isEqualTo(ordersBefore + 30);
		assertThat(orders.get("badEvents").asLong()).as("500s, then 503s once the breaker opens")
			.isEqualTo(ordersBadBefore + 10);
		putGateway(0.0);
	}

	@Test
	void prometheusRulesAreServedAsYaml() {
		String rules = this.client.get()
			.uri("/actuator/errorbudgetrules")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.parseMediaType("application/yaml"))
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();

		Map<String, Object> file = new Yaml().load(rules);
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> groups = (List<Map<String, Object>>) file.get("groups");
		assertThat(groups).extracting((group) -> group.get("name"))
			.containsExactly("resilience-slo-orders-api", "resilience-slo-payments");
	}

	private void placeOrder() {
		this.client.post()
			.uri("/orders")
			.header("Idempotency-Key", UUID.randomUUID().toString())
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("amountCents", 1250))
			.exchange();
	}

	private void putGateway(double failureRate) {
		this.client.put()
			.uri("/gateway")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("failureRate", failureRate, "latencyMs", 0))
			.exchange()
			.expectStatus()
			.isOk();
	}

	private JsonNode get(String path) {
		String body = this.client.get()
			.uri(path)
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

		@Bean
		ManualTicker manualTicker() {
			return ManualTicker.create();
		}

	}

}

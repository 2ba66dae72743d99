package dev.resilience.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order endpoint over real HTTP, as the README's curl session shows it: the same
 * {@code Idempotency-Key} twice places and charges one order.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OrderIdempotencyTests {

	private final HttpClient client = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private PaymentGateway gateway;

	@Test
	void sameKeyTwicePlacesAndChargesOneOrder() throws Exception {
		String key = UUID.randomUUID().toString();
		long chargesBefore = gateway.charges();

		HttpResponse<String> first = placeOrder(key, "{\"amountCents\": 1250}");
		HttpResponse<String> second = placeOrder(key, "{\"amountCents\": 1250}");

		assertThat(first.statusCode()).isEqualTo(201);
		assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
		assertThat(second.statusCode()).isEqualTo(201);
		assertThat(second.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(second.body()).isEqualTo(first.body()).contains("orderId");
		assertThat(second.headers().firstValue("Content-Type")).isEqualTo(first.headers().firstValue("Content-Type"));
		assertThat(gateway.charges()).isEqualTo(chargesBefore + 1);
	}

	@Test
	void sameKeyWithAnotherBodyIsRefused() throws Exception {
		String key = UUID.randomUUID().toString();
		placeOrder(key, "{\"amountCents\": 1250}");

		HttpResponse<String> reused = placeOrder(key, "{\"amountCents\": 9900}");

		assertThat(reused.statusCode()).isEqualTo(422);
		assertThat(reused.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
	}

	@Test
	void orderWithoutKeyIsRefused() throws Exception {
		HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/orders"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"amountCents\": 1250}"))
			.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(400);
	}

	@Test
	void actuatorCountsOutcomesOfTheOrdersInstance() throws Exception {
		String key = UUID.randomUUID().toString();
		placeOrder(key, "{\"amountCents\": 500}");
		placeOrder(key, "{\"amountCents\": 500}");

		HttpResponse<String> view = client.send(HttpRequest.newBuilder(uri("/actuator/idempotency/orders")).build(),
				HttpResponse.BodyHandlers.ofString());

		assertThat(view.statusCode()).isEqualTo(200);
		assertThat(view.body()).contains("\"executed\"").contains("\"replayed\"").contains("\"ttl\":\"PT24H\"");
	}

	private HttpResponse<String> placeOrder(String key, String body) throws IOException, InterruptedException {
		return client.send(HttpRequest.newBuilder(uri("/orders"))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", key)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

}

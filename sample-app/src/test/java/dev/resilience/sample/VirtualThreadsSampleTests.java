package dev.resilience.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.filter.OncePerRequestFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app with {@code spring.threads.virtual.enabled=true}: the server handles
 * requests on virtual threads, and an order placed with an {@code Idempotency-Key}
 * (idempotency, retry, breaker and bulkhead on the payment) runs and replays as it does on
 * platform threads. Virtual threads need Java 21; the build targets 17, so the thread is
 * asked {@code isVirtual()} reflectively.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.threads.virtual.enabled=true")
class VirtualThreadsSampleTests {

	private final HttpClient client = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private PaymentGateway gateway;

	@Autowired
	private HandlerThreads handlerThreads;

	@Test
	void placesAndReplaysAnOrderOnAVirtualThread() throws Exception {
		String key = UUID.randomUUID().toString();
		long chargesBefore = gateway.charges();

		HttpResponse<String> first = placeOrder(key);
		HttpResponse<String> second = placeOrder(key);

		assertThat(first.statusCode()).isEqualTo(201);
		assertThat(first.body()).contains("orderId");
		assertThat(second.statusCode()).isEqualTo(201);
		assertThat(second.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(second.body()).isEqualTo(first.body());
		assertThat(gateway.charges()).isEqualTo(chargesBefore + 1);
		assertThat(handlerThreads.virtualByKey).as("the order's request ran on a virtual thread")
			.containsEntry(key, true);
	}

	@Test
	void retriesAndBreakerEndpointsAnswer() throws Exception {
		placeOrder(UUID.randomUUID().toString());

		HttpResponse<String> retries = get("/actuator/retries");
		HttpResponse<String> breakers = get("/actuator/circuitbreakers/payments");

		assertThat(retries.statusCode()).isEqualTo(200);
		assertThat(retries.body()).contains("\"payments\"");
		assertThat(breakers.statusCode()).isEqualTo(200);
		assertThat(breakers.body()).contains("\"state\":\"CLOSED\"");
	}

	private HttpResponse<String> placeOrder(String key) throws IOException, InterruptedException {
		return client.send(HttpRequest.newBuilder(uri("/orders"))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", key)
			.POST(HttpRequest.BodyPublishers.ofString("{\"amountCents\": 1250}"))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

	/** Records, per idempotency key, whether the thread serving the request was virtual. */
	static final class HandlerThreads extends OncePerRequestFilter {

		final Map<String, Boolean> virtualByKey = new ConcurrentHashMap<>();

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			String key = request.getHeader("Idempotency-Key");
			if (key != null) {
				// A synchronous handler runs on the thread that runs the filters.
				virtualByKey.put(key, isVirtual(Thread.currentThread()));
			}
			chain.doFilter(request, response);
		}

		private static boolean isVirtual(Thread thread) {
			try {
				return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
			}
			catch (ReflectiveOperationException ex) {
				return false;
			}
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class ThreadsConfiguration {

		@Bean
		HandlerThreads handlerThreads() {
			return new HandlerThreads();
		}

	}

}

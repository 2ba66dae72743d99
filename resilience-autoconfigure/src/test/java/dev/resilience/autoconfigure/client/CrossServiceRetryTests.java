package dev.resilience.autoconfigure.client;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Retryable;
import dev.resilience.autoconfigure.web.ResilienceHttpHeaders;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.circuitbreaker.CircuitBreakerState;
import dev.resilience.core.retry.Retry;
import dev.resilience.core.retry.RetryConfig;
import dev.resilience.core.retry.RetryListener;
import dev.resilience.core.time.ManualTicker;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Two Spring Boot applications on loopback: a caller whose {@code @Retryable} method calls
 * a callee through the auto-configured {@code RestClient}, and the callee. With the
 * headers, an overloaded callee is called once per logical call; without them, once per
 * attempt. A {@code Retry-After} sets the caller's wait, up to its {@code max-backoff}.
 */
class CrossServiceRetryTests {

	private static final int LOGICAL_CALLS = 10;

	private static final int MAX_ATTEMPTS = 3;

	private static ConfigurableApplicationContext callee;

	private static ConfigurableApplicationContext callerWithHeaders;

	private static ConfigurableApplicationContext callerWithoutHeaders;

	@BeforeAll
	static void startApplications() {
		callee = new SpringApplicationBuilder(CalleeApplication.class).properties(common("callee")).run();
		String port = "callee.port=" + ((WebServerApplicationContext) callee).getWebServer().getPort();
		callerWithHeaders = new SpringApplicationBuilder(CallerApplication.class)
			.properties(common("caller-with-headers"))
			.properties(port)
			.run();
		callerWithoutHeaders = new SpringApplicationBuilder(CallerApplication.class)
			.properties(common("caller-without-headers"))
			.properties(port, "resilience.http-client.enabled=false")
			.run();
		callee.getBean(ResilienceRegistry.class)
			.circuitBreaker("guarded")
			.transitionTo(CircuitBreakerState.FORCED_OPEN);
	}

	private static String[] common(String name) {
		return new String[] { "spring.application.name=" + name, "server.port=0", "server.address=127.0.0.1",
				"spring.main.banner-mode=off", "logging.level.root=warn",
				"resilience.instances.callee.retry.max-attempts=" + MAX_ATTEMPTS,
				"resilience.instances.callee.retry.initial-backoff=10ms",
				"resilience.instances.callee.retry.max-backoff=5s", "resilience.instances.callee.retry.jitter=none",
				"resilience.instances.callee.retry.budget.enabled=false" };
	}

	@AfterAll
	static void stopApplications() {
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { callerWithoutHeaders,
				callerWithHeaders, callee }) {
			if (context != null) {
				context.close();
			}
		}
	}

	@BeforeEach
	void clearRecords() {
		callee.getBean(RequestLog.class).clear();
		callerWithHeaders.getBean(RecordingRetryListener.class).delays.clear();
	}

	@Test
	void overloadedCalleeIsCalledOncePerLogicalCallWithTheHeadersAndOncePerAttemptWithout() {
		RequestLog log = callee.getBean(RequestLog.class);
		for (int i = 0; i < LOGICAL_CALLS; i++) {
			assertThatThrownBy(() -> callerWithHeaders.getBean(CalleeClient.class).get("/overloaded"))
				.isInstanceOf(HttpOverloadedException.class)
				.hasMessageContaining("503");
		}
		int withHeaders = log.count("/overloaded");
		log.clear();
		for (int i = 0; i < LOGICAL_CALLS; i++) {
			assertThatThrownBy(() -> callerWithoutHeaders.getBean(CalleeClient.class).get("/overloaded"))
				.isInstanceOf(HttpServerErrorException.ServiceUnavailable.class);
		}
		int withoutHeaders = log.count("/overloaded");
		System.out.printf("callee requests for %d logical calls: with headers %d, without %d%n", LOGICAL_CALLS,
				withHeaders, withoutHeaders);
		assertThat(withHeaders).as("only the layer next to the failure decides").isEqualTo(LOGICAL_CALLS);
		assertThat(withoutHeaders).isEqualTo(LOGICAL_CALLS * MAX_ATTEMPTS);
	}

	@Test
	void calleeRefusalCarriesRetryAfterAndTheOverloadedHeader() {
		HttpOverloadedException refusal = (HttpOverloadedException) catchThrowable(
				() -> callerWithHeaders.getBean(CalleeClient.class).get("/overloaded"));
		assertThat(refusal.getStatusCode().value()).isEqualTo(503);
		assertThat(refusal.getResponseHeaders().getFirst(ResilienceHttpHeaders.OVERLOADED)).isEqualTo("true");
		assertThat(refusal.retryAfter()).isPositive();
		assertThat(refusal.getResponseBodyAsString()).contains("Circuit breaker open");
	}

	@Test
	void retryAfterSetsTheWaitBetweenAttemptsAndRetriesCarryTheirAttemptNumber() {
		ManualTicker ticker = callerWithHeaders.getBean(ManualTicker.class);
		long before = ticker.read();
		HttpRetryableException failure = (HttpRetryableException) catchThrowable(
				() -> callerWithHeaders.getBean(CalleeClient.class).get("/throttled?retryAfter=2"));
		assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(2));
		assertThat(failure.getSuppressed()).hasSize(2);
		assertThat(callerWithHeaders.getBean(RecordingRetryListener.class).delays)
			.as("the backoff of 10ms and 20ms is raised to Retry-After")
			.containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
		assertThat(Duration.ofNanos(ticker.read() - before)).isEqualTo(Duration.ofSeconds(4));
		assertThat(callee.getBean(RequestLog.class).attemptHeaders("/throttled")).containsExactly(null, "2", "3");
	}

	@Test
	void retryAfterBeyondMaxBackoffGivesUpAfterOneAttempt() {
		assertThatThrownBy(() -> callerWithHeaders.getBean(CalleeClient.class).get("/throttled?retryAfter=30"))
			.isInstanceOf(HttpRetryableException.class);
		assertThat(callee.getBean(RequestLog.class).count("/throttled")).isEqualTo(1);
		assertThat(callerWithHeaders.getBean(RecordingRetryListener.class).delays).isEmpty();
	}

	@Test
	void webClientMapsTheSameAnswersAndSendsTheAttempt() throws Throwable {
		int port = ((WebServerApplicationContext) callee).getWebServer().getPort();
		WebClient.Builder builder = WebClient.builder()
			.baseUrl("http://127.0.0.1:" + port)
			.clientConnector(new JdkClientHttpConnector());
		new ResilienceWebClientCustomizer().customize(builder);
		WebClient client = builder.build();
		assertThatThrownBy(() -> client.get().uri("/overloaded").retrieve().bodyToMono(String.class).block())
			.isInstanceOf(HttpOverloadedException.class);
		ManualTicker ticker = ManualTicker.create();
		Retry retry = Retry.of("web", RetryConfig.builder().maxBackoff(Duration.ofSeconds(5)).build(), ticker, ticker,
				java.util.concurrent.ThreadLocalRandom.current(), RetryListener.NOOP);
		assertThatThrownBy(() -> retry
			.execute(() -> client.get().uri("/throttled?retryAfter=1").retrieve().bodyToMono(String.class).block()))
			.isInstanceOf(HttpRetryableException.class);
		assertThat(callee.getBean(RequestLog.class).attemptHeaders("/throttled")).containsExactly(null, "2", "3");
		assertThat(Duration.ofNanos(ticker.read())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void overloadEscapingAHandlerTravelsUpAsOverloaded() {
		int port = ((WebServerApplicationContext) callerWithHeaders).getWebServer().getPort();
		ResponseEntity<String> response = RestClient.create("http://127.0.0.1:" + port)
			.get()
			.uri("/relay")
			.exchange((request, answer) -> ResponseEntity.status(answer.getStatusCode())
				.headers(answer.getHeaders())
				.body(new String(answer.getBody().readAllBytes())));
		assertThat(response.getStatusCode().value()).isEqualTo(503);
		assertThat(response.getHeaders().getFirst(ResilienceHttpHeaders.OVERLOADED)).isEqualTo("true");
		assertThat(response.getHeaders().getFirst("Retry-After")).isNotBlank();
		assertThat(response.getBody()).contains("Dependency overloaded").doesNotContain("127.0.0.1");
		assertThat(callee.getBean(RequestLog.class).count("/overloaded")).isEqualTo(1);
	}

	/** What reached the callee: paths and attempt headers, in arrival order. */
	static final class RequestLog {

		private final List<String[]> requests = Collections.synchronizedList(new ArrayList<>());

		void record(HttpServletRequest request) {
			this.requests.add(new String[] { request.getRequestURI(), request.getHeader(ResilienceHttpHeaders.ATTEMPT) });
		}

		int count(String path) {
			synchronized (this.requests) {
				return (int) this.requests.stream().filter((r) -> r[0].equals(path)).count();
			}
		}

		List<String> attemptHeaders(String path) {
			synchronized (this.requests) {
				List<String> headers = new ArrayList<>();
				this.requests.stream().filter((r) -> r[0].equals(path)).forEach((r) -> headers.add(r[1]));
				return headers;
			}
		}

		void clear() {
			this.requests.clear();
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(CalleeController.class)
	static class CalleeApplication {

		@Bean
		RequestLog requestLog() {
			return new RequestLog();
		}

		@Bean
		FilterRegistrationBean<Filter> requestLogFilter(RequestLog log) {
			FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
				log.record((HttpServletRequest) request);
				chain.doFilter(request, response);
			});
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			return registration;
		}

	}

	@RestController
	static class CalleeController {

		/** Behind a breaker that the test forces open: the callee refuses under "overload". */
		@CircuitBreaker("guarded")
		@GetMapping("/overloaded")
		public String overloaded() {
			return "served";
		}

		/** A plain 503 with Retry-After and no overloaded header: worth a retry, later. */
		@GetMapping("/throttled")
		public ResponseEntity<String> throttled(@RequestParam int retryAfter) {
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
				.header("Retry-After", Integer.toString(retryAfter))
				.body("busy");
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(RelayController.class)
	static class CallerApplication {

		/** Backoff waits advance this ticker instead of sleeping. */
		@Bean
		ManualTicker ticker() {
			return ManualTicker.create();
		}

		@Bean
		RecordingRetryListener recordingRetryListener() {
			return new RecordingRetryListener();
		}

		@Bean
		CalleeClient calleeClient(RestClient.Builder builder, Environment environment) {
			return new CalleeClient(
					builder.baseUrl("http://127.0.0.1:" + environment.getRequiredProperty("callee.port")).build());
		}

	}

	/** An endpoint of the caller that depends on the callee: the middle of three services. */
	@RestController
	static class RelayController {

		private final CalleeClient client;

		RelayController(CalleeClient client) {
			this.client = client;
		}

		@GetMapping("/relay")
		public String relay() throws IOException {
			return this.client.get("/overloaded");
		}

	}

	static class CalleeClient {

		private final RestClient client;

		CalleeClient(RestClient client) {
			this.client = client;
		}

		@Retryable("callee")
		public String get(String path) throws IOException {
			return this.client.get().uri(path).retrieve().body(String.class);
		}

	}

	static final class RecordingRetryListener implements RetryListener {

		final List<Duration> delays = Collections.synchronizedList(new ArrayList<>());

		@Override
		public void onRetry(String name, int attempt, long delayNanos, Throwable cause) {
			this.delays.add(Duration.ofNanos(delayNanos));
		}

	}

}

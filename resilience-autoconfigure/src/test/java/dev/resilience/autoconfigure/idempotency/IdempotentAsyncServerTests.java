package dev.resilience.autoconfigure.idempotency;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.resilience.annotation.Idempotent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.WebAsyncTask;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Asynchronous idempotent handlers on a real server (Tomcat on a random port, the
 * in-memory store): a duplicate that arrives while the first request's value is pending
 * gets 409, a later one the stored answer; 32 clients racing on one key run the handler
 * once; a value that fails or a request that the container times out frees the key.
 */
class IdempotentAsyncServerTests {

	private static final int CLIENTS = 32;

	/** Short enough to time out within a test; Tomcat notices it within about a second more. */
	private static final long STALLED_TIMEOUT_MILLIS = 300;

	private static final Probe probe = new Probe();

	private static ConfigurableApplicationContext server;

	private static HttpClient client;

	private static String base;

	@BeforeAll
	static void start() {
		server = new SpringApplicationBuilder(ServerApplication.class)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
					"logging.level.root=warn", "resilience.idempotency.store=memory")
			.run();
		base = "http://127.0.0.1:" + ((WebServerApplicationContext) server).getWebServer().getPort();
		client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
	}

	@AfterAll
	static void stop() {
		probe.release.complete(null);
		if (server != null) {
			server.close();
		}
	}

	@Test
	void duplicateWhileTheFirstIsPendingGets409AndAfterItTheStoredAnswer() throws Exception {
		String key = "pending-" + UUID.randomUUID();
		CompletableFuture<HttpResponse<String>> first = client.sendAsync(order("/orders", key, 1250),
				HttpResponse.BodyHandlers.ofString());
		assertThat(probe.entered.await(10, TimeUnit.SECONDS)).as("the first request is running").isTrue();

		HttpResponse<String> duplicate = send(order("/orders", key, 1250));

		assertThat(duplicate.statusCode()).isEqualTo(409);
		assertThat(duplicate.body()).contains("Request in progress");
		assertThat(first).isNotDone();
		probe.release.complete(null);
		HttpResponse<String> answered = first.get(10, TimeUnit.SECONDS);
		assertThat(answered.statusCode()).isEqualTo(201);
		assertThat(answered.headers().firstValue(IdempotentHandlerAdapter.REPLAYED_HEADER)).isEmpty();
		assertThat(answered.headers().firstValue("X-Order-Region")).hasValue("eu");
		HttpResponse<String> replayed = send(order("/orders", key, 1250));
		assertThat(replayed.statusCode()).isEqualTo(201);
		assertThat(replayed.headers().firstValue(IdempotentHandlerAdapter.REPLAYED_HEADER)).hasValue("true");
		assertThat(replayed.headers().firstValue("X-Order-Region")).hasValue("eu");
		assertThat(replayed.headers().firstValue("Set-Cookie")).isEmpty();
		assertThat(replayed.body()).isEqualTo(answered.body()).contains("orderId");
		assertThat(probe.executions("orders")).isEqualTo(1);
	}

	@Test
	void clientsRacingOnOneKeyRunTheHandlerOnce() throws Exception {
		String key = "race-" + UUID.randomUUID();
		CountDownLatch answered = new CountDownLatch(8);
		probe.raceAnswered = answered;
		ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
		List<HttpResponse<String>> responses = new ArrayList<>();
		try {
			CountDownLatch ready = new CountDownLatch(CLIENTS);
			CountDownLatch go = new CountDownLatch(1);
			List<Future<HttpResponse<String>>> futures = new ArrayList<>();
			for (int i = 0; i < CLIENTS; i++) {
				futures.add(pool.submit(() -> {
					ready.countDown();
					go.await();
					try {
						return send(order("/orders/race", key, 100));
					}
					finally {
						answered.countDown();
					}
				}));
			}
			assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
			go.countDown();
			for (Future<HttpResponse<String>> future : futures) {
				responses.add(future.get(30, TimeUnit.SECONDS));
			}
		}
		finally {
			pool.shutdownNow();
		}

		assertThat(probe.executions("race")).isEqualTo(1);
		assertThat(responses).allSatisfy((response) -> assertThat(response.statusCode()).isIn(201, 409));
		List<HttpResponse<String>> answers = responses.stream().filter((response) -> response.statusCode() == 201)
			.toList();
		assertThat(answers).filteredOn((response) -> response.headers()
			.firstValue(IdempotentHandlerAdapter.REPLAYED_HEADER)
			.isEmpty()).as("exactly one answer that is not a replay").hasSize(1);
		assertThat(answers).extracting(HttpResponse::body).containsOnly(answers.get(0).body());
		assertThat(responses).filteredOn((response) -> response.statusCode() == 409)
			.as("the handler held on until some duplicates were refused")
			.isNotEmpty();
	}

	@Test
	void asynchronousFailureFreesTheKey() throws Exception {
		String key = "failing-" + UUID.randomUUID();

		HttpResponse<String> failed = send(order("/orders/failing", key, 1));
		HttpResponse<String> retried = send(order("/orders/failing", key, 1));

		assertThat(failed.statusCode()).isEqualTo(502);
		assertThat(retried.statusCode()).isEqualTo(502);
		assertThat(probe.executions("failing")).isEqualTo(2);
	}

	@ParameterizedTest
	@ValueSource(strings = { "stalled-deferred", "stalled-task" })
	void requestThatTimesOutFreesTheKey(String handler) throws Exception {
		String key = handler + "-" + UUID.randomUUID();
		probe.unstalled = new CountDownLatch(1);
		try {
			HttpResponse<String> timedOut = send(order("/orders/" + handler, key, 1));
			HttpResponse<String> retried = send(order("/orders/" + handler, key, 1));

			assertThat(timedOut.statusCode()).isEqualTo(503);
			assertThat(retried.statusCode()).as("the retry ran, and timed out in turn").isEqualTo(503);
			assertThat(probe.executions(handler)).isEqualTo(2);
		}
		finally {
			probe.unstalled.countDown();
		}
	}

	@Test
	void fallbackAnswerOfATimedOutDeferredResultIsSentButNotStored() throws Exception {
		String key = "fallback-" + UUID.randomUUID();

		HttpResponse<String> fallback = send(order("/orders/stalled-fallback", key, 1));
		HttpResponse<String> retried = send(order("/orders/stalled-fallback", key, 1));

		assertThat(fallback.statusCode()).isEqualTo(202);
		assertThat(fallback.body()).isEqualTo("still working");
		assertThat(retried.statusCode()).isEqualTo(202);
		assertThat(retried.headers().firstValue(IdempotentHandlerAdapter.REPLAYED_HEADER)).isEmpty();
		assertThat(probe.executions("stalled-fallback")).isEqualTo(2);
	}

	private static HttpRequest order(String path, String key, long amountCents) {
		return HttpRequest.newBuilder(URI.create(base + path))
			.header(IdempotentHandlerAdapter.KEY_HEADER, key)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"amountCents\":" + amountCents + "}"))
			.build();
	}

	private static HttpResponse<String> send(HttpRequest request) throws Exception {
		return client.send(request, HttpResponse.BodyHandlers.ofString());
	}

	/** What the handlers did, and what holds their values back. */
	static final class Probe {

		final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();

		final CountDownLatch entered = new CountDownLatch(1);

		/** Completes the pending values of /orders. */
		final CompletableFuture<Void> release = new CompletableFuture<>();

		/** Counted down as racing clients get their answers; the racing handler waits for a few. */
		volatile CountDownLatch raceAnswered = new CountDownLatch(0);

		/** Lets the stalled task end once its request has timed out. */
		volatile CountDownLatch unstalled = new CountDownLatch(0);

		/** Completes the racing handler's value on another thread, as a real asynchronous call would. */
		final ExecutorService completer = Executors.newCachedThreadPool();

		void ran(String handler) {
			executions.computeIfAbsent(handler, (name) -> new AtomicInteger()).incrementAndGet();
		}

		int executions(String handler) {
			AtomicInteger count = executions.get(handler);
			return (count != null) ? count.get() : 0;
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(ServerOrderController.class)
	static class ServerApplication {

	}

	@RestController
	@RequestMapping("/orders")
	static class ServerOrderController {

		@PostMapping
		@ResponseStatus(HttpStatus.CREATED)
		@Idempotent("server-orders")
		public CompletableFuture<Map<String, Object>> place(@RequestBody Map<String, Object> order,
				jakarta.servlet.http.HttpServletResponse response) {
			probe.ran("orders");
			probe.entered.countDown();
			response.addHeader("X-Order-Region", "eu");
			response.addCookie(new jakarta.servlet.http.Cookie("session", "secret"));
			return probe.release.thenApply((ignored) -> Map.of("orderId", UUID.randomUUID().toString(),
					"amountCents", order.get("amountCents")));
		}

		@PostMapping("/race")
		@ResponseStatus(HttpStatus.CREATED)
		@Idempotent("server-race")
		public CompletableFuture<Map<String, Object>> race(@RequestBody Map<String, Object> order) {
			probe.ran("race");
			CountDownLatch answered = probe.raceAnswered;
			return CompletableFuture.supplyAsync(() -> {
				try {
					// Bounded: the race overlaps the run, and a broken test cannot hang.
					answered.await(5, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return Map.of("orderId", UUID.randomUUID().toString(), "amountCents", order.get("amountCents"));
			}, probe.completer);
		}

		@PostMapping("/failing")
		@Idempotent("server-failing")
		public CompletableFuture<String> failing() {
			probe.ran("failing");
			return CompletableFuture.supplyAsync(() -> {
				throw new IdempotentWebTests.PaymentFailedException();
			}, probe.completer);
		}

		@PostMapping("/stalled-deferred")
		@Idempotent("server-stalled-deferred")
		public DeferredResult<String> stalledDeferred() {
			probe.ran("stalled-deferred");
			return new DeferredResult<>(STALLED_TIMEOUT_MILLIS);
		}

		@PostMapping("/stalled-task")
		@Idempotent("server-stalled-task")
		public WebAsyncTask<String> stalledTask() {
			probe.ran("stalled-task");
			CountDownLatch unstalled = probe.unstalled;
			return new WebAsyncTask<>(STALLED_TIMEOUT_MILLIS, () -> {
				// Spring interrupts the task when the request times out; an InterruptedException
				// would race with its timeout answer, so wait on until the test lets go.
				while (true) {
					try {
						unstalled.await(10, TimeUnit.SECONDS);
						return "too late";
					}
					catch (InterruptedException ex) {
						// Keep stalling.
					}
				}
			});
		}

		@PostMapping("/stalled-fallback")
		@Idempotent("server-stalled-fallback")
		public DeferredResult<ResponseEntity<String>> stalledWithFallback() {
			probe.ran("stalled-fallback");
			return new DeferredResult<>(STALLED_TIMEOUT_MILLIS, ResponseEntity.accepted().body("still working"));
		}

	}

}

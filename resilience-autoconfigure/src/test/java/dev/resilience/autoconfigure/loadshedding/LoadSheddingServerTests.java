package dev.resilience.autoconfigure.loadshedding;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real server with a slow handler and more concurrent clients than the limit: the excess
 * is answered at once with 503, the admitted requests all succeed, and the actuator stays
 * reachable throughout.
 */
class LoadSheddingServerTests {

	private static final int LIMIT = 10;

	/** Normal requests may fill 90% of the limit. */
	private static final int NORMAL_SHARE = 9;

	private static final int CLIENTS = 20;

	private static final CountDownLatch arrived = new CountDownLatch(NORMAL_SHARE);

	private static final CountDownLatch release = new CountDownLatch(1);

	private static ConfigurableApplicationContext server;

	private static HttpClient client;

	private static String base;

	@BeforeAll
	static void start() {
		server = new SpringApplicationBuilder(ServerApplication.class)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
					"logging.level.root=warn", "resilience.load-shedding.enabled=true",
					"resilience.load-shedding.min-concurrent-requests=" + LIMIT,
					"resilience.load-shedding.initial-concurrent-requests=" + LIMIT,
					"resilience.load-shedding.max-concurrent-requests=" + LIMIT,
					"resilience.load-shedding.retry-after=2s",
					"management.endpoints.web.exposure.include=health,loadshedding")
			.run();
		base = "http://127.0.0.1:" + ((WebServerApplicationContext) server).getWebServer().getPort();
		client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
	}

	@AfterAll
	static void stop() {
		release.countDown();
		if (server != null) {
			server.close();
		}
	}

	@Test
	void shedsTheExcessAtOnceWhileAdmittedRequestsSucceed() throws Exception {
		List<CompletableFuture<HttpResponse<String>>> admitted = new ArrayList<>();
		for (int i = 0; i < NORMAL_SHARE; i++) {
			admitted.add(client.sendAsync(get("/slow"), HttpResponse.BodyHandlers.ofString()));
		}
		assertThat(arrived.await(10, TimeUnit.SECONDS)).as("the first requests are running").isTrue();
		long started = System.nanoTime();
		for (int i = NORMAL_SHARE; i < CLIENTS; i++) {
			HttpResponse<String> shed = client.send(get("/slow"), HttpResponse.BodyHandlers.ofString());
			assertThat(shed.statusCode()).isEqualTo(503);
			assertThat(shed.headers().firstValue("Retry-After")).hasValue("2");
			assertThat(shed.headers().firstValue("Resilience-Overloaded")).hasValue("true");
		}
		Duration shedding = Duration.ofNanos(System.nanoTime() - started);
		assertThat(shedding).as("shed requests are answered without waiting for a slot")
			.isLessThan(Duration.ofSeconds(5));
		HttpRequest critical = HttpRequest.newBuilder(URI.create(base + "/fast"))
			.header("Resilience-Priority", "critical")
			.build();
		assertThat(client.send(critical, HttpResponse.BodyHandlers.ofString()).statusCode())
			.as("the last slot is kept for critical requests")
			.isEqualTo(200);
		assertThat(client.send(get("/actuator/health"), HttpResponse.BodyHandlers.ofString()).statusCode())
			.as("health is exempt")
			.isEqualTo(200);
		String state = client.send(get("/actuator/loadshedding"), HttpResponse.BodyHandlers.ofString()).body();
		assertThat(state).contains("\"limit\":10", "\"inFlight\":9", "\"normal\":11");
		release.countDown();
		for (CompletableFuture<HttpResponse<String>> response : admitted) {
			HttpResponse<String> done = response.get(10, TimeUnit.SECONDS);
			assertThat(done.statusCode()).isEqualTo(200);
			assertThat(done.body()).isEqualTo("done");
		}
		LoadShedder shedder = server.getBean(LoadShedder.class);
		assertThat(shedder.admittedRequests()).isEqualTo(NORMAL_SHARE + 1);
		assertThat(shedder.shedRequests(RequestPriority.NORMAL)).isEqualTo(CLIENTS - NORMAL_SHARE);
		// A client may read its response before the server's filter has released its slot.
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (shedder.inFlight() != 0 && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		assertThat(shedder.inFlight()).isZero();
	}

	private static HttpRequest get(String path) {
		return HttpRequest.newBuilder(URI.create(base + path)).build();
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(SlowController.class)
	static class ServerApplication {

	}

	@RestController
	static class SlowController {

		@GetMapping("/slow")
		public String slow() throws InterruptedException {
			arrived.countDown();
			// Held until the test has seen the excess shed; bounded so a failing test cannot hang.
			release.await(20, TimeUnit.SECONDS);
			return "done";
		}

		@GetMapping("/fast")
		public String fast() {
			return "fast";
		}

	}

}

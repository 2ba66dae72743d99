package dev.resilience.autoconfigure.idempotency;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.resilience.annotation.Idempotent;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.aop.ResilienceAopAutoConfiguration;
import dev.resilience.autoconfigure.web.ResilienceWebMvcAutoConfiguration;
import dev.resilience.core.idempotency.IdempotencyOutcome;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * {@code @Idempotent} Spring MVC handlers keyed by the {@code Idempotency-Key} header:
 * replay, and the statuses of the refusals.
 */
class IdempotentWebTests {

	static final WebApplicationContextRunner WEB = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
				ResilienceAopAutoConfiguration.class, IdempotencyAutoConfiguration.class,
				ResilienceWebMvcAutoConfiguration.class, JacksonAutoConfiguration.class,
				HttpMessageConvertersAutoConfiguration.class, WebMvcAutoConfiguration.class));

	private final OrderProbe probe = new OrderProbe();

	private final WebApplicationContextRunner runner = WEB.withBean(OrderProbe.class, () -> probe)
		.withUserConfiguration(OrderController.class);

	@Test
	void replaysStatusBodyAndContentTypeMarkedAsReplayed() {
		runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			MockHttpServletResponse first = perform(mvc, order("k-1", 1250));

			MockHttpServletResponse second = perform(mvc, order("k-1", 1250));

			assertThat(first.getStatus()).isEqualTo(201);
			assertThat(first.getHeader(IdempotentHandlerAdapter.REPLAYED_HEADER)).isNull();
			assertThat(first.getCookie("session")).isNotNull();
			assertThat(second.getStatus()).isEqualTo(201);
			assertThat(second.getContentAsString()).isEqualTo(first.getContentAsString()).contains("orderId");
			assertThat(second.getContentType()).isEqualTo(first.getContentType()).startsWith("application/json");
			assertThat(second.getHeader(IdempotentHandlerAdapter.REPLAYED_HEADER)).isEqualTo("true");
			assertThat(second.getHeaders("X-Order-Region")).containsExactly("eu", "us");
			assertThat(second.getCookies()).isEmpty();
			assertThat(second.getHeader("Set-Cookie")).isNull();
			assertThat(second.getHeader("Authorization")).isNull();
			assertThat(second.getHeader("WWW-Authenticate")).isNull();
			assertThat(probe.executions).hasValue(1);
		});
	}

	@Test
	void requestWithoutKeyIsRefusedWith400AndDoesNotRun() {
		runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();

			MockHttpServletResponse response = perform(mvc,
					post("/orders").contentType(MediaType.APPLICATION_JSON).content("{\"amountCents\":1}"));

			assertThat(response.getStatus()).isEqualTo(400);
			assertThat(response.getContentType()).startsWith("application/problem+json");
			assertThat(response.getContentAsString()).contains("Idempotency key missing");
			assertThat(probe.executions).hasValue(0);
		});
	}

	@Test
	void keyLongerThanAllowedIsRefusedWith400() {
		runner.withPropertyValues("resilience.idempotency.max-key-length=8").run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();

			MockHttpServletResponse response = perform(mvc, order("123456789", 1));

			assertThat(response.getStatus()).isEqualTo(400);
			assertThat(response.getContentAsString()).contains("more than the maximum of 8");
			assertThat(probe.executions).hasValue(0);
			assertThat(perform(mvc, order("12345678", 1)).getStatus()).isEqualTo(201);
		});
	}

	@Test
	void reusedKeyWithAnotherBodyIsRefusedWith422() {
		runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			perform(mvc, order("k-2", 1250));

			MockHttpServletResponse response = perform(mvc, order("k-2", 9999));

			assertThat(response.getStatus()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT.value());
			assertThat(response.getContentAsString()).contains("k-2");
			assertThat(probe.executions).hasValue(1);
		});
	}

	@Test
	void keyInFlightIsRefusedWith409() throws Exception {
		runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			probe.hold = new CountDownLatch(1);
			ExecutorService pool = Executors.newSingleThreadExecutor();
			try {
				Future<MockHttpServletResponse> first = pool.submit(() -> perform(mvc, order("k-3", 1)));
				assertThat(probe.entered.await(5, TimeUnit.SECONDS)).isTrue();

				MockHttpServletResponse duplicate = perform(mvc, order("k-3", 1));

				assertThat(duplicate.getStatus()).isEqualTo(409);
				probe.hold.countDown();
				assertThat(first.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(201);
				assertThat(perform(mvc, order("k-3", 1)).getHeader(IdempotentHandlerAdapter.REPLAYED_HEADER))
					.isEqualTo("true");
				assertThat(probe.executions).hasValue(1);
			}
			finally {
				probe.hold.countDown();
				pool.shutdownNow();
			}
		});
	}

	@Test
	void handlerThatFailsReleasesTheKey() {
		runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			probe.failuresLeft.set(1);

			assertThat(perform(mvc, order("k-4", 1)).getStatus()).isEqualTo(502);
			MockHttpServletResponse retried = perform(mvc, order("k-4", 1));

			assertThat(retried.getStatus()).isEqualTo(201);
			assertThat(retried.getHeader(IdempotentHandlerAdapter.REPLAYED_HEADER)).isNull();
			assertThat(probe.executions).hasValue(2);
		});
	}

	@Test
	void handlersWithoutIdempotentAreLeftAlone() {
		runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();

			MockHttpServletResponse response = perform(mvc,
					post("/orders/quote").contentType(MediaType.APPLICATION_JSON).content("{\"amountCents\":1}"));

			assertThat(response.getStatus()).isEqualTo(200);
			assertThat(context.getBean(IdempotencyRegistry.class).outcomes("orders"))
				.containsEntry(IdempotencyOutcome.EXECUTED, 0L);
		});
	}

	@Test
	void formPostsAreFingerprintedByTheirParameters() {
		runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			MockHttpServletResponse first = perform(mvc, form("f-1", "1250"));

			MockHttpServletResponse duplicate = perform(mvc, form("f-1", "1250"));
			MockHttpServletResponse reused = perform(mvc, form("f-1", "9900"));

			assertThat(first.getStatus()).isEqualTo(200);
			assertThat(first.getContentAsString()).contains("1250");
			assertThat(duplicate.getHeader(IdempotentHandlerAdapter.REPLAYED_HEADER)).isEqualTo("true");
			assertThat(duplicate.getContentAsString()).isEqualTo(first.getContentAsString());
			assertThat(reused.getStatus()).isEqualTo(422);
			assertThat(probe.executions).hasValue(1);
		});
	}

	@Test
	void idempotentHandlersAreResolvedAtStartUp() {
		runner.run((context) -> assertThat(context.getBean(IdempotencyRegistry.class).find("orders")).isPresent());
	}

	@Test
	void idempotentHandlerThatRendersAViewStopsStartUp() {
		WEB.withUserConfiguration(ViewController.class).run((context) -> assertThat(context).hasFailed()
			.getFailure()
			.hasMessageContaining("ViewController.confirm()")
			.hasMessageContaining("renders a view"));
	}

	static MockHttpServletRequestBuilder order(String key, long amountCents) {
		return post("/orders").header(IdempotentHandlerAdapter.KEY_HEADER, key)
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"amountCents\":" + amountCents + "}");
	}

	private static MockHttpServletRequestBuilder form(String key, String amountCents) {
		return post("/orders/form").header(IdempotentHandlerAdapter.KEY_HEADER, key)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.content("amountCents=" + amountCents);
	}

	static MockHttpServletResponse perform(MockMvc mvc, MockHttpServletRequestBuilder request) throws Exception {
		return mvc.perform(request).andReturn().getResponse();
	}

	/** What the controller did, kept outside it: it is seen through its proxy. */
	static final class OrderProbe {

		final java.util.concurrent.atomic.AtomicInteger executions = new java.util.concurrent.atomic.AtomicInteger();

		final java.util.concurrent.atomic.AtomicInteger failuresLeft = new java.util.concurrent.atomic.AtomicInteger();

		final CountDownLatch entered = new CountDownLatch(1);

		volatile CountDownLatch hold;

	}

	@Controller
	static class ViewController {

		@PostMapping("/confirm")
		@Idempotent
		public String confirm() {
			return "confirmed";
		}

	}

	@ResponseStatus(HttpStatus.BAD_GATEWAY)
	static final class PaymentFailedException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		PaymentFailedException() {
			super("payment failed");
		}

	}

	@RestController
	@RequestMapping("/orders")
	static class OrderController {

		private final OrderProbe probe;

		OrderController(OrderProbe probe) {
			this.probe = probe;
		}

		@PostMapping
		@ResponseStatus(HttpStatus.CREATED)
		@Idempotent("orders")
		public Map<String, Object> place(@RequestBody Map<String, Object> order, HttpServletResponse response)
				throws InterruptedException {
			probe.executions.incrementAndGet();
			CountDownLatch hold = probe.hold;
			if (hold != null) {
				probe.entered.countDown();
				hold.await(10, TimeUnit.SECONDS);
			}
			if (probe.failuresLeft.getAndDecrement() > 0) {
				throw new PaymentFailedException();
			}
			response.addHeader("X-Order-Region", "eu");
			response.addHeader("X-Order-Region", "us");
			response.addCookie(new Cookie("session", "secret"));
			response.setHeader("Authorization", "Bearer secret");
			response.setHeader("WWW-Authenticate", "Basic");
			return Map.of("orderId", UUID.randomUUID().toString(), "amountCents", order.get("amountCents"));
		}

		@PostMapping("/form")
		@Idempotent("forms")
		public Map<String, Object> placeForm(@RequestParam long amountCents) {
			probe.executions.incrementAndGet();
			return Map.of("orderId", UUID.randomUUID().toString(), "amountCents", amountCents);
		}

		@PostMapping("/quote")
		public Map<String, Object> quote(@RequestBody Map<String, Object> order) {
			return Map.of("amountCents", order.get("amountCents"));
		}

	}

}

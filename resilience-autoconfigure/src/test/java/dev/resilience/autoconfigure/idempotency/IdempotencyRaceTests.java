package dev.resilience.autoconfigure.idempotency;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.resilience.annotation.Idempotent;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.aop.ResilienceAopAutoConfiguration;
import dev.resilience.core.idempotency.IdempotencyConflictException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Many callers, one key, on every store (the shared ones on the real PostgreSQL and
 * Redis): through the annotated bean, over HTTP, and from two application instances
 * sharing a store. The invariants: the method runs exactly once, and every caller gets
 * its result or a conflict, nothing else.
 */
class IdempotencyRaceTests {

	private static final int CALLERS = 64;

	private final Probe probe = new Probe();

	private final ApplicationContextRunner beans = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
				ResilienceAopAutoConfiguration.class, IdempotencyAutoConfiguration.class,
				JacksonAutoConfiguration.class))
		.withBean(Probe.class, () -> probe)
		.withBean(Payments.class);

	private final WebApplicationContextRunner web = IdempotentWebTests.WEB.withBean(Probe.class, () -> probe)
		.withUserConfiguration(PaymentController.class);

	@ParameterizedTest
	@EnumSource(TestStore.class)
	void callersOfTheBeanRacingOnOneKeyRunItOnce(TestStore store) {
		store.assume();
		String key = "race-" + UUID.randomUUID();
		store.configure(beans).run((context) -> {
			Payments payments = context.getBean(Payments.class);

			List<Object> outcomes = race(CALLERS, (caller) -> payments.pay(key));

			assertRanOnce(outcomes);
		});
	}

	@ParameterizedTest
	@EnumSource(TestStore.class)
	void requestsRacingOnOneKeyOverHttpRunItOnce(TestStore store) {
		store.assume();
		String key = "race-" + UUID.randomUUID();
		store.configure(web).run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();

			List<Object> outcomes = race(CALLERS, (caller) -> pay(mvc, key));

			assertThat(outcomes).allSatisfy((outcome) -> assertThat(outcome).isInstanceOf(String.class));
			assertThat(outcomes).filteredOn((outcome) -> !"409".equals(outcome))
				.isNotEmpty()
				.allMatch(outcomes.stream().filter((o) -> !"409".equals(o)).findFirst().get()::equals);
			assertThat(probe.executions).hasValue(1);
		});
	}

	@ParameterizedTest
	@EnumSource(value = TestStore.class, names = { "POSTGRES", "REDIS" })
	void twoInstancesSharingTheStoreRunOneKeyOnce(TestStore store) {
		store.assume();
		String key = "race-" + UUID.randomUUID();
		store.configure(beans).run((first) -> store.configure(beans).run((second) -> {
			Payments[] instances = { first.getBean(Payments.class), second.getBean(Payments.class) };
			assertThat(instances[0]).isNotSameAs(instances[1]);

			List<Object> outcomes = race(CALLERS, (caller) -> instances[caller % 2].pay(key));

			assertRanOnce(outcomes);
		}));
	}

	/**
	 * Starts the callers together; the one that runs holds on until a few others have
	 * been answered, so that the race overlaps the run, then lets the rest through.
	 */
	private List<Object> race(int callers, CallerTask task) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(callers);
		try {
			CountDownLatch ready = new CountDownLatch(callers);
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Object>> futures = new ArrayList<>();
			for (int i = 0; i < callers; i++) {
				int caller = i;
				futures.add(pool.submit((Callable<Object>) () -> {
					ready.countDown();
					start.await();
					try {
						return task.call(caller);
					}
					catch (IdempotencyConflictException ex) {
						return ex;
					}
					finally {
						probe.answered.countDown();
					}
				}));
			}
			assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
			start.countDown();
			List<Object> outcomes = new ArrayList<>();
			for (Future<Object> future : futures) {
				outcomes.add(future.get(30, TimeUnit.SECONDS));
			}
			return outcomes;
		}
		finally {
			pool.shutdownNow();
		}
	}

	private void assertRanOnce(List<Object> outcomes) {
		assertThat(probe.executions).hasValue(1);
		List<Object> results = outcomes.stream().filter((o) -> !(o instanceof IdempotencyConflictException)).toList();
		assertThat(results).isNotEmpty().allMatch(results.get(0)::equals);
		assertThat(results.get(0)).isInstanceOf(String.class);
	}

	private static String pay(MockMvc mvc, String key) throws Exception {
		MockHttpServletResponse response = mvc
			.perform(post("/payments").header(IdempotentHandlerAdapter.KEY_HEADER, key)
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"amountCents\":100}"))
			.andReturn()
			.getResponse();
		if (response.getStatus() == HttpStatus.CONFLICT.value()) {
			return "409";
		}
		assertThat(response.getStatus()).isEqualTo(201);
		return response.getContentAsString();
	}

	@FunctionalInterface
	private interface CallerTask {

		Object call(int caller) throws Exception;

	}

	/** What the beans did, shared by every application instance of a test. */
	static final class Probe {

		final AtomicInteger executions = new AtomicInteger();

		/** Callers answered so far; the running call waits for a few. */
		final CountDownLatch answered = new CountDownLatch(8);

		String run() throws InterruptedException {
			executions.incrementAndGet();
			answered.await(5, TimeUnit.SECONDS);
			return UUID.randomUUID().toString();
		}

	}

	public static class Payments {

		private final Probe probe;

		Payments(Probe probe) {
			this.probe = probe;
		}

		@Idempotent(value = "payments", key = "#key")
		public String pay(String key) throws InterruptedException {
			return probe.run();
		}

	}

	@RestController
	static class PaymentController {

		private final Probe probe;

		PaymentController(Probe probe) {
			this.probe = probe;
		}

		@PostMapping("/payments")
		@org.springframework.web.bind.annotation.ResponseStatus(HttpStatus.CREATED)
		@Idempotent("payments")
		public Map<String, Object> pay(@RequestBody Map<String, Object> payment) throws InterruptedException {
			return Map.of("paymentId", probe.run(), "amountCents", payment.get("amountCents"));
		}

	}

}

package dev.resilience.autoconfigure.idempotency;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.resilience.annotation.Idempotent;
import dev.resilience.core.idempotency.IdempotencyOutcome;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockAsyncContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.WebAsyncTask;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * {@code @Idempotent} Spring MVC handlers that answer asynchronously, for each supported
 * type, through MockMvc's async dispatch: the key is claimed when the request arrives and
 * settled when the asynchronous value is written, stored on success and released on a
 * failure, a timeout, an error or a request that ends first.
 */
class IdempotentAsyncWebTests {

	private final AsyncProbe probe = new AsyncProbe();

	private final WebApplicationContextRunner runner = IdempotentWebTests.WEB.withBean(AsyncProbe.class, () -> probe)
		.withUserConfiguration(AsyncOrderController.class);

	@AfterEach
	void releaseHeldAnswers() {
		probe.completeAll();
	}

	@ParameterizedTest
	@EnumSource(AsyncType.class)
	void firstCallRunsAndIsStoredThenADuplicateIsReplayedWithoutRunning(AsyncType type) {
		runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			MvcResult started = mvc.perform(order(type, "a-1", 1250)).andReturn();
			assertThat(started.getRequest().isAsyncStarted()).as("the handler answers asynchronously").isTrue();
			MockHttpServletResponse first = dispatch(mvc, started);

			MvcResult duplicate = mvc.perform(order(type, "a-1", 1250)).andReturn();

			assertThat(first.getStatus()).isEqualTo(201);
			assertThat(first.getHeader(IdempotentHandlerAdapter.REPLAYED_HEADER)).isNull();
			assertThat(first.getContentAsString()).contains("orderId", "1250");
			assertThat(duplicate.getRequest().isAsyncStarted()).as("a replay is answered at once").isFalse();
			MockHttpServletResponse second = duplicate.getResponse();
			assertThat(second.getStatus()).isEqualTo(201);
			assertThat(second.getHeader(IdempotentHandlerAdapter.REPLAYED_HEADER)).isEqualTo("true");
			assertThat(second.getContentAsString()).isEqualTo(first.getContentAsString());
			assertThat(second.getContentType()).isEqualTo(first.getContentType()).startsWith("application/json");
			assertThat(second.getHeaders("X-Order-Region")).containsExactly("eu", "us");
			assertThat(second.getHeader("Set-Cookie")).isNull();
			assertThat(second.getHeader("Authorization")).isNull();
			assertThat(probe.executions).hasValue(1);
			assertThat(context.getBean(IdempotencyRegistry.class).outcomes(type.instance))
				.containsEntry(IdempotencyOutcome.EXECUTED, 1L)
				.containsEntry(IdempotencyOutcome.REPLAYED, 1L);
		});
	}

	@ParameterizedTest
	@EnumSource(AsyncType.class)
	void duplicateWhileTheAsynchronousValueIsPendingGets409(AsyncType type) {
		runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			probe.hold = true;
			MvcResult started = mvc.perform(order(type, "a-2", 1)).andReturn();

			MockHttpServletResponse duplicate = mvc.perform(order(type, "a-2", 1)).andReturn().getResponse();

			assertThat(duplicate.getStatus()).isEqualTo(409);
			assertThat(duplicate.getContentAsString()).contains("Request in progress");
			probe.completeNext();
			assertThat(dispatch(mvc, started).getStatus()).isEqualTo(201);
			assertThat(mvc.perform(order(type, "a-2", 1)).andReturn().getResponse()
				.getHeader(IdempotentHandlerAdapter.REPLAYED_HEADER)).isEqualTo("true");
			assertThat(probe.executions).hasValue(1);
		});
	}

	@ParameterizedTest
	@EnumSource(AsyncType.class)
	void asynchronousFailureReleasesTheKeySoTheRetryRunsAgain(AsyncType type) {
		runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			probe.failuresLeft.set(1);

			MockHttpServletResponse failed = perform(mvc, order(type, "a-3", 1));
			MockHttpServletResponse retried = perform(mvc, order(type, "a-3", 1));

			assertThat(failed.getStatus()).isEqualTo(502);
			assertThat(retried.getStatus()).isEqualTo(201);
			assertThat(retried.getHeader(IdempotentHandlerAdapter.REPLAYED_HEADER)).isNull();
			assertThat(probe.executions).hasValue(2);
			assertThat(perform(mvc, order(type, "a-3", 1)).getContentAsString())
				.isEqualTo(retried.getContentAsString());
		});
	}

	@ParameterizedTest
	@EnumSource(AsyncType.class)
	void sameKeyWithAnotherBodyIsRefusedWith422(AsyncType type) {
		runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			probe.hold = true;
			MvcResult started = mvc.perform(order(type, "a-4", 1250)).andReturn();

			MockHttpServletResponse whileRunning = perform(mvc, order(type, "a-4", 9999));
			probe.completeNext();
			dispatch(mvc, started);
			MockHttpServletResponse afterwards = perform(mvc, order(type, "a-4", 9999));

			assertThat(whileRunning.getStatus()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT.value());
			assertThat(afterwards.getStatus()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT.value());
			assertThat(afterwards.getContentAsString()).contains("a-4");
			assertThat(probe.executions).hasValue(1);
		});
	}

	@ParameterizedTest
	@EnumSource(AsyncType.class)
	void timeoutReleasesTheKey(AsyncType type) {
		runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			probe.hold = true;
			MvcResult started = mvc.perform(order(type, "a-5", 1)).andReturn();

			notify(started, (listener, event) -> listener.onTimeout(event));
			MockHttpServletResponse timedOut = mvc.perform(asyncDispatchOf(started)).andReturn().getResponse();
			probe.hold = false;
			MockHttpServletResponse retried = perform(mvc, order(type, "a-5", 1));

			assertThat(timedOut.getStatus()).isEqualTo(503);
			assertThat(retried.getStatus()).isEqualTo(201);
			assertThat(retried.getHeader(IdempotentHandlerAdapter.REPLAYED_HEADER)).isNull();
			assertThat(probe.executions).hasValue(2);
		});
	}

	@ParameterizedTest
	@EnumSource(AsyncType.class)
	void clientThatGoesAwayReleasesTheKey(AsyncType type) {
		runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			probe.hold = true;
			MvcResult started = mvc.perform(order(type, "a-6", 1)).andReturn();

			notify(started, (listener, event) -> listener.onError(
					new AsyncEvent(event.getAsyncContext(), new IOException("Connection reset by peer"))));
			mvc.perform(asyncDispatchOf(started));
			probe.hold = false;
			MockHttpServletResponse retried = perform(mvc, order(type, "a-6", 1));

			assertThat(retried.getStatus()).isEqualTo(201);
			assertThat(retried.getHeader(IdempotentHandlerAdapter.REPLAYED_HEADER)).isNull();
			assertThat(probe.executions).hasValue(2);
		});
	}

	@Test
	void requestThatEndsBeforeItsValueIsWrittenReleasesTheKey() {
		runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			probe.hold = true;
			MvcResult started = mvc.perform(order(AsyncType.FUTURE, "a-7", 1)).andReturn();

			// The container completes the request without an async dispatch.
			notify(started, (listener, event) -> listener.onComplete(event));
			probe.completeNext();
			probe.hold = false;
			MockHttpServletResponse retried = perform(mvc, order(AsyncType.FUTURE, "a-7", 1));

			assertThat(retried.getStatus()).isEqualTo(201);
			assertThat(retried.getHeader(IdempotentHandlerAdapter.REPLAYED_HEADER)).isNull();
			assertThat(probe.executions).hasValue(2);
		});
	}

	@Test
	void answerOfADeferredResultThatTimedOutIsSentButNotStored() {
		runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			MvcResult started = mvc.perform(post("/async/deferred-fallback").header(IdempotentHandlerAdapter.KEY_HEADER,
					"a-8")).andReturn();

			notify(started, (listener, event) -> listener.onTimeout(event));
			MockHttpServletResponse fallback = mvc.perform(asyncDispatchOf(started)).andReturn().getResponse();
			MvcResult retried = mvc.perform(post("/async/deferred-fallback")
				.header(IdempotentHandlerAdapter.KEY_HEADER, "a-8")).andReturn();

			assertThat(fallback.getStatus()).isEqualTo(202);
			assertThat(fallback.getContentAsString()).isEqualTo("still working");
			assertThat(retried.getRequest().isAsyncStarted()).as("the retry runs the handler again").isTrue();
			assertThat(probe.executions).hasValue(2);
		});
	}

	@Test
	void duplicateWaitsForTheFirstWithinTheConfiguredWaitAndGetsItsAnswer() throws Exception {
		ExecutorService pool = Executors.newSingleThreadExecutor();
		try {
			runner.withPropertyValues("resilience.idempotency.wait=10s").run((context) -> {
				MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
				probe.hold = true;
				MvcResult started = mvc.perform(order(AsyncType.FUTURE, "a-9", 1)).andReturn();

				Future<MockHttpServletResponse> duplicate = pool.submit(() -> mvc
					.perform(order(AsyncType.FUTURE, "a-9", 1)).andReturn().getResponse());
				probe.completeNext();
				MockHttpServletResponse first = dispatch(mvc, started);

				MockHttpServletResponse waited = duplicate.get(10, TimeUnit.SECONDS);
				assertThat(waited.getStatus()).isEqualTo(201);
				assertThat(waited.getHeader(IdempotentHandlerAdapter.REPLAYED_HEADER)).isEqualTo("true");
				assertThat(waited.getContentAsString()).isEqualTo(first.getContentAsString());
				assertThat(probe.executions).hasValue(1);
			});
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void duplicateThatWaitsRunsTheHandlerOnItsOwnRequestWhenTheFirstFails() throws Exception {
		ExecutorService pool = Executors.newSingleThreadExecutor();
		try {
			runner.withPropertyValues("resilience.idempotency.wait=10s").run((context) -> {
				MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
				probe.hold = true;
				probe.failuresLeft.set(1);
				MvcResult started = mvc.perform(order(AsyncType.FUTURE, "a-10", 1)).andReturn();
				Future<MvcResult> duplicate = pool
					.submit(() -> mvc.perform(order(AsyncType.FUTURE, "a-10", 1)).andReturn());

				probe.completeNext();
				assertThat(dispatch(mvc, started).getStatus()).isEqualTo(502);
				MvcResult waited = duplicate.get(10, TimeUnit.SECONDS);
				assertThat(waited.getRequest().isAsyncStarted()).as("the duplicate took the freed key").isTrue();
				probe.completeNext();

				assertThat(dispatch(mvc, waited).getStatus()).isEqualTo(201);
				assertThat(probe.executions).hasValue(2);
			});
		}
		finally {
			pool.shutdownNow();
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestStore.class, names = { "POSTGRES", "REDIS" })
	void onASharedStoreTheKeyIsHeldWhileTheValueIsPendingThenStoredOrReleased(TestStore store) {
		store.assume();
		String key = "shared-" + UUID.randomUUID();
		String failing = "shared-failing-" + UUID.randomUUID();
		store.configure(runner).run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			probe.hold = true;
			MvcResult started = mvc.perform(order(AsyncType.MONO, key, 1250)).andReturn();

			MockHttpServletResponse whilePending = perform(mvc, order(AsyncType.MONO, key, 1250));
			probe.completeNext();
			MockHttpServletResponse first = dispatch(mvc, started);
			MockHttpServletResponse replayed = perform(mvc, order(AsyncType.MONO, key, 1250));

			assertThat(whilePending.getStatus()).isEqualTo(409);
			assertThat(first.getStatus()).isEqualTo(201);
			assertThat(replayed.getHeader(IdempotentHandlerAdapter.REPLAYED_HEADER)).isEqualTo("true");
			assertThat(replayed.getContentAsString()).isEqualTo(first.getContentAsString());
			assertThat(replayed.getHeaders("X-Order-Region")).containsExactly("eu", "us");

			probe.hold = false;
			probe.failuresLeft.set(1);
			MockHttpServletResponse failed = perform(mvc, order(AsyncType.MONO, failing, 1));
			MockHttpServletResponse retried = perform(mvc, order(AsyncType.MONO, failing, 1));

			assertThat(failed.getStatus()).isEqualTo(502);
			assertThat(retried.getStatus()).isEqualTo(201);
			assertThat(retried.getHeader(IdempotentHandlerAdapter.REPLAYED_HEADER)).isNull();
			assertThat(probe.executions).hasValue(3);
		});
	}

	@Test
	void requestWithoutKeyIsRefusedWith400AndDoesNotRun() {
		runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();

			MvcResult result = mvc.perform(post("/async/future").contentType(MediaType.APPLICATION_JSON)
				.content("{\"amountCents\":1}")).andReturn();

			assertThat(result.getRequest().isAsyncStarted()).isFalse();
			assertThat(result.getResponse().getStatus()).isEqualTo(400);
			assertThat(result.getResponse().getContentAsString()).contains("Idempotency key missing");
			assertThat(probe.executions).hasValue(0);
		});
	}

	@Test
	void handlerThatThrowsBeforeAnsweringReleasesTheKey() {
		runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();

			MockHttpServletResponse unreadable = perform(mvc, post("/async/future")
				.header(IdempotentHandlerAdapter.KEY_HEADER, "a-11")
				.contentType(MediaType.APPLICATION_JSON)
				.content("{not json"));
			MockHttpServletResponse retried = perform(mvc, order(AsyncType.FUTURE, "a-11", 1));

			assertThat(unreadable.getStatus()).isEqualTo(400);
			assertThat(retried.getStatus()).isEqualTo(201);
			assertThat(probe.executions).hasValue(1);
		});
	}

	@Test
	void handlerThatReturnsNoAsynchronousValueFailsAndReleasesTheKey() {
		runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			RequestBuilder request = post("/async/null").header(IdempotentHandlerAdapter.KEY_HEADER, "a-12");

			for (int attempt = 1; attempt <= 2; attempt++) {
				assertThatThrownBy(() -> mvc.perform(request)).rootCause()
					.isInstanceOf(IllegalStateException.class)
					.hasMessageContaining("AsyncOrderController.nothing() returned no asynchronous value");
			}
			// Run twice: the first attempt released the key instead of storing an empty answer.
			assertThat(probe.executions).hasValue(2);
		});
	}

	static MockHttpServletRequestBuilder order(AsyncType type, String key, long amountCents) {
		return post(type.path).header(IdempotentHandlerAdapter.KEY_HEADER, key)
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"amountCents\":" + amountCents + "}");
	}

	/** Performs a request and, when it went asynchronous, its async dispatch. */
	static MockHttpServletResponse perform(MockMvc mvc, RequestBuilder request) throws Exception {
		MvcResult result = mvc.perform(request).andReturn();
		return result.getRequest().isAsyncStarted() ? dispatch(mvc, result) : result.getResponse();
	}

	/** Waits for the asynchronous value, then performs the async dispatch that writes it. */
	static MockHttpServletResponse dispatch(MockMvc mvc, MvcResult started) throws Exception {
		started.getAsyncResult(10_000);
		return mvc.perform(asyncDispatchOf(started)).andReturn().getResponse();
	}

	/**
	 * The async dispatch, as MockMvc's own asyncDispatch builds it, without first asking
	 * for the asynchronous value: after a timeout or an error there may be none.
	 */
	static RequestBuilder asyncDispatchOf(MvcResult started) {
		return (servletContext) -> {
			MockHttpServletRequest request = started.getRequest();
			request.setDispatcherType(jakarta.servlet.DispatcherType.ASYNC);
			request.setAsyncStarted(false);
			return request;
		};
	}

	/** Plays the container: tells the request's async listeners of an event. */
	static void notify(MvcResult started, AsyncEventSender sender) throws IOException {
		MockAsyncContext asyncContext = (MockAsyncContext) started.getRequest().getAsyncContext();
		assertThat(asyncContext).isNotNull();
		AsyncEvent event = new AsyncEvent(asyncContext, started.getRequest(), started.getResponse());
		for (AsyncListener listener : new ArrayList<>(asyncContext.getListeners())) {
			sender.send(listener, event);
		}
	}

	@FunctionalInterface
	interface AsyncEventSender {

		void send(AsyncListener listener, AsyncEvent event) throws IOException;

	}

	/** The supported asynchronous return types, one handler each. */
	enum AsyncType {

		FUTURE("/async/future", "async-future"), CALLABLE("/async/callable", "async-callable"),
		DEFERRED_RESULT("/async/deferred", "async-deferred"), WEB_ASYNC_TASK("/async/task", "async-task"),
		MONO("/async/mono", "async-mono");

		final String path;

		final String instance;

		AsyncType(String path, String instance) {
			this.path = path;
			this.instance = instance;
		}

	}

	/**
	 * What the handlers did, and their asynchronous values: answered at once, or held
	 * until the test completes them.
	 */
	static final class AsyncProbe {

		final AtomicInteger executions = new AtomicInteger();

		final AtomicInteger failuresLeft = new AtomicInteger();

		final BlockingQueue<Runnable> held = new LinkedBlockingQueue<>();

		volatile boolean hold;

		CompletableFuture<Map<String, Object>> place(Map<String, Object> order, HttpServletResponse response) {
			executions.incrementAndGet();
			response.addHeader("X-Order-Region", "eu");
			response.addHeader("X-Order-Region", "us");
			response.addCookie(new Cookie("session", "secret"));
			response.setHeader("Authorization", "Bearer secret");
			boolean fail = failuresLeft.getAndDecrement() > 0;
			CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
			Runnable complete = () -> {
				if (fail) {
					answer.completeExceptionally(new IdempotentWebTests.PaymentFailedException());
				}
				else {
					answer.complete(Map.of("orderId", UUID.randomUUID().toString(), "amountCents",
							order.get("amountCents")));
				}
			};
			if (hold) {
				held.add(complete);
			}
			else {
				complete.run();
			}
			return answer;
		}

		void completeNext() throws InterruptedException {
			Runnable next = held.poll(10, TimeUnit.SECONDS);
			assertThat(next).as("a held answer").isNotNull();
			next.run();
		}

		void completeAll() {
			List<Runnable> rest = new ArrayList<>();
			held.drainTo(rest);
			rest.forEach(Runnable::run);
		}

		/**
		 * Waits for a held answer in a Callable. Spring interrupts a Callable whose request
		 * timed out; an InterruptedException would race with its timeout answer, so the
		 * wait goes on until the answer is completed (at the latest after the test).
		 */
		static <T> T await(CompletableFuture<T> answer) throws Exception {
			boolean interrupted = false;
			try {
				while (true) {
					try {
						return answer.get(10, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						interrupted = true;
					}
					catch (ExecutionException ex) {
						throw (ex.getCause() instanceof Exception cause) ? cause : ex;
					}
				}
			}
			finally {
				if (interrupted) {
					Thread.currentThread().interrupt();
				}
			}
		}

	}

	@RestController
	@RequestMapping("/async")
	static class AsyncOrderController {

		private final AsyncProbe probe;

		AsyncOrderController(AsyncProbe probe) {
			this.probe = probe;
		}

		@PostMapping("/future")
		@ResponseStatus(HttpStatus.CREATED)
		@Idempotent("async-future")
		public CompletableFuture<Map<String, Object>> future(@RequestBody Map<String, Object> order,
				HttpServletResponse response) {
			return probe.place(order, response);
		}

		@PostMapping("/callable")
		@ResponseStatus(HttpStatus.CREATED)
		@Idempotent("async-callable")
		public Callable<Map<String, Object>> callable(@RequestBody Map<String, Object> order,
				HttpServletResponse response) {
			CompletableFuture<Map<String, Object>> answer = probe.place(order, response);
			return () -> AsyncProbe.await(answer);
		}

		@PostMapping("/deferred")
		@ResponseStatus(HttpStatus.CREATED)
		@Idempotent("async-deferred")
		public DeferredResult<Map<String, Object>> deferred(@RequestBody Map<String, Object> order,
				HttpServletResponse response) {
			DeferredResult<Map<String, Object>> result = new DeferredResult<>();
			probe.place(order, response).whenComplete((value, error) -> {
				if (error != null) {
					result.setErrorResult((error instanceof CompletionException) ? error.getCause() : error);
				}
				else {
					result.setResult(value);
				}
			});
			return result;
		}

		@PostMapping("/task")
		@ResponseStatus(HttpStatus.CREATED)
		@Idempotent("async-task")
		public WebAsyncTask<Map<String, Object>> task(@RequestBody Map<String, Object> order,
				HttpServletResponse response) {
			CompletableFuture<Map<String, Object>> answer = probe.place(order, response);
			return new WebAsyncTask<>(30_000L, () -> AsyncProbe.await(answer));
		}

		@PostMapping("/mono")
		@ResponseStatus(HttpStatus.CREATED)
		@Idempotent("async-mono")
		public Mono<Map<String, Object>> mono(@RequestBody Map<String, Object> order, HttpServletResponse response) {
			return Mono.fromFuture(probe.place(order, response));
		}

		@PostMapping("/deferred-fallback")
		@Idempotent("async-fallback")
		public DeferredResult<ResponseEntity<String>> deferredWithFallback() {
			probe.executions.incrementAndGet();
			return new DeferredResult<>(30_000L, ResponseEntity.accepted().body("still working"));
		}

		@PostMapping("/null")
		@Idempotent("async-null")
		public CompletableFuture<String> nothing() {
			probe.executions.incrementAndGet();
			return null;
		}

	}

}

package dev.resilience.autoconfigure.idempotency;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.stream.Stream;

import dev.resilience.annotation.Idempotent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.WebAsyncTask;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Which return types an idempotent Spring MVC handler may have, checked at start-up:
 * every answer that cannot be stored whole and replayed stops the application with a
 * message naming the handler and the reason.
 */
class IdempotentHandlerAnswerTests {

	static Stream<Arguments> refusedHandlers() {
		String streamed = "sends its body in parts";
		return Stream.of(arguments(SseEmitterController.class, "SseEmitterController.events()", streamed),
				arguments(EmitterController.class, "EmitterController.parts()", streamed),
				arguments(StreamingBodyController.class, "StreamingBodyController.download()",
						"writes its body straight to the response"),
				arguments(FluxController.class, "FluxController.items()", "Mono<List<T>>"),
				arguments(EntityOfEmitterController.class, "EntityOfEmitterController.events()",
						"whose body is org.springframework.web.servlet.mvc.method.annotation.SseEmitter, which sends its body in parts"),
				arguments(EntityOfMonoController.class, "EntityOfMonoController.item()",
						"declare the asynchronous type outermost"),
				arguments(PlainFutureController.class, "PlainFutureController.item()",
						"a Future that is not a CompletionStage"),
				arguments(NestedController.class, "NestedController.events()",
						"its asynchronous value is itself asynchronous or streamed"),
				arguments(AsyncViewController.class, "AsyncViewController.confirm()", "renders a view"));
	}

	@ParameterizedTest
	@MethodSource("refusedHandlers")
	void handlerWhoseAnswerCannotBeStoredStopsStartUp(Class<?> controller, String handler, String reason) {
		IdempotentWebTests.WEB.withUserConfiguration(controller)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("@Idempotent handler " + handler)
				.hasMessageContaining(reason)
				.hasMessageContaining("an idempotent handler must"));
	}

	@Test
	void asynchronousHandlersThatAnswerWithOneValueAreAccepted() {
		IdempotentWebTests.WEB.withUserConfiguration(AcceptedController.class).run((context) -> {
			assertThat(context).hasNotFailed();
			IdempotencyRegistry registry = context.getBean(IdempotencyRegistry.class);
			assertThat(List.of("future", "callable", "deferred", "task", "mono", "entity"))
				.allSatisfy((name) -> assertThat(registry.find(name)).isPresent());
		});
	}

	@RestController
	static class SseEmitterController {

		@PostMapping("/events")
		@Idempotent
		public SseEmitter events() {
			return new SseEmitter();
		}

	}

	@RestController
	static class EmitterController {

		@PostMapping("/parts")
		@Idempotent
		public ResponseBodyEmitter parts() {
			return new ResponseBodyEmitter();
		}

	}

	@RestController
	static class StreamingBodyController {

		@PostMapping("/download")
		@Idempotent
		public StreamingResponseBody download() {
			return (out) -> out.write(1);
		}

	}

	@RestController
	static class FluxController {

		@PostMapping("/items")
		@Idempotent
		public Flux<String> items() {
			return Flux.just("a", "b");
		}

	}

	@RestController
	static class EntityOfEmitterController {

		@PostMapping("/events")
		@Idempotent
		public ResponseEntity<SseEmitter> events() {
			return ResponseEntity.ok(new SseEmitter());
		}

	}

	@RestController
	static class EntityOfMonoController {

		@PostMapping("/item")
		@Idempotent
		public ResponseEntity<Mono<String>> item() {
			return ResponseEntity.ok(Mono.just("a"));
		}

	}

	@RestController
	static class PlainFutureController {

		@PostMapping("/item")
		@Idempotent
		public Future<String> item() {
			return new FutureTask<>(() -> "a");
		}

	}

	@RestController
	static class NestedController {

		@PostMapping("/events")
		@Idempotent
		public CompletableFuture<SseEmitter> events() {
			return CompletableFuture.completedFuture(new SseEmitter());
		}

	}

	@Controller
	static class AsyncViewController {

		@PostMapping("/confirm")
		@Idempotent
		public CompletableFuture<String> confirm() {
			return CompletableFuture.completedFuture("confirmed");
		}

	}

	@Controller
	static class AcceptedController {

		@PostMapping("/future")
		@Idempotent("future")
		@org.springframework.web.bind.annotation.ResponseBody
		public CompletableFuture<String> future() {
			return CompletableFuture.completedFuture("a");
		}

		@PostMapping("/callable")
		@Idempotent("callable")
		@org.springframework.web.bind.annotation.ResponseBody
		public Callable<String> callable() {
			return () -> "a";
		}

		@PostMapping("/deferred")
		@Idempotent("deferred")
		@org.springframework.web.bind.annotation.ResponseBody
		public DeferredResult<String> deferred() {
			return new DeferredResult<>();
		}

		@PostMapping("/task")
		@Idempotent("task")
		@org.springframework.web.bind.annotation.ResponseBody
		public WebAsyncTask<String> task() {
			return new WebAsyncTask<>(() -> "a");
		}

		@PostMapping("/mono")
		@Idempotent("mono")
		@org.springframework.web.bind.annotation.ResponseBody
		public Mono<String> mono() {
			return Mono.just("a");
		}

		/** No @ResponseBody needed: the asynchronous value is a ResponseEntity. */
		@PostMapping("/entity")
		@Idempotent("entity")
		public CompletableFuture<ResponseEntity<String>> entity() {
			return CompletableFuture.completedFuture(ResponseEntity.ok("a"));
		}

	}

}

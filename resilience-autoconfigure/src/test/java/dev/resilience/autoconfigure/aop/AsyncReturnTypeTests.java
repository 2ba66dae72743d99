package dev.resilience.autoconfigure.aop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.stream.Stream;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Retryable;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import reactor.core.publisher.Flux;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which return types the annotations accept, checked when the bean is created, and that
 * Reactor stays an optional dependency.
 */
class AsyncReturnTypeTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(ResilienceAutoConfiguration.class, ResilienceAopAutoConfiguration.class));

	@Test
	void plainFutureIsRefusedAtStartUpWithAClearMessage() {
		runner.withBean(ReturnsFuture.class).run((context) -> assertThat(context).hasFailed()
			.getFailure()
			.rootCause()
			.hasMessageContaining("ReturnsFuture.submit()")
			.hasMessageContaining("a Future that is not a CompletionStage")
			.hasMessageContaining("declare CompletableFuture or CompletionStage"));
	}

	@Test
	void subtypeOfCompletableFutureIsRefusedBecauseItCannotBeReturned() {
		runner.withBean(ReturnsOwnFuture.class).run((context) -> assertThat(context).hasFailed()
			.getFailure()
			.rootCause()
			.hasMessageContaining("ReturnsOwnFuture.fetch()")
			.hasMessageContaining("declare CompletionStage or CompletableFuture"));
	}

	@Test
	void reactiveTypeOtherThanMonoAndFluxIsRefused() {
		runner.withBean(ReturnsOwnPublisher.class).run((context) -> assertThat(context).hasFailed()
			.getFailure()
			.rootCause()
			.hasMessageContaining("ReturnsOwnPublisher.stream()")
			.hasMessageContaining("Reactor's Mono and Flux"));
	}

	@Test
	void publisherIsServedAsAFlux() {
		runner.withBean(ReturnsPublisher.class).run((context) -> {
			assertThat(context).hasNotFailed();
			Publisher<String> returned = context.getBean(ReturnsPublisher.class).stream();
			assertThat(returned).isInstanceOf(Flux.class);
			assertThat(Flux.from(returned).collectList().toFuture()).isCompletedWithValue(List.of("a", "b"));
		});
	}

	@Test
	void fallbackReturningAPlainValueForAnAsynchronousMethodIsRefused() {
		runner.withBean(PlainValueFallback.class).run((context) -> assertThat(context).hasFailed()
			.getFailure()
			.rootCause()
			.hasMessageContaining("PlainValueFallback.fallback()")
			.hasMessageContaining("PlainValueFallback.fetch()")
			.hasMessageContaining("not assignable to java.util.concurrent.CompletableFuture"));
	}

	@Test
	void onlyReactorInvokerNamesReactorTypesAmongTheAnnotationClasses() throws IOException {
		// The advisor and its helpers load in every application; other packages guard
		// their Reactor classes with conditions of their own.
		Path sources = Paths.get("src/main/java/dev/resilience/autoconfigure/aop");
		List<String> offenders = new ArrayList<>();
		try (Stream<Path> files = Files.walk(sources)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".java")).toList()) {
				String code = Files.readString(file);
				if ((code.contains("import reactor.") || code.contains("import org.reactivestreams."))
						&& !file.endsWith("ReactorInvoker.java")) {
					offenders.add(sources.relativize(file).toString());
				}
			}
		}
		assertThat(offenders).as("classes that would fail to load without Reactor").isEmpty();
		assertThat(sources.resolve("ReactorInvoker.java")).exists();
	}

	static class ReturnsFuture {

		@Retryable("backend")
		public Future<String> submit() {
			return new FutureTask<>(() -> "never");
		}

	}

	static class ReturnsOwnFuture {

		@Retryable("backend")
		public OwnFuture fetch() {
			return new OwnFuture();
		}

	}

	static class OwnFuture extends CompletableFuture<String> {

	}

	static class ReturnsOwnPublisher {

		@CircuitBreaker("backend")
		public OwnPublisher stream() {
			return new OwnPublisher();
		}

	}

	static class OwnPublisher implements Publisher<String> {

		@Override
		public void subscribe(Subscriber<? super String> subscriber) {
			Flux.just("own").subscribe(subscriber);
		}

	}

	static class ReturnsPublisher {

		@Retryable("backend")
		public Publisher<String> stream() {
			return Flux.just("a", "b");
		}

	}

	static class PlainValueFallback {

		@Retryable(value = "backend", fallbackMethod = "fallback")
		public CompletableFuture<String> fetch() {
			return CompletableFuture.completedFuture("value");
		}

		public String fallback() {
			return "plain";
		}

	}

}

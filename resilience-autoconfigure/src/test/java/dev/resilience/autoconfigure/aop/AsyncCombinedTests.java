package dev.resilience.autoconfigure.aop;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Retryable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * All three annotations on one asynchronous method: every attempt goes through the breaker
 * and the bulkhead, and no permit is held while a retry waits for its backoff.
 */
class AsyncCombinedTests {

	@ParameterizedTest
	@EnumSource(AsyncType.class)
	void noPermitIsHeldWhileARetryWaitsAndEveryAttemptIsRecorded(AsyncType type) {
		AsyncFixture.run(type, Combined.class, (fixture) -> {
			AsyncType.Call call = fixture.call();
			assertThat(fixture.registry.bulkhead("backend").availableConcurrentCalls()).isZero();
			fixture.dependency.call(1).completeExceptionally(new IOException("first"));
			assertThat(fixture.registry.bulkhead("backend").availableConcurrentCalls())
				.as("free while waiting for the backoff")
				.isEqualTo(1);
			assertThat(fixture.registry.circuitBreaker("backend").metrics().failedCalls()).isEqualTo(1);
			fixture.scheduler.advance(Duration.ofMillis(100));
			assertThat(fixture.registry.bulkhead("backend").availableConcurrentCalls()).isZero();
			fixture.dependency.call(2).complete("second");
			assertThat(call.outcome()).isCompletedWithValue("second");
			assertThat(fixture.registry.circuitBreaker("backend").metrics().bufferedCalls()).isEqualTo(2);
			assertThat(fixture.registry.bulkhead("backend").availableConcurrentCalls()).isEqualTo(1);
		});
	}

	/** Retry outermost, then breaker, then bulkhead, as everywhere. */
	static class Combined extends AsyncMethods {

		Combined(Dependency dependency) {
			super(dependency);
		}

		@Override
		@Retryable("backend")
		@CircuitBreaker("backend")
		@Bulkhead("backend")
		public CompletableFuture<String> completableFuture() {
			return AsyncType.COMPLETABLE_FUTURE.wrap(dependency.call());
		}

		@Override
		@Retryable("backend")
		@CircuitBreaker("backend")
		@Bulkhead("backend")
		public CompletionStage<String> completionStage() {
			return AsyncType.COMPLETION_STAGE.wrap(dependency.call());
		}

		@Override
		@Retryable("backend")
		@CircuitBreaker("backend")
		@Bulkhead("backend")
		public Mono<String> mono() {
			return AsyncType.MONO.wrap(dependency.call());
		}

		@Override
		@Retryable("backend")
		@CircuitBreaker("backend")
		@Bulkhead("backend")
		public Flux<String> flux() {
			return AsyncType.FLUX.wrap(dependency.call());
		}

	}

}

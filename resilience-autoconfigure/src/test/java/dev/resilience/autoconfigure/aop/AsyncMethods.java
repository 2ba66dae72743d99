package dev.resilience.autoconfigure.aop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Retryable;
import dev.resilience.core.bulkhead.BulkheadFullException;
import dev.resilience.core.circuitbreaker.CallNotPermittedException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Beans with one annotated method per asynchronous type, each calling the
 * {@link Dependency} and each with a fallback of its own type that handles one failure
 * type only, so that other failures propagate.
 */
abstract class AsyncMethods {

	final Dependency dependency;

	AsyncMethods(Dependency dependency) {
		this.dependency = dependency;
	}

	abstract CompletableFuture<String> completableFuture();

	abstract CompletionStage<String> completionStage();

	abstract Mono<String> mono();

	abstract Flux<String> flux();

	/** Retries; its fallbacks handle {@link IllegalStateException}. */
	static class Retrying extends AsyncMethods {

		Retrying(Dependency dependency) {
			super(dependency);
		}

		@Override
		@Retryable(value = "backend", fallbackMethod = "completableFutureFallback")
		public CompletableFuture<String> completableFuture() {
			return AsyncType.COMPLETABLE_FUTURE.wrap(dependency.call());
		}

		public CompletableFuture<String> completableFutureFallback(IllegalStateException ex) {
			return AsyncType.COMPLETABLE_FUTURE.fallback("fallback:" + ex.getMessage());
		}

		@Override
		@Retryable(value = "backend", fallbackMethod = "completionStageFallback")
		public CompletionStage<String> completionStage() {
			return AsyncType.COMPLETION_STAGE.wrap(dependency.call());
		}

		public CompletionStage<String> completionStageFallback(IllegalStateException ex) {
			return AsyncType.COMPLETION_STAGE.fallback("fallback:" + ex.getMessage());
		}

		@Override
		@Retryable(value = "backend", fallbackMethod = "monoFallback")
		public Mono<String> mono() {
			return AsyncType.MONO.wrap(dependency.call());
		}

		public Mono<String> monoFallback(IllegalStateException ex) {
			return AsyncType.MONO.fallback("fallback:" + ex.getMessage());
		}

		@Override
		@Retryable(value = "backend", fallbackMethod = "fluxFallback")
		public Flux<String> flux() {
			return AsyncType.FLUX.wrap(dependency.call());
		}

		public Flux<String> fluxFallback(IllegalStateException ex) {
			return AsyncType.FLUX.fallback("fallback:" + ex.getMessage());
		}

	}

	/** Breaks; its fallbacks handle {@link CallNotPermittedException}. */
	static class Breaking extends AsyncMethods {

		Breaking(Dependency dependency) {
			super(dependency);
		}

		@Override
		@CircuitBreaker(value = "backend", fallbackMethod = "completableFutureFallback")
		public CompletableFuture<String> completableFuture() {
			return AsyncType.COMPLETABLE_FUTURE.wrap(dependency.call());
		}

		public CompletableFuture<String> completableFutureFallback(CallNotPermittedException ex) {
			return AsyncType.COMPLETABLE_FUTURE.fallback("fallback:open");
		}

		@Override
		@CircuitBreaker(value = "backend", fallbackMethod = "completionStageFallback")
		public CompletionStage<String> completionStage() {
			return AsyncType.COMPLETION_STAGE.wrap(dependency.call());
		}

		public CompletionStage<String> completionStageFallback(CallNotPermittedException ex) {
			return AsyncType.COMPLETION_STAGE.fallback("fallback:open");
		}

		@Override
		@CircuitBreaker(value = "backend", fallbackMethod = "monoFallback")
		public Mono<String> mono() {
			return AsyncType.MONO.wrap(dependency.call());
		}

		public Mono<String> monoFallback(CallNotPermittedException ex) {
			return AsyncType.MONO.fallback("fallback:open");
		}

		@Override
		@CircuitBreaker(value = "backend", fallbackMethod = "fluxFallback")
		public Flux<String> flux() {
			return AsyncType.FLUX.wrap(dependency.call());
		}

		public Flux<String> fluxFallback(CallNotPermittedException ex) {
			return AsyncType.FLUX.fallback("fallback:open");
		}

	}

	/** Limits concurrency; its fallbacks handle {@link BulkheadFullException}. */
	static class Limited extends AsyncMethods {

		Limited(Dependency dependency) {
			super(dependency);
		}

		@Override
		@Bulkhead(value = "backend", fallbackMethod = "completableFutureFallback")
		public CompletableFuture<String> completableFuture() {
			return AsyncType.COMPLETABLE_FUTURE.wrap(dependency.call());
		}

		public CompletableFuture<String> completableFutureFallback(BulkheadFullException ex) {
			return AsyncType.COMPLETABLE_FUTURE.fallback("fallback:full");
		}

		@Override
		@Bulkhead(value = "backend", fallbackMethod = "completionStageFallback")
		public CompletionStage<String> completionStage() {
			return AsyncType.COMPLETION_STAGE.wrap(dependency.call());
		}

		public CompletionStage<String> completionStageFallback(BulkheadFullException ex) {
			return AsyncType.COMPLETION_STAGE.fallback("fallback:full");
		}

		@Override
		@Bulkhead(value = "backend", fallbackMethod = "monoFallback")
		public Mono<String> mono() {
			return AsyncType.MONO.wrap(dependency.call());
		}

		public Mono<String> monoFallback(BulkheadFullException ex) {
			return AsyncType.MONO.fallback("fallback:full");
		}

		@Override
		@Bulkhead(value = "backend", fallbackMethod = "fluxFallback")
		public Flux<String> flux() {
			return AsyncType.FLUX.wrap(dependency.call());
		}

		public Flux<String> fluxFallback(BulkheadFullException ex) {
			return AsyncType.FLUX.fallback("fallback:full");
		}

	}

}

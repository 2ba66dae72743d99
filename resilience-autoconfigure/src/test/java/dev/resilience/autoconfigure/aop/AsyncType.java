package dev.resilience.autoconfigure.aop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The asynchronous return types under test, and how a test consumes each: a stage is
 * used as it is, a {@code Mono} or {@code Flux} is subscribed to (a {@code Flux} of the
 * dependency's comma-separated answer is joined back into one string).
 */
enum AsyncType {

	COMPLETABLE_FUTURE, COMPLETION_STAGE, MONO, FLUX;

	/** The value of the dependency's answer as each type carries it. */
	@SuppressWarnings("unchecked")
	<T> T wrap(CompletableFuture<String> answer) {
		switch (this) {
			case COMPLETABLE_FUTURE:
				return (T) answer;
			case COMPLETION_STAGE:
				return (T) (CompletionStage<String>) answer;
			case MONO:
				return (T) Mono.fromFuture(answer);
			default:
				return (T) Mono.fromFuture(answer).flatMapMany((text) -> Flux.fromArray(text.split(",")));
		}
	}

	/** What a fallback of each type returns. */
	@SuppressWarnings("unchecked")
	<T> T fallback(String value) {
		return wrap(CompletableFuture.completedFuture(value));
	}

	/**
	 * Calls the method of this type on a service through its proxy.
	 * @param service the service
	 * @return what the method returned
	 */
	Call call(AsyncMethods service) {
		switch (this) {
			case COMPLETABLE_FUTURE:
				return consume(service.completableFuture());
			case COMPLETION_STAGE:
				return consume(service.completionStage());
			case MONO:
				return consume(service.mono());
			default:
				return consume(service.flux());
		}
	}

	/**
	 * Starts consuming what an annotated method returned.
	 * @param returned the method's result
	 * @return the outcome, and a way to cancel
	 */
	Call consume(Object returned) {
		switch (this) {
			case COMPLETABLE_FUTURE:
			case COMPLETION_STAGE: {
				CompletableFuture<String> future = ((CompletionStage<String>) cast(returned)).toCompletableFuture();
				return new Call(future, () -> future.cancel(true));
			}
			case MONO:
				return subscribe((Mono<String>) cast(returned), Function.identity());
			default:
				return subscribe(((Flux<String>) cast(returned)).collectList(), (values) -> String.join(",", values));
		}
	}

	private static <V> Call subscribe(Mono<V> mono, Function<V, String> text) {
		CompletableFuture<String> outcome = new CompletableFuture<>();
		Disposable subscription = mono.subscribe((value) -> outcome.complete(text.apply(value)),
				outcome::completeExceptionally, () -> outcome.complete(null));
		return new Call(outcome, subscription::dispose);
	}

	@SuppressWarnings("unchecked")
	private static <T> T cast(Object value) {
		return (T) value;
	}

	/**
	 * One call as the test sees it.
	 * @param outcome completes with the call's outcome
	 * @param cancel cancels the call (disposes the subscription)
	 */
	record Call(CompletableFuture<String> outcome, Runnable cancel) {
	}

}

package dev.resilience.autoconfigure.aop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import dev.resilience.autoconfigure.slo.SloCallRecorder;
import dev.resilience.core.ResiliencePipeline;
import org.aopalliance.intercept.MethodInvocation;

/**
 * Runs a method returning {@code CompletionStage} or {@code CompletableFuture} through
 * {@link ResiliencePipeline#executeAsync}: the first attempt calls the method on the
 * caller's thread, a retry calls it again when its scheduled backoff is over, and the
 * caller gets a {@code CompletableFuture} at once. Cancelling that future cancels the call
 * (and the fallback's stage, if it runs by then).
 */
final class CompletionStageInvoker implements AsyncMethodInvoker {

	private final ResiliencePipeline pipeline;

	private final FallbackMethod fallback;

	private final SloCallRecorder slo;

	/**
	 * @param pipeline the method's pipeline, or {@code null} for a method that is only
	 * {@code @Idempotent}
	 */
	CompletionStageInvoker(ResiliencePipeline pipeline, FallbackMethod fallback, SloCallRecorder slo) {
		this.pipeline = pipeline;
		this.fallback = fallback;
		this.slo = slo;
	}

	@Override
	public Object invoke(MethodInvocation invocation) {
		long sloStart = slo.start();
		CompletableFuture<Object> outcome = (pipeline != null)
				? pipeline.executeAsync(() -> (CompletionStage<?>) MethodResilience.proceed(invocation))
				: proceedOnce(invocation);
		if (slo.isRecording()) {
			// The logical call's outcome, before any fallback, as for synchronous methods.
			outcome.whenComplete((value, error) -> {
				if (error == null) {
					slo.succeeded(sloStart);
				}
				else if (!outcome.isCancelled()) {
					slo.failed(sloStart, unwrap(error));
				}
			});
		}
		if (fallback == null) {
			return outcome;
		}
		CompletableFuture<Object> result = new CompletableFuture<>();
		outcome.whenComplete((value, error) -> {
			if (result.isDone()) {
				// The caller cancelled: no fallback for a call nobody waits for.
				return;
			}
			if (error == null) {
				result.complete(value);
			}
			else if (!fallback.handles(error)) {
				result.completeExceptionally(error);
			}
			else {
				runFallback(invocation, error, result);
			}
		});
		result.whenComplete((value, error) -> {
			if (result.isCancelled()) {
				outcome.cancel(true);
			}
		});
		return result;
	}

	/** A method that is only {@code @Idempotent}: one call, its failures through the future. */
	private static CompletableFuture<Object> proceedOnce(MethodInvocation invocation) {
		CompletionStage<?> stage;
		try {
			stage = (CompletionStage<?>) MethodResilience.proceed(invocation);
		}
		catch (Throwable ex) {
			return CompletableFuture.failedFuture(ex);
		}
		if (stage == null) {
			return CompletableFuture.failedFuture(new IllegalStateException(
					"The method returned null instead of a CompletionStage"));
		}
		CompletableFuture<Object> outcome = new CompletableFuture<>();
		stage.whenComplete((value, error) -> {
			if (error != null) {
				outcome.completeExceptionally(unwrap(error));
			}
			else {
				outcome.complete(value);
			}
		});
		outcome.whenComplete((value, error) -> {
			if (outcome.isCancelled()) {
				try {
					stage.toCompletableFuture().cancel(true);
				}
				catch (UnsupportedOperationException ex) {
					// A stage that cannot be cancelled runs to its end; nobody waits for it.
				}
			}
		});
		return outcome;
	}

	private void runFallback(MethodInvocation invocation, Throwable cause, CompletableFuture<Object> result) {
		CompletionStage<?> alternative;
		try {
			alternative = (CompletionStage<?>) fallback.invoke(invocation.getThis(), invocation.getArguments(), cause);
		}
		catch (Throwable ex) {
			result.completeExceptionally(ex);
			return;
		}
		if (alternative == null) {
			result.complete(null);
			return;
		}
		alternative.whenComplete((value, error) -> {
			if (error != null) {
				result.completeExceptionally(unwrap(error));
			}
			else {
				result.complete(value);
			}
		});
		result.whenComplete((value, error) -> {
			if (result.isCancelled()) {
				try {
					alternative.toCompletableFuture().cancel(true);
				}
				catch (UnsupportedOperationException ex) {
					// A stage that cannot be cancelled runs to its end; nobody waits for it.
				}
			}
		});
	}

	private static Throwable unwrap(Throwable error) {
		return (error instanceof CompletionException && error.getCause() != null) ? error.getCause() : error;
	}

}

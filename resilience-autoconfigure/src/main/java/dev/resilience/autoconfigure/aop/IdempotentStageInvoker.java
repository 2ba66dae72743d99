package dev.resilience.autoconfigure.aop;

import java.util.concurrent.CompletionStage;

import dev.resilience.autoconfigure.idempotency.IdempotentMethodInvoker;
import org.aopalliance.intercept.MethodInvocation;

/**
 * Runs an {@code @Idempotent} method returning {@code CompletionStage} or
 * {@code CompletableFuture}: the key is claimed before the call, and the protected call
 * (retry, breaker, bulkhead and fallback, through the {@link CompletionStageInvoker})
 * starts only when the claim succeeds; its stage completing normally stores the result,
 * completing exceptionally or being cancelled frees the key.
 */
final class IdempotentStageInvoker implements AsyncMethodInvoker {

	private final IdempotentMethodInvoker idempotent;

	private final AsyncMethodInvoker protectedCall;

	IdempotentStageInvoker(IdempotentMethodInvoker idempotent, AsyncMethodInvoker protectedCall) {
		this.idempotent = idempotent;
		this.protectedCall = protectedCall;
	}

	@Override
	public Object invoke(MethodInvocation invocation) {
		return idempotent.invokeAsync(invocation.getThis(), invocation.getArguments(),
				() -> (CompletionStage<?>) protectedCall.invoke(invocation));
	}

}

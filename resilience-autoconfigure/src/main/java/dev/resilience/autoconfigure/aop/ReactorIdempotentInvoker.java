package dev.resilience.autoconfigure.aop;

import dev.resilience.autoconfigure.idempotency.IdempotentMethodInvoker;
import org.aopalliance.intercept.MethodInvocation;
import reactor.core.publisher.Mono;

/**
 * Runs an {@code @Idempotent} method returning {@code Mono}: each subscription is one
 * idempotent call. At subscription the key is worked out and claimed; the protected call
 * (retry, breaker, bulkhead and fallback through the {@link ReactorInvoker}, or the method
 * alone) is subscribed only when the claim succeeds. Its value, or its completing empty
 * (stored as {@code null}, replayed as empty), completes the claim; an error or a
 * cancelled subscription frees the key.
 * <p>
 * Loaded only when Reactor is on the classpath.
 */
final class ReactorIdempotentInvoker implements AsyncMethodInvoker {

	private final IdempotentMethodInvoker idempotent;

	/** The pipeline's invoker, or {@code null} when the method is only idempotent. */
	private final AsyncMethodInvoker protectedCall;

	private ReactorIdempotentInvoker(IdempotentMethodInvoker idempotent, AsyncMethodInvoker protectedCall) {
		this.idempotent = idempotent;
		this.protectedCall = protectedCall;
	}

	static AsyncMethodInvoker create(IdempotentMethodInvoker idempotent, AsyncMethodInvoker protectedCall) {
		return new ReactorIdempotentInvoker(idempotent, protectedCall);
	}

	@Override
	public Object invoke(MethodInvocation invocation) {
		// Cancelling the subscription cancels the future, which cancels the protected
		// subscription through toFuture(); that cancellation frees the key.
		return Mono.defer(() -> Mono.fromFuture(idempotent.invokeAsync(invocation.getThis(),
				invocation.getArguments(), () -> protectedMono(invocation).toFuture())));
	}

	private Mono<?> protectedMono(MethodInvocation invocation) throws Throwable {
		Object result = (protectedCall != null) ? protectedCall.invoke(invocation) : MethodResilience.proceed(invocation);
		if (result == null) {
			throw new IllegalStateException("The method returned null instead of a Mono");
		}
		return (Mono<?>) result;
	}

}

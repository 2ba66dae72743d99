package dev.resilience.autoconfigure.aop;

import dev.resilience.autoconfigure.idempotency.IdempotentMethodInvoker;
import dev.resilience.core.ResiliencePipeline;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;

/**
 * What the annotations of one method resolve to, built once per method: its idempotency,
 * the pipeline of its retry, circuit breaker and bulkhead, and its fallback.
 */
final class MethodResilience {

	private final String description;

	private final ResiliencePipeline pipeline;

	private final FallbackMethod fallback;

	/** {@code @Idempotent} with a key expression, or {@code null}. */
	private final IdempotentMethodInvoker idempotent;

	MethodResilience(String description, ResiliencePipeline pipeline, FallbackMethod fallback) {
		this(description, pipeline, fallback, null);
	}

	/**
	 * @param pipeline may be {@code null} when the method is only idempotent
	 * @param idempotent may be {@code null} when the method is not idempotent
	 */
	MethodResilience(String description, ResiliencePipeline pipeline, FallbackMethod fallback,
			IdempotentMethodInvoker idempotent) {
		this.description = description;
		this.pipeline = pipeline;
		this.fallback = fallback;
		this.idempotent = idempotent;
	}

	Object invoke(MethodInvocation invocation) throws Throwable {
		if (idempotent != null) {
			// Outermost: a duplicate is answered before any retry, breaker or bulkhead, and a
			// fallback's answer is stored like the method's own.
			return idempotent.invoke(invocation.getThis(), invocation.getArguments(), () -> invokeProtected(invocation));
		}
		return invokeProtected(invocation);
	}

	private Object invokeProtected(MethodInvocation invocation) throws Throwable {
		try {
			return (pipeline != null) ? pipeline.execute(() -> proceed(invocation)) : proceed(invocation);
		}
		catch (Throwable ex) {
			if (fallback != null && fallback.handles(ex)) {
				return fallback.invoke(invocation.getThis(), invocation.getArguments(), ex);
			}
			throw ex;
		}
	}

	/**
	 * One attempt. A method invocation can be proceeded once only, so every attempt
	 * proceeds on a fresh clone positioned at this interceptor.
	 */
	private static Object proceed(MethodInvocation invocation) throws Throwable {
		if (invocation instanceof ProxyMethodInvocation proxyInvocation) {
			return proxyInvocation.invocableClone().proceed();
		}
		return invocation.proceed();
	}

	ResiliencePipeline pipeline() {
		return pipeline;
	}

	FallbackMethod fallback() {
		return fallback;
	}

	IdempotentMethodInvoker idempotent() {
		return idempotent;
	}

	@Override
	public String toString() {
		return description + " -> " + ((idempotent != null) ? idempotent + ", " : "") + pipeline;
	}

}

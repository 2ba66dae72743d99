package dev.resilience.autoconfigure.aop;

import dev.resilience.core.ResiliencePipeline;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;

/**
 * What the annotations of one method resolve to, built once per method: the pipeline of
 * its retry, circuit breaker and bulkhead, and its fallback.
 */
final class MethodResilience {

	private final String description;

	private final ResiliencePipeline pipeline;

	private final FallbackMethod fallback;

	MethodResilience(String description, ResiliencePipeline pipeline, FallbackMethod fallback) {
		this.description = description;
		this.pipeline = pipeline;
		this.fallback = fallback;
	}

	Object invoke(MethodInvocation invocation) throws Throwable {
		try {
			return pipeline.execute(() -> proceed(invocation));
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

	@Override
	public String toString() {
		return description + " -> " + pipeline;
	}

}

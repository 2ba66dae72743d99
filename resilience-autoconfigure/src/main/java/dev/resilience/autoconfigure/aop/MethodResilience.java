package dev.resilience.autoconfigure.aop;

import dev.resilience.core.ResiliencePipeline;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;

/**
 * What the annotations of one method resolve to, built once per method: the pipeline of
 * its retry, circuit breaker and bulkhead, and its fallback; for a method with an
 * asynchronous return type, the {@link AsyncMethodInvoker} that applies them on completion.
 */
final class MethodResilience {

	private final String description;

	private final ResiliencePipeline pipeline;

	private final FallbackMethod fallback;

	private final AsyncMethodInvoker async;

	MethodResilience(String description, ResiliencePipeline pipeline, FallbackMethod fallback) {
		this(description, pipeline, fallback, null);
	}

	MethodResilience(String description, ResiliencePipeline pipeline, FallbackMethod fallback,
			AsyncMethodInvoker async) {
		this.description = description;
		this.pipeline = pipeline;
		this.fallback = fallback;
		this.async = async;
	}

	Object invoke(MethodInvocation invocation) throws Throwable {
		if (async != null) {
			// The outcome arrives later: the policies and the fallback act on completion.
			return async.invoke(invocation);
		}
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
	static Object proceed(MethodInvocation invocation) throws Throwable {
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

package dev.resilience.autoconfigure.aop;

import dev.resilience.autoconfigure.slo.SloCallRecorder;
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

	/** Records each logical call, outside every policy and before the fallback. */
	private final SloCallRecorder slo;

	MethodResilience(String description, ResiliencePipeline pipeline, FallbackMethod fallback) {
		this(description, pipeline, fallback, SloCallRecorder.NONE);
	}

	MethodResilience(String description, ResiliencePipeline pipeline, FallbackMethod fallback, SloCallRecorder slo) {
		this.description = description;
		this.pipeline = pipeline;
		this.fallback = fallback;
		this.slo = slo;
	}

	Object invoke(MethodInvocation invocation) throws Throwable {
		long sloStart = slo.start();
		try {
			Object result = pipeline.execute(() -> proceed(invocation));
			slo.succeeded(sloStart);
			return result;
		}
		catch (Throwable ex) {
			slo.failed(sloStart, ex);
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

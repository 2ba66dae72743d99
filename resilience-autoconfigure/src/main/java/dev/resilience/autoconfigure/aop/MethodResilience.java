package dev.resilience.autoconfigure.aop;

import dev.resilience.autoconfigure.idempotency.IdempotentMethodInvoker;
import dev.resilience.autoconfigure.slo.SloCallRecorder;
import dev.resilience.core.CheckedFunction;
import dev.resilience.core.ResiliencePipeline;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;

/**
 * What the annotations of one method resolve to, built once per method: its idempotency,
 * the pipeline of its retry, circuit breaker and bulkhead, its error budget recorder and
 * its fallback; for a method with an asynchronous return type, the
 * {@link AsyncMethodInvoker} that applies them on completion.
 */
final class MethodResilience {

	private final String description;

	private final ResiliencePipeline pipeline;

	/**
	 * The method through the pipeline, given its invocation, or {@code null} without a
	 * pipeline: decorated once, so that a call allocates nothing of ours on the success path.
	 */
	private final CheckedFunction<MethodInvocation, Object> protectedCall;

	private final FallbackMethod fallback;

	/** {@code @Idempotent} with a key expression, or {@code null}. */
	private final IdempotentMethodInvoker idempotent;

	/**
	 * Records each logical call once, outside retry, breaker and bulkhead and before the
	 * fallback; inside idempotency, so that a replayed duplicate (which never reaches the
	 * dependency) is not an event.
	 */
	private final SloCallRecorder slo;

	private final AsyncMethodInvoker async;

	MethodResilience(String description, ResiliencePipeline pipeline, FallbackMethod fallback) {
		this(description, pipeline, fallback, null, SloCallRecorder.NONE, null);
	}

	/**
	 * @param pipeline may be {@code null} when the method is only idempotent
	 * @param idempotent may be {@code null} when the method is not idempotent
	 * @param slo the method's SLO recorder, {@link SloCallRecorder#NONE} for none
	 * @param async the asynchronous invoker, or {@code null} for a method returning its value
	 */
	MethodResilience(String description, ResiliencePipeline pipeline, FallbackMethod fallback,
			IdempotentMethodInvoker idempotent, SloCallRecorder slo, AsyncMethodInvoker async) {
		this.description = description;
		this.pipeline = pipeline;
		this.protectedCall = (pipeline != null) ? pipeline.decorate(attempt(pipeline)) : null;
		this.fallback = fallback;
		this.idempotent = idempotent;
		this.slo = slo;
		this.async = async;
	}

	Object invoke(MethodInvocation invocation) throws Throwable {
		if (async != null) {
			// The outcome arrives later: the policies, the error budget and the fallback act
			// on completion.
			return async.invoke(invocation);
		}
		if (idempotent != null) {
			// Outermost: a duplicate is answered before any retry, breaker or bulkhead, and a
			// fallback's answer is stored like the method's own.
			return idempotent.invoke(invocation.getThis(), invocation.getArguments(), () -> invokeProtected(invocation));
		}
		return invokeProtected(invocation);
	}

	private Object invokeProtected(MethodInvocation invocation) throws Throwable {
		long sloStart = slo.start();
		try {
			Object result = (protectedCall != null) ? protectedCall.apply(invocation) : invocation.proceed();
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
	 * One attempt of a synchronous call. Without a retry there is only one: it proceeds with
	 * the invocation itself, as any interceptor does. With one, see {@link RetriedInvocations}.
	 */
	private static CheckedFunction<MethodInvocation, Object> attempt(ResiliencePipeline pipeline) {
		return (pipeline.retry() != null) ? RetriedInvocations::proceed : MethodInvocation::proceed;
	}

	/**
	 * One attempt of an asynchronous call. A method invocation can be proceeded once only,
	 * so every attempt proceeds on a fresh clone positioned at this interceptor.
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

	IdempotentMethodInvoker idempotent() {
		return idempotent;
	}

	@Override
	public String toString() {
		return description + " -> " + ((idempotent != null) ? idempotent + ", " : "") + pipeline;
	}

}

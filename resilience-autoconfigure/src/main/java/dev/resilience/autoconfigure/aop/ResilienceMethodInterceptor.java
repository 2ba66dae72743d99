package dev.resilience.autoconfigure.aop;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Runs an annotated method through its resolved {@link MethodResilience}: idempotency,
 * retry, circuit breaker and bulkhead in the one library-wide order, then the fallback.
 */
public final class ResilienceMethodInterceptor implements MethodInterceptor {

	private final ObjectProvider<MethodResilienceResolver> resolverProvider;

	private volatile MethodResilienceResolver resolver;

	/**
	 * @param resolver looked up at the first call, so that creating the advisor does not
	 * initialise the registry and properties before the beans they might be proxied with
	 */
	public ResilienceMethodInterceptor(ObjectProvider<MethodResilienceResolver> resolver) {
		this.resolverProvider = resolver;
	}

	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		MethodResilience resilience = resolver().resolveFor(invocation.getMethod(), invocation.getThis());
		if (resilience == null) {
			return invocation.proceed();
		}
		return resilience.invoke(invocation);
	}

	private MethodResilienceResolver resolver() {
		MethodResilienceResolver current = resolver;
		if (current == null) {
			// Benign race: every thread gets the same singleton bean.
			current = resolverProvider.getObject();
			resolver = current;
		}
		return current;
	}

}

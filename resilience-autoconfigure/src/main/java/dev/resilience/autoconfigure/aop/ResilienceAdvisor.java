package dev.resilience.autoconfigure.aop;

import java.lang.reflect.Method;

import org.aopalliance.aop.Advice;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;

/**
 * Applies {@link ResilienceMethodInterceptor} to every method that carries a resilience
 * annotation, on the method or, for public methods, on its class.
 */
public final class ResilienceAdvisor extends AbstractPointcutAdvisor {

	private static final long serialVersionUID = 1L;

	private final transient ResilienceMethodInterceptor interceptor;

	private final transient Pointcut pointcut = new AnnotatedMethodPointcut();

	public ResilienceAdvisor(ResilienceMethodInterceptor interceptor) {
		this.interceptor = interceptor;
	}

	@Override
	public Pointcut getPointcut() {
		return pointcut;
	}

	@Override
	public Advice getAdvice() {
		return interceptor;
	}

	private static final class AnnotatedMethodPointcut extends StaticMethodMatcherPointcut {

		AnnotatedMethodPointcut() {
			setClassFilter(ResilienceAnnotations::isCandidateClass);
		}

		@Override
		public boolean matches(Method method, Class<?> targetClass) {
			return ResilienceAnnotations.isAnnotated(method, targetClass);
		}

	}

}

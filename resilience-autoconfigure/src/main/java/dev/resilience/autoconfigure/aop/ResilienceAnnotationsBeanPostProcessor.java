package dev.resilience.autoconfigure.aop;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Resolves the resilience annotations of every bean, so that a missing or mismatched
 * fallback, or an unsupported method, stops start-up instead of failing the first call.
 * Beans created before the singletons are all in place are checked once they are (the
 * resolver may itself be among the beans being created then); later beans at once.
 */
public final class ResilienceAnnotationsBeanPostProcessor implements BeanPostProcessor, SmartInitializingSingleton {

	private final ObjectProvider<MethodResilienceResolver> resolver;

	private final Map<String, Class<?>> pending = new LinkedHashMap<>();

	private volatile boolean singletonsReady;

	public ResilienceAnnotationsBeanPostProcessor(ObjectProvider<MethodResilienceResolver> resolver) {
		this.resolver = resolver;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (!hasAnnotatedMethod(targetClass)) {
			return bean;
		}
		if (singletonsReady) {
			check(beanName, targetClass);
		}
		else {
			synchronized (pending) {
				pending.put(beanName, targetClass);
			}
		}
		return bean;
	}

	@Override
	public void afterSingletonsInstantiated() {
		Map<String, Class<?>> toCheck;
		synchronized (pending) {
			toCheck = new LinkedHashMap<>(pending);
			pending.clear();
		}
		singletonsReady = true;
		toCheck.forEach(this::check);
	}

	private void check(String beanName, Class<?> targetClass) {
		try {
			resolver.getObject().resolveAll(targetClass);
		}
		catch (IllegalStateException ex) {
			throw new BeanCreationException(beanName, ex.getMessage(), ex);
		}
	}

	private static boolean hasAnnotatedMethod(Class<?> targetClass) {
		if (!ResilienceAnnotations.isCandidateClass(targetClass)) {
			return false;
		}
		Class<?> userClass = ClassUtils.getUserClass(targetClass);
		for (Method method : ReflectionUtils.getUniqueDeclaredMethods(userClass)) {
			if (ResilienceAnnotations.isAnnotated(method, userClass)) {
				return true;
			}
		}
		return false;
	}

}

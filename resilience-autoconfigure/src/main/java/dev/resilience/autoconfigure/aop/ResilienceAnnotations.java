package dev.resilience.autoconfigure.aop;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Set;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Idempotent;
import dev.resilience.annotation.Retryable;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * Finds the resilience annotations of a method: on the method (or a method it overrides
 * or implements), else on its class when the method is public; directly or as
 * meta-annotations.
 */
final class ResilienceAnnotations {

	static final Set<Class<? extends Annotation>> TYPES = Set.of(Idempotent.class, Retryable.class,
			CircuitBreaker.class, Bulkhead.class);

	private static final List<Class<? extends Annotation>> ORDERED = List.of(Idempotent.class, Retryable.class,
			CircuitBreaker.class, Bulkhead.class);

	private ResilienceAnnotations() {
	}

	/**
	 * A cheap first test, true when the class may carry an annotation at all.
	 * @param type the class
	 * @return false when no method of the class can be annotated
	 */
	static boolean isCandidateClass(Class<?> type) {
		return AnnotationUtils.isCandidateClass(type, TYPES);
	}

	/**
	 * @param method the method
	 * @param targetClass the bean's class
	 * @return whether any resilience annotation applies to the method
	 */
	static boolean isAnnotated(Method method, Class<?> targetClass) {
		for (Class<? extends Annotation> type : ORDERED) {
			if (find(method, targetClass, type) != null) {
				return true;
			}
		}
		return false;
	}

	/**
	 * @param <A> the annotation type
	 * @param method the method
	 * @param targetClass the bean's class
	 * @param type the annotation type
	 * @return the annotation that applies, or {@code null}
	 */
	static <A extends Annotation> A find(Method method, Class<?> targetClass, Class<A> type) {
		if (method.getDeclaringClass() == Object.class) {
			return null;
		}
		Class<?> userClass = (targetClass != null) ? ClassUtils.getUserClass(targetClass) : method.getDeclaringClass();
		Method specific = AopUtils.getMostSpecificMethod(method, userClass);
		A annotation = AnnotatedElementUtils.findMergedAnnotation(specific, type);
		if (annotation != null) {
			return annotation;
		}
		if (Modifier.isPublic(specific.getModifiers()) && !Modifier.isStatic(specific.getModifiers())) {
			annotation = AnnotatedElementUtils.findMergedAnnotation(userClass, type);
			if (annotation == null && specific.getDeclaringClass() != userClass) {
				annotation = AnnotatedElementUtils.findMergedAnnotation(specific.getDeclaringClass(), type);
			}
		}
		return annotation;
	}

	/**
	 * The instance name an annotation selects: its value, or
	 * {@code SimpleClassName.methodName} when empty.
	 * @param value the annotation's value
	 * @param method the method
	 * @param targetClass the bean's class
	 * @return the instance name
	 */
	static String instanceName(String value, Method method, Class<?> targetClass) {
		if (!value.isEmpty()) {
			return value;
		}
		Class<?> userClass = (targetClass != null) ? ClassUtils.getUserClass(targetClass) : method.getDeclaringClass();
		return userClass.getSimpleName() + "." + method.getName();
	}

}

package dev.resilience.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Guards the method with a circuit breaker: while the dependency fails, calls fail fast with
 * {@link dev.resilience.core.circuitbreaker.CallNotPermittedException}. Configured by
 * {@code resilience.instances.<value>.circuit-breaker}.
 * <p>
 * On a class, applies to every public method. Usable as a meta-annotation. Applied,
 * outermost first, in the order Idempotent, Retryable, CircuitBreaker, Bulkhead.
 */
@Target({ ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface CircuitBreaker {

	/**
	 * The instance name, selecting {@code resilience.instances.<name>} over
	 * {@code resilience.defaults}. Empty means the defaults, under the name
	 * {@code SimpleClassName.methodName}.
	 * @return the instance name
	 */
	String value() default "";

	/**
	 * A method of the same bean with the same parameters, optionally followed by one
	 * {@link Throwable} parameter, returning a compatible type. Called when the call
	 * fails for good. Checked when the bean is created.
	 * @return the fallback method's name, or empty for none
	 */
	String fallbackMethod() default "";

}

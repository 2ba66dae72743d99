package dev.resilience.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Retries the method with exponential backoff and jitter, within the instance's retry budget.
 * Configured by {@code resilience.instances.<value>.retry}.
 * <p>
 * On a class, applies to every public method. Usable as a meta-annotation. Applied,
 * outermost first, in the order Idempotent, Retryable, CircuitBreaker, Bulkhead.
 */
@Target({ ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Retryable {

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

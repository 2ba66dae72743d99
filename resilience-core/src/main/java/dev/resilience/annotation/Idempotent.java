package dev.resilience.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method once per key: a duplicate of a completed call gets the stored result
 * without running the method, a duplicate of a call in progress waits up to
 * {@code resilience.idempotency.wait} and is then refused with
 * {@code IdempotencyConflictException}. With a JDBC or
 * Redis store the guarantee holds across every instance of the application.
 * <p>
 * On a class, applies to every public method. Usable as a meta-annotation. Outermost of
 * the resilience annotations.
 */
@Target({ ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Idempotent {

	/**
	 * The instance name, selecting {@code resilience.instances.<name>.idempotency}. Empty
	 * means the defaults, under the name {@code SimpleClassName.methodName}.
	 * @return the instance name
	 */
	String value() default "";

	/**
	 * A SpEL expression over the parameters ({@code #order.id}, {@code #p0}) giving the
	 * key. Empty on a Spring MVC handler means the {@code Idempotency-Key} request header.
	 * @return the key expression
	 */
	String key() default "";

}

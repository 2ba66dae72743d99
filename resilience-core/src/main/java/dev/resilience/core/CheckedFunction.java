package dev.resilience.core;

/**
 * A call that takes one argument, returns a value and may throw anything, as an
 * intercepted method does when given its invocation.
 *
 * @param <A> the argument type
 * @param <T> the result type
 */
@FunctionalInterface
public interface CheckedFunction<A, T> {

	T apply(A argument) throws Throwable;

}

package dev.resilience.core;

/**
 * A call that returns a value and may throw anything, as an intercepted method does.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface CheckedSupplier<T> {

	T get() throws Throwable;

}

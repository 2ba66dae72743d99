package dev.resilience.autoconfigure.idempotency;

import java.lang.reflect.Method;

import dev.resilience.core.idempotency.ResultCodec;

/**
 * What an idempotent method needs serialised: its result, to be stored and replayed, and
 * its arguments, to fingerprint the request. Kept apart from Jackson so that the rest of
 * the idempotency support loads without it.
 */
interface MethodSerialization {

	/**
	 * @param method the annotated method
	 * @param targetClass the bean's class, to resolve generic return types
	 * @return the codec of the method's results
	 */
	ResultCodec<Object> resultCodec(Method method, Class<?> targetClass);

	/**
	 * @param arguments the call's arguments
	 * @return a digest that is equal for equal arguments
	 * @throws Exception when an argument cannot be serialised
	 */
	String fingerprint(Object[] arguments) throws Exception;

}

package dev.resilience.autoconfigure.aop;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.stream.Collectors;

import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * The fallback of an annotated method: a method of the same bean with the same
 * parameters, optionally followed by one {@link Throwable} parameter, returning a type
 * the annotated method may return. Resolved and checked once, when the bean is created.
 */
final class FallbackMethod {

	private final Method method;

	private final boolean takesCause;

	private FallbackMethod(Method method, boolean takesCause) {
		this.method = method;
		this.takesCause = takesCause;
	}

	/**
	 * Finds the fallback, preferring the variant that receives the cause.
	 * @param annotated the annotated method
	 * @param targetClass the bean's class
	 * @param name the fallback's name
	 * @return the fallback
	 * @throws IllegalStateException naming both methods when there is no suitable fallback
	 */
	static FallbackMethod resolve(Method annotated, Class<?> targetClass, String name) {
		Class<?>[] parameters = annotated.getParameterTypes();
		Class<?>[] withCause = Arrays.copyOf(parameters, parameters.length + 1);
		Method candidate = null;
		boolean takesCause = false;
		for (Method method : ReflectionUtils.getUniqueDeclaredMethods(targetClass)) {
			if (!method.getName().equals(name)) {
				continue;
			}
			Class<?>[] types = method.getParameterTypes();
			if (types.length == withCause.length && Throwable.class.isAssignableFrom(types[types.length - 1])
					&& Arrays.equals(Arrays.copyOf(types, parameters.length), parameters)) {
				candidate = method;
				takesCause = true;
				break;
			}
			if (Arrays.equals(types, parameters)) {
				candidate = method;
			}
		}
		if (candidate == null) {
			throw new IllegalStateException("fallbackMethod '" + name + "' of " + describe(annotated)
					+ " not found: expected a method " + name + "(" + typeNames(parameters)
					+ ((parameters.length > 0) ? ", " : "") + "[Throwable]) in " + targetClass.getName());
		}
		if (!returnTypeFits(annotated.getReturnType(), candidate.getReturnType())) {
			throw new IllegalStateException("fallbackMethod " + describe(candidate) + " of " + describe(annotated)
					+ " returns " + candidate.getReturnType().getName() + ", which is not assignable to "
					+ annotated.getReturnType().getName());
		}
		ReflectionUtils.makeAccessible(candidate);
		return new FallbackMethod(candidate, takesCause);
	}

	private static boolean returnTypeFits(Class<?> expected, Class<?> actual) {
		if (expected == void.class) {
			return true;
		}
		return ClassUtils.isAssignable(expected, actual);
	}

	/**
	 * Calls the fallback on the bean.
	 * @param target the bean (not its proxy)
	 * @param arguments the arguments of the failed call
	 * @param cause why the call failed
	 * @return the fallback's result
	 * @throws Throwable what the fallback threw
	 */
	Object invoke(Object target, Object[] arguments, Throwable cause) throws Throwable {
		Object[] actual = arguments;
		if (takesCause) {
			actual = Arrays.copyOf(arguments, arguments.length + 1);
			actual[arguments.length] = cause;
		}
		try {
			return method.invoke(target, actual);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
	}

	/**
	 * Whether the fallback can handle a given failure: one that declares a cause type
	 * only handles causes of that type.
	 * @param cause the failure
	 * @return whether to call the fallback
	 */
	boolean handles(Throwable cause) {
		return !takesCause || method.getParameterTypes()[method.getParameterCount() - 1].isInstance(cause);
	}

	Method method() {
		return method;
	}

	static String describe(Method method) {
		return method.getDeclaringClass().getSimpleName() + "." + method.getName() + "("
				+ typeNames(method.getParameterTypes()) + ")";
	}

	private static String typeNames(Class<?>[] types) {
		return Arrays.stream(types).map(Class::getSimpleName).collect(Collectors.joining(", "));
	}

}

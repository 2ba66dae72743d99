package dev.resilience.autoconfigure.aop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.framework.ReflectiveMethodInvocation;

/**
 * Proceeds with an intercepted invocation once per attempt of a retrying method, cloning
 * it only where another attempt needs the clone.
 * <p>
 * Spring's {@link ReflectiveMethodInvocation#proceed()} moves the invocation one step along
 * its interceptor chain and never back, so an invocation proceeded a second time from the
 * same interceptor skips the interceptors after it (a {@code @Transactional} inside the
 * retry, a user's aspect). An attempt must therefore proceed on a clone taken at this
 * interceptor's position before the first attempt proceeds; a clone costs the invocation,
 * the user attribute map that cloning creates and a copy of the arguments (about 100
 * bytes per call for a method without parameters).
 * <p>
 * One case needs no clone: when this interceptor is the last of the chain, which it is
 * unless another advice applies to the method inside it. {@code proceed()} then calls the
 * target method and leaves the invocation where it was, so every attempt can proceed on the
 * original invocation, with the caller's arguments (no interceptor after ours can change
 * them; the target method receives them by value). Spring exposes neither the chain nor the
 * position; this class reads them, and never writes them, through {@link VarHandle}s on
 * {@link ReflectiveMethodInvocation}'s fields, for that exact class only (Spring Framework
 * 7 uses it for JDK and CGLIB proxies alike). Where the fields cannot be read (another
 * Spring version, a module that does not open them, a native image without the
 * reflection metadata) or the invocation is of another class, every attempt proceeds on a
 * clone, as Spring's own retry interceptor does.
 */
final class RetriedInvocations {

	/** {@code ReflectiveMethodInvocation.currentInterceptorIndex}: this interceptor's position. */
	private static final VarHandle POSITION;

	/** {@code ReflectiveMethodInvocation.interceptorsAndDynamicMethodMatchers}: the chain. */
	private static final VarHandle CHAIN;

	static {
		VarHandle position = null;
		VarHandle chain = null;
		try {
			MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(ReflectiveMethodInvocation.class,
					MethodHandles.lookup());
			position = lookup.findVarHandle(ReflectiveMethodInvocation.class, "currentInterceptorIndex", int.class);
			chain = lookup.findVarHandle(ReflectiveMethodInvocation.class, "interceptorsAndDynamicMethodMatchers",
					List.class);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			// Not readable here: every attempt proceeds on a clone.
			position = null;
			chain = null;
		}
		POSITION = position;
		CHAIN = chain;
	}

	private RetriedInvocations() {
	}

	/**
	 * One attempt: proceeds with {@code invocation} itself when it can be proceeded again,
	 * otherwise with a fresh clone of it, leaving the original at this interceptor's position
	 * for the next attempt.
	 * @param invocation the invocation this interceptor received, which it never proceeds
	 * unless this interceptor is the last of the chain
	 * @return the method's result
	 * @throws Throwable what the rest of the chain threw
	 */
	static Object proceed(MethodInvocation invocation) throws Throwable {
		if (invocation instanceof ProxyMethodInvocation proxyInvocation && !proceedsToTarget(invocation)) {
			return proxyInvocation.invocableClone().proceed();
		}
		return invocation.proceed();
	}

	/**
	 * @return whether {@code invocation} is a {@link ReflectiveMethodInvocation} at the last
	 * position of its chain, so that {@code proceed()} calls the target method and nothing
	 * else, however often it is called; {@code false} when that cannot be told
	 */
	static boolean proceedsToTarget(MethodInvocation invocation) {
		if (POSITION == null || invocation.getClass() != ReflectiveMethodInvocation.class) {
			return false;
		}
		ReflectiveMethodInvocation reflective = (ReflectiveMethodInvocation) invocation;
		int position = (int) POSITION.get(reflective);
		List<?> chain = (List<?>) CHAIN.get(reflective);
		return position == chain.size() - 1;
	}

}

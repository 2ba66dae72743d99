package dev.resilience.autoconfigure.aop;

import org.aopalliance.intercept.MethodInvocation;

/**
 * Runs an annotated method whose return type is asynchronous, returning at once an object
 * of that type whose outcome is the protected call's: the outcome arrives later, so the
 * retry, the breaker, the bulkhead and the fallback act on completion, not on return.
 */
interface AsyncMethodInvoker {

	/**
	 * @param invocation the intercepted invocation; every attempt proceeds on a clone
	 * @return the method's asynchronous result
	 * @throws Throwable only for mistakes of the library itself; the method's failures,
	 * thrown or asynchronous, arrive through the returned object
	 */
	Object invoke(MethodInvocation invocation) throws Throwable;

}

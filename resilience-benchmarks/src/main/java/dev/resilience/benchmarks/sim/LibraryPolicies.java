package dev.resilience.benchmarks.sim;

import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Optional;

/**
 * The policies that drive the library's own retry, retry budget and circuit breaker. They
 * live in {@code dev.resilience.benchmarks.sim.ours} and are looked up by name, so the
 * rest of the simulator builds and runs while those core classes are not on the classpath.
 */
public interface LibraryPolicies {

	/** The implementation looked up by {@link #load()}. */
	String IMPLEMENTATION = "dev.resilience.benchmarks.sim.ours.OurPolicies";

	/**
	 * @return the library's policies for the storm scenarios, in report order
	 */
	List<Policy> storm();

	/**
	 * @return a retry of up to 3 retries limited by the library's retry budget shaped like
	 * the token bucket of the validation set-up: 0.1 retry per request, no per-second floor
	 */
	Policy tokenBucket();

	/**
	 * @return the same retry with the library's default budget, floor included
	 */
	Policy defaultBudget();

	/**
	 * @return the library's policies, or empty when its core classes are not on the
	 * classpath
	 */
	static Optional<LibraryPolicies> load() {
		try {
			Class<?> type = Class.forName(IMPLEMENTATION);
			return Optional.of((LibraryPolicies) type.getDeclaredConstructor().newInstance());
		}
		catch (ClassNotFoundException | NoClassDefFoundError ex) {
			return Optional.empty();
		}
		catch (InstantiationException | IllegalAccessException | NoSuchMethodException
				| InvocationTargetException ex) {
			throw new IllegalStateException("Cannot create " + IMPLEMENTATION, ex);
		}
	}

}

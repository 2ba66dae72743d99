package dev.resilience.benchmarks.sim;

import java.util.random.RandomGenerator;

import dev.resilience.core.time.Ticker;

/**
 * A named retry policy as a fleet of clients would deploy it: it creates the
 * {@link RetryStrategy} of each client at each layer of nesting.
 */
public interface Policy {

	/**
	 * @return a short name for tables and charts
	 */
	String name();

	/**
	 * @return what the policy does, in one sentence
	 */
	String description();

	/**
	 * @return how many retrying layers are nested around the call to the origin; 1 for
	 * a client that calls the origin directly
	 */
	default int layers() {
		return 1;
	}

	/**
	 * Creates the state of one client at one layer.
	 * @param layer 0 for the outermost layer, {@code layers() - 1} for the one calling
	 * the origin
	 * @param ticker the simulation's clock
	 * @param random this client's own random stream
	 * @return a new strategy
	 */
	RetryStrategy newStrategy(int layer, Ticker ticker, RandomGenerator random);

}

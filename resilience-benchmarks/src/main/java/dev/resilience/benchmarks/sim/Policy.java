package dev.resilience.benchmarks.sim;

import java.util.random.RandomGenerator;

import dev.resilience.core.time.Ticker;

/**
 * A named retry policy as a fleet of clients would deploy it: it creates the
 * {@link RetryStrategy} of each client at each layer of nesting.
 * <p>
 * One policy object serves many runs; what its processes share within a run is made
 * afresh by {@link #deploy}, once per run.
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

	/**
	 * Deploys the policy for one run. By default every process's strategies are its own,
	 * made by {@link #newStrategy}; a policy whose processes share state, or that has
	 * work of its own to schedule, creates that state here, so that no run sees another's.
	 * @param loop the run's clock, and where background work may be scheduled
	 * @return what creates the strategies of each process of the run
	 */
	default Deployment deploy(EventLoop loop) {
		return (random) -> {
			RetryStrategy[] strategies = new RetryStrategy[layers()];
			for (int layer = 0; layer < strategies.length; layer++) {
				strategies[layer] = newStrategy(layer, loop, random);
			}
			return strategies;
		};
	}

	/**
	 * Deploys the policy for one run that calls {@code origin}. By default the origin is
	 * not looked at: only a bound that no client could reach (one that sees the origin's
	 * queue) uses it.
	 * @param loop the run's clock, and where background work may be scheduled
	 * @param origin the run's origin
	 * @return what creates the strategies of each process of the run
	 */
	default Deployment deploy(EventLoop loop, Origin origin) {
		return deploy(loop);
	}

	/**
	 * A policy deployed in one run.
	 */
	@FunctionalInterface
	interface Deployment {

		/**
		 * Creates the state of one process.
		 * @param random the process's own random stream
		 * @return one new strategy per layer, the outermost first
		 */
		RetryStrategy[] newProcess(RandomGenerator random);

	}

}

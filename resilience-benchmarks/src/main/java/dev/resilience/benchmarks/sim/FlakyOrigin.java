package dev.resilience.benchmarks.sim;

import java.util.random.RandomGenerator;

/**
 * An origin of unlimited capacity that fails each request independently with
 * probability {@code p} after a fixed latency: the set-up in which the load of a retry
 * policy has a closed form, used to validate the simulator.
 */
public final class FlakyOrigin implements Origin {

	private final EventLoop loop;

	private final long latencyNanos;

	private final double failureProbability;

	private final RandomGenerator random;

	private final Recorder recorder;

	private FlakyOrigin(EventLoop loop, long latencyNanos, double failureProbability, RandomGenerator random,
			Recorder recorder) {
		if (!(failureProbability >= 0 && failureProbability <= 1)) {
			throw new IllegalArgumentException("failureProbability must be in [0, 1] but was " + failureProbability);
		}
		this.loop = loop;
		this.latencyNanos = latencyNanos;
		this.failureProbability = failureProbability;
		this.random = random;
		this.recorder = recorder;
	}

	/**
	 * @param loop the simulation's event loop
	 * @param latencyNanos how long every answer takes
	 * @param failureProbability the chance that an answer is an error
	 * @param random where failures are drawn from
	 * @param recorder where arrivals and completions are counted
	 * @return a new origin
	 */
	public static FlakyOrigin create(EventLoop loop, long latencyNanos, double failureProbability,
			RandomGenerator random, Recorder recorder) {
		return new FlakyOrigin(loop, latencyNanos, failureProbability, random, recorder);
	}

	@Override
	public void submit(Request request) {
		recorder.originArrival(loop.read());
		// Drawn at arrival, not at answer, so the outcome of a request does not depend on
		// how many other events share its instant.
		boolean success = random.nextDouble() >= failureProbability;
		loop.after(latencyNanos, () -> recorder.originCompletion(loop.read(), !request.respond(success)));
	}

}

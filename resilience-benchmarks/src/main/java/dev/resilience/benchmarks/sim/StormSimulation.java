package dev.resilience.benchmarks.sim;

import java.util.SplittableRandom;

import dev.resilience.core.bulkhead.Bulkhead;
import dev.resilience.core.bulkhead.BulkheadConfig;

/**
 * Runs one policy through one {@link StormScenario}.
 */
public final class StormSimulation {

	private StormSimulation() {
	}

	/**
	 * @param scenario the set-up
	 * @param policy what every client runs
	 * @param seed the seed of every random stream; the same seed gives the same run, and
	 * every policy sees the same arrivals for the same seed
	 * @return what happened
	 */
	public static StormResult run(StormScenario scenario, Policy policy, long seed) {
		SplittableRandom root = new SplittableRandom(seed);
		// Split in a fixed order, arrivals first, so that the arrivals do not depend on the
		// policy and every policy faces the same traffic.
		SplittableRandom arrivals = root.split();
		SplittableRandom clients = root.split();
		SplittableRandom service = root.split();
		long end = scenario.duration().toNanos();
		EventLoop loop = EventLoop.create();
		Recorder recorder = Recorder.create(scenario.bucket().toNanos(), end);
		QueueingOrigin origin = (scenario.admissionLimit() == 0)
				? QueueingOrigin.create(loop, scenario.workers(), scenario.serviceTime().toNanos(), scenario.slowdown(),
						service, recorder)
				: QueueingOrigin.shedding(loop, scenario.workers(), scenario.serviceTime().toNanos(),
						scenario.slowdown(), service, recorder,
						Bulkhead.of("origin", BulkheadConfig.ofMaxConcurrentCalls(scenario.admissionLimit())));
		ClientFleet fleet = ClientFleet.create(loop, policy, scenario.clients(), scenario.processes(), clients,
				origin, recorder, scenario.timeout().toNanos());
		fleet.generateArrivals(scenario.ratePerSecond(), end, arrivals);
		loop.runUntil(end);
		return new StormResult(scenario, policy, recorder, loop.firedEvents(), origin.queueLength());
	}

}

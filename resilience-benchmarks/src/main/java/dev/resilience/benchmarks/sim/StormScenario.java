package dev.resilience.benchmarks.sim;

import java.time.Duration;

/**
 * The set-up of a retry-storm run.
 *
 * @param name a short name for tables and file names
 * @param clients how many clients make requests
 * @param processes how many caller processes serve those clients, each one instance of
 * the retry library (one retry budget and one circuit breaker per layer) shared by its
 * clients; in {@code [1, clients]}
 * @param ratePerSecond logical requests per second across all clients (open loop)
 * @param workers the origin's concurrent workers
 * @param serviceTime the origin's mean time per request outside the slowdown
 * @param timeout the client's timeout per attempt
 * @param slowdown the trigger
 * @param duration how long the run lasts
 * @param bucket the resolution of the recorded time series
 * @param admissionLimit 0 for an origin that queues every request; otherwise the limit of
 * the library's {@code Bulkhead} the origin admits requests through, rejecting at once the
 * requests beyond it (in service and waiting together)
 */
public record StormScenario(String name, int clients, int processes, double ratePerSecond, int workers,
		Duration serviceTime, Duration timeout, Slowdown slowdown, Duration duration, Duration bucket,
		int admissionLimit) {

	public StormScenario {
		if (clients < 1 || workers < 1 || !(ratePerSecond > 0)) {
			throw new IllegalArgumentException("clients, workers and ratePerSecond must be positive but were "
					+ clients + ", " + workers + ", " + ratePerSecond);
		}
		if (slowdown.endNanos() > duration.toNanos()) {
			throw new IllegalArgumentException("slowdown must end before the run does");
		}
		if (admissionLimit < 0) {
			throw new IllegalArgumentException("admissionLimit must be >= 0 but was " + admissionLimit);
		}
		if (processes < 1 || processes > clients) {
			throw new IllegalArgumentException(
					"processes must be in [1, clients (" + clients + ")] but was " + processes);
		}
	}

	/**
	 * The post-mortem this library is built for: 1,000 clients offering 400 requests/s to
	 * an origin of 50 workers x 100 ms mean service time (500 requests/s), a 1 s client timeout, and the
	 * origin's dependency ten times slower for {@code triggerLength} starting at 10 s. Every
	 * client is its own process; see {@link #withProcesses(int)}.
	 * @param triggerLength how long the slowdown lasts
	 * @return the scenario, 120 s long, recorded in 100 ms buckets
	 */
	public static StormScenario postMortem(Duration triggerLength) {
		return new StormScenario("trigger-" + triggerLength.toSeconds() + "s", 1000, 1000, 400, 50,
				Duration.ofMillis(100), Duration.ofSeconds(1), new Slowdown(Duration.ofSeconds(10), triggerLength, 10),
				Duration.ofSeconds(120), Duration.ofMillis(100), 0);
	}

	/**
	 * @param duration the new length of the run
	 * @return this scenario with another length
	 */
	public StormScenario withDuration(Duration duration) {
		return new StormScenario(name, clients, processes, ratePerSecond, workers, serviceTime, timeout, slowdown,
				duration, bucket, admissionLimit);
	}

	/**
	 * @param processes how many caller processes share the clients
	 * @return this scenario with the clients spread over that many processes
	 */
	public StormScenario withProcesses(int processes) {
		return new StormScenario(name, clients, processes, ratePerSecond, workers, serviceTime, timeout, slowdown,
				duration, bucket, admissionLimit);
	}

	/**
	 * @param limit requests in service and waiting together beyond which the origin rejects
	 * at once, through the library's bulkhead
	 * @return this scenario with an origin that sheds load
	 */
	public StormScenario withAdmissionLimit(int limit) {
		return new StormScenario(name + "-shedding", clients, processes, ratePerSecond, workers, serviceTime, timeout,
				slowdown, duration, bucket, limit);
	}

	/**
	 * @return the origin's capacity in requests per second outside the slowdown
	 */
	public double capacityPerSecond() {
		return workers * 1e9 / serviceTime.toNanos();
	}

}

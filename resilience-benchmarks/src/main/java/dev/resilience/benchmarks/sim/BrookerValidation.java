package dev.resilience.benchmarks.sim;

import java.time.Duration;
import java.util.SplittableRandom;

import dev.resilience.benchmarks.sim.Recorder.Series;

/**
 * The set-up of Marc Brooker's "Fixing retries with token buckets and circuit breakers"
 * (2022): 100 clients each offering 10 requests per second to a service that fails each
 * request independently with probability {@code p}. There, a client that retries up to
 * {@code N} times sends {@code (1 - p^(N+1)) / (1 - p)} attempts per request on average
 * and succeeds with probability {@code 1 - p^(N+1)}; the simulator must reproduce both
 * before its storm results are believed.
 */
public final class BrookerValidation {

	/** Clients in the published set-up. */
	public static final int CLIENTS = 100;

	/** Requests per second of each client in the published set-up. */
	public static final double RATE_PER_CLIENT = 10;

	/** How long the service takes to answer, success or failure. */
	static final Duration LATENCY = Duration.ofMillis(10);

	private BrookerValidation() {
	}

	/**
	 * What one run measured.
	 *
	 * @param load attempts at the service per logical request
	 * @param success the share of logical requests that succeeded
	 * @param requests how many logical requests were offered
	 */
	public record Outcome(double load, double success, long requests) {
	}

	/**
	 * Runs the set-up for {@code duration}, then lets every call finish, so each offered
	 * request is counted with all of its attempts.
	 * @param policy what every client runs
	 * @param failureProbability {@code p}
	 * @param duration how long requests arrive
	 * @param seed the seed of every random stream
	 * @return what was measured
	 */
	public static Outcome run(Policy policy, double failureProbability, Duration duration, long seed) {
		return run(policy, failureProbability, CLIENTS, CLIENTS, CLIENTS * RATE_PER_CLIENT, duration, seed);
	}

	/**
	 * Runs the same set-up with other traffic: {@code clients} clients spread over
	 * {@code processes} processes (see {@link ClientFleet}), offering
	 * {@code ratePerSecond} in all. With {@code p = 1} this is a full outage that fails
	 * fast, the case in which a retry budget alone must bound the load.
	 * @param policy what every process runs
	 * @param failureProbability {@code p}
	 * @param clients how many clients make requests
	 * @param processes how many processes, each with its own retry state, serve them
	 * @param ratePerSecond requests per second across all clients
	 * @param duration how long requests arrive
	 * @param seed the seed of every random stream
	 * @return what was measured
	 */
	public static Outcome run(Policy policy, double failureProbability, int clients, int processes,
			double ratePerSecond, Duration duration, long seed) {
		SplittableRandom root = new SplittableRandom(seed);
		SplittableRandom arrivals = root.split();
		SplittableRandom streams = root.split();
		SplittableRandom failures = root.split();
		EventLoop loop = EventLoop.create();
		Recorder recorder = Recorder.create(Duration.ofSeconds(1).toNanos(), duration.toNanos());
		FlakyOrigin origin = FlakyOrigin.create(loop, LATENCY.toNanos(), failureProbability, failures, recorder);
		ClientFleet fleet = ClientFleet.create(loop, policy, clients, processes, streams, origin, recorder, 0);
		fleet.generateArrivals(ratePerSecond, duration.toNanos(), arrivals);
		loop.runToCompletion();
		long offered = recorder.total(Series.OFFERED);
		return new Outcome((double) recorder.total(Series.ORIGIN_ATTEMPTS) / offered,
				(double) recorder.total(Series.GOODPUT) / offered, offered);
	}

	/**
	 * @param retries {@code N}, retries after the first attempt
	 * @param p the failure probability
	 * @return the expected attempts per request, {@code (1 - p^(N+1)) / (1 - p)}, and its
	 * limit {@code N + 1} at {@code p = 1}
	 */
	public static double expectedLoad(int retries, double p) {
		if (p >= 1) {
			return retries + 1;
		}
		return (1 - Math.pow(p, retries + 1)) / (1 - p);
	}

	/**
	 * @param retries {@code N}, retries after the first attempt
	 * @param p the failure probability
	 * @return the expected share of requests that succeed, {@code 1 - p^(N+1)}
	 */
	public static double expectedSuccess(int retries, double p) {
		return 1 - Math.pow(p, retries + 1);
	}

}

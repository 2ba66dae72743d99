package dev.resilience.benchmarks.sim;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The clients: Poisson arrivals of logical requests, each assigned to one client, each
 * run through the policy's layers of retries down to the origin.
 * <p>
 * A logical request is a call at layer 0. Each attempt of a call at layer {@code k} is a
 * whole call at layer {@code k + 1}; an attempt of the innermost layer is a
 * {@link Request} to the origin with the client's timeout. A call fails when its strategy
 * gives up, which fails the attempt of the layer above. Only the innermost attempt has a
 * timeout: an outer layer waits for the layer below to finish, as a service waits for
 * its own retrying client library.
 * <p>
 * <b>Clients and processes.</b> A client is a source of requests; a process is one
 * instance of the retry library, with one strategy per layer (one retry budget, one
 * circuit breaker) shared by every client it serves. Client {@code c} runs in process
 * {@code c % processes}. With as many processes as clients, every client has its own
 * library; with fewer, each process serves the requests of many clients, as a service
 * instance serves many users.
 */
public final class ClientFleet implements Request.Listener {

	private final EventLoop loop;

	private final Origin origin;

	private final Recorder recorder;

	private final long timeoutNanos;

	private final int layers;

	private final int clients;

	/** Per process, per layer. */
	private final RetryStrategy[][] strategies;

	private ClientFleet(EventLoop loop, Policy policy, int clients, int processes, SplittableRandom random,
			Origin origin, Recorder recorder, long timeoutNanos) {
		if (clients < 1 || policy.layers() < 1) {
			throw new IllegalArgumentException(
					"clients and layers must be >= 1 but were " + clients + ", " + policy.layers());
		}
		if (processes < 1 || processes > clients) {
			throw new IllegalArgumentException(
					"processes must be in [1, clients (" + clients + ")] but was " + processes);
		}
		this.loop = loop;
		this.origin = origin;
		this.recorder = recorder;
		this.timeoutNanos = timeoutNanos;
		this.layers = policy.layers();
		this.clients = clients;
		this.strategies = new RetryStrategy[processes][];
		Policy.Deployment deployment = policy.deploy(loop, origin);
		for (int process = 0; process < processes; process++) {
			strategies[process] = deployment.newProcess(random.split());
			if (strategies[process].length != layers) {
				throw new IllegalStateException("a process of " + policy.name() + " must have " + layers
						+ " strategies but had " + strategies[process].length);
			}
		}
	}

	/**
	 * A fleet in which every client is its own process.
	 * @param loop the simulation's event loop and clock
	 * @param policy the retry policy every client runs
	 * @param clients how many clients, each with its own strategies
	 * @param random the source of the clients' own random streams
	 * @param origin what the innermost layer calls
	 * @param recorder where the outcomes are counted
	 * @param timeoutNanos the client's timeout per attempt at the origin; 0 for none
	 * @return a new fleet
	 */
	public static ClientFleet create(EventLoop loop, Policy policy, int clients, SplittableRandom random,
			Origin origin, Recorder recorder, long timeoutNanos) {
		return create(loop, policy, clients, clients, random, origin, recorder, timeoutNanos);
	}

	/**
	 * @param loop the simulation's event loop and clock
	 * @param policy the retry policy every process runs
	 * @param clients how many clients make requests
	 * @param processes how many processes, each with its own strategies, share the clients;
	 * in {@code [1, clients]}
	 * @param random the source of the processes' own random streams
	 * @param origin what the innermost layer calls
	 * @param recorder where the outcomes are counted
	 * @param timeoutNanos the client's timeout per attempt at the origin; 0 for none
	 * @return a new fleet
	 */
	public static ClientFleet create(EventLoop loop, Policy policy, int clients, int processes,
			SplittableRandom random, Origin origin, Recorder recorder, long timeoutNanos) {
		return new ClientFleet(loop, policy, clients, processes, random, origin, recorder, timeoutNanos);
	}

	/**
	 * Schedules logical requests as a Poisson process from now until {@code stopNanos}.
	 * Each goes to a client drawn uniformly, which makes each client's own arrivals a
	 * Poisson process too.
	 * @param ratePerSecond arrivals per second across all clients
	 * @param stopNanos no arrival at or after this time
	 * @param random where inter-arrival times and clients are drawn from
	 */
	public void generateArrivals(double ratePerSecond, long stopNanos, RandomGenerator random) {
		if (!(ratePerSecond > 0)) {
			throw new IllegalArgumentException("ratePerSecond must be > 0 but was " + ratePerSecond);
		}
		double meanGapNanos = 1e9 / ratePerSecond;
		scheduleNextArrival(meanGapNanos, stopNanos, random);
	}

	private void scheduleNextArrival(double meanGapNanos, long stopNanos, RandomGenerator random) {
		long gap = (long) (-Math.log(1 - random.nextDouble()) * meanGapNanos);
		long at = loop.read() + gap;
		if (at >= stopNanos) {
			return;
		}
		loop.at(at, () -> {
			startLogicalRequest(random.nextInt(clients));
			scheduleNextArrival(meanGapNanos, stopNanos, random);
		});
	}

	/**
	 * Starts one logical request now.
	 * @param client which client makes it
	 */
	public void startLogicalRequest(int client) {
		recorder.offered(loop.read());
		startCall(new Call(client % strategies.length, 0, null));
	}

	private void startCall(Call call) {
		strategies[call.process][call.layer].onCallStarted();
		attempt(call);
	}

	private void attempt(Call call) {
		call.attempt++;
		RetryStrategy.Permit permit = strategies[call.process][call.layer].beforeAttempt(call.attempt);
		if (permit == null) {
			recorder.count(Recorder.Series.REJECTED, loop.read());
			call.permit = null;
			attemptFailed(call, AttemptFailure.REJECTED);
			return;
		}
		call.permit = permit;
		call.attemptStartedNanos = loop.read();
		if (call.layer < layers - 1) {
			startCall(new Call(call.process, call.layer + 1, call));
			return;
		}
		Request request = new Request(this, call, loop.read());
		origin.submit(request);
		if (timeoutNanos > 0) {
			loop.after(timeoutNanos, request::timeOut);
		}
	}

	@Override
	public void onResponse(Request request, boolean success) {
		Call call = (Call) request.owner();
		if (success) {
			attemptSucceeded(call);
		}
		else {
			attemptFailed(call, AttemptFailure.ERROR);
		}
	}

	@Override
	public void onTimeout(Request request) {
		attemptFailed((Call) request.owner(), AttemptFailure.TIMEOUT);
	}

	private void attemptSucceeded(Call call) {
		call.permit.succeeded(loop.read() - call.attemptStartedNanos);
		if (call.parent == null) {
			recorder.count(Recorder.Series.GOODPUT, loop.read());
		}
		else {
			attemptSucceeded(call.parent);
		}
	}

	private void attemptFailed(Call call, AttemptFailure failure) {
		if (call.permit != null) {
			call.permit.failed(loop.read() - call.attemptStartedNanos, failure);
		}
		long delay = strategies[call.process][call.layer].onFailure(call.attempt, call.previousDelayNanos, failure);
		if (delay >= 0) {
			call.previousDelayNanos = delay;
			loop.after(delay, () -> attempt(call));
			return;
		}
		if (delay == RetryStrategy.BUDGET_DENIED) {
			recorder.budgetDenied(loop.read());
		}
		if (call.parent == null) {
			recorder.count(Recorder.Series.FAILED, loop.read());
		}
		else {
			attemptFailed(call.parent, AttemptFailure.ERROR);
		}
	}

	/**
	 * One call at one layer, across its attempts.
	 */
	private static final class Call {

		final int process;

		final int layer;

		final Call parent;

		int attempt;

		long previousDelayNanos;

		long attemptStartedNanos;

		RetryStrategy.Permit permit;

		Call(int process, int layer, Call parent) {
			this.process = process;
			this.layer = layer;
			this.parent = parent;
		}

	}

}

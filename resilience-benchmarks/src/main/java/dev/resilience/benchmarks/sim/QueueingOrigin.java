package dev.resilience.benchmarks.sim;

import java.util.ArrayDeque;
import java.util.random.RandomGenerator;

/**
 * An origin as a FIFO queue in front of a pool of workers whose service times are
 * exponentially distributed around a mean, so its capacity is
 * {@code workers / meanServiceTime}. Work started during a {@link Slowdown} takes
 * {@code factor} times longer. Service times vary because real ones do; a fixed one
 * would also put whole cohorts of requests in lockstep exactly at the client's timeout. It
 * never sheds load and never learns that a client gave up: an abandoned request is still served when its turn comes.
 */
public final class QueueingOrigin implements Origin {

	private final EventLoop loop;

	private final int workers;

	private final long serviceNanos;

	private final Slowdown slowdown;

	private final RandomGenerator random;

	private final Recorder recorder;

	private final ArrayDeque<Request> queue = new ArrayDeque<>();

	private int busy;

	private QueueingOrigin(EventLoop loop, int workers, long serviceNanos, Slowdown slowdown, RandomGenerator random,
			Recorder recorder) {
		if (workers < 1 || serviceNanos < 1) {
			throw new IllegalArgumentException(
					"workers and serviceNanos must be >= 1 but were " + workers + ", " + serviceNanos);
		}
		this.loop = loop;
		this.workers = workers;
		this.serviceNanos = serviceNanos;
		this.slowdown = slowdown;
		this.random = random;
		this.recorder = recorder;
	}

	/**
	 * @param loop the simulation's event loop
	 * @param workers how many requests are served at once
	 * @param serviceNanos the mean time of one request outside a slowdown
	 * @param slowdown when and how much the service time grows
	 * @param random where service times are drawn from
	 * @param recorder where arrivals and completions are counted
	 * @return a new origin
	 */
	public static QueueingOrigin create(EventLoop loop, int workers, long serviceNanos, Slowdown slowdown,
			RandomGenerator random, Recorder recorder) {
		return new QueueingOrigin(loop, workers, serviceNanos, slowdown, random, recorder);
	}

	@Override
	public void submit(Request request) {
		recorder.originArrival(loop.read());
		if (busy < workers) {
			serve(request);
		}
		else {
			queue.add(request);
			recorder.queueLength(loop.read(), queue.size());
		}
	}

	/**
	 * @return requests waiting for a worker
	 */
	public int queueLength() {
		return queue.size();
	}

	private void serve(Request request) {
		busy++;
		long now = loop.read();
		double mean = serviceNanos * slowdown.factorAt(now);
		long duration = (long) (-Math.log(1 - random.nextDouble()) * mean);
		loop.after(duration, () -> complete(request));
	}

	private void complete(Request request) {
		busy--;
		boolean delivered = request.respond(true);
		recorder.originCompletion(loop.read(), !delivered);
		Request next = queue.poll();
		if (next != null) {
			serve(next);
		}
	}

}

package dev.resilience.benchmarks.sim;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

import dev.resilience.core.bulkhead.Bulkhead;
import dev.resilience.core.bulkhead.BulkheadFullException;

/**
 * An origin as a FIFO queue in front of a pool of workers whose service times are
 * exponentially distributed around a mean, so its capacity is
 * {@code workers / meanServiceTime}. Work started during a {@link Slowdown} takes
 * {@code factor} times longer. Service times vary because real ones do; a fixed one
 * would also put whole cohorts of requests in lockstep exactly at the client's timeout. It
 * never learns that a client gave up: an abandoned request is still served when its turn
 * comes. By default it never sheds load either; with an admission bulkhead (the library's
 * real {@link Bulkhead}, without waiting) it rejects at once every request beyond the
 * bulkhead's limit, in service and waiting together, answering it as a failure after
 * {@link #REJECTION_NANOS}, so its queue, and the work abandoned in it, stays bounded.
 */
public final class QueueingOrigin implements Origin {

	private final EventLoop loop;

	private final int workers;

	private final long serviceNanos;

	private final Slowdown slowdown;

	private final RandomGenerator random;

	private final Recorder recorder;

	/** How long a rejection takes to reach the client: a short answer, no work. */
	static final long REJECTION_NANOS = 1_000_000;

	private final ArrayDeque<Request> queue = new ArrayDeque<>();

	/** {@code null} for an origin that queues every request. */
	private final Bulkhead admission;

	private final Map<Request, Bulkhead.Permit> admitted = new IdentityHashMap<>();

	private int busy;

	private QueueingOrigin(EventLoop loop, int workers, long serviceNanos, Slowdown slowdown, RandomGenerator random,
			Recorder recorder, Bulkhead admission) {
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
		this.admission = admission;
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
		return new QueueingOrigin(loop, workers, serviceNanos, slowdown, random, recorder, null);
	}

	/**
	 * An origin that admits requests through the library's bulkhead and rejects the rest at
	 * once; otherwise as {@link #create}.
	 * @param admission the bulkhead, without waiting: its limit counts the requests in
	 * service and waiting together
	 * @return a new origin
	 */
	public static QueueingOrigin shedding(EventLoop loop, int workers, long serviceNanos, Slowdown slowdown,
			RandomGenerator random, Recorder recorder, Bulkhead admission) {
		return new QueueingOrigin(loop, workers, serviceNanos, slowdown, random, recorder, admission);
	}

	@Override
	public void submit(Request request) {
		recorder.originArrival(loop.read());
		if (admission != null) {
			try {
				admitted.put(request, admission.acquireWithoutWaiting());
			}
			catch (BulkheadFullException ex) {
				loop.after(REJECTION_NANOS, () -> request.respond(false));
				return;
			}
		}
		if (busy < workers) {
			serve(request);
		}
		else {
			queue.add(request);
			recorder.queueLength(loop.read(), queue.size());
		}
	}

	@Override
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
		if (admission != null) {
			admitted.remove(request).release();
		}
		boolean delivered = request.respond(true);
		recorder.originCompletion(loop.read(), !delivered);
		Request next = queue.poll();
		if (next != null) {
			serve(next);
		}
	}

}

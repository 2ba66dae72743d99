package dev.resilience.benchmarks.sim;

import java.util.PriorityQueue;

import dev.resilience.core.time.Ticker;

/**
 * A discrete-event loop in virtual time. It is the simulation's only clock: as a
 * {@link Ticker} it can be handed to the library's own classes, which then see time move
 * exactly as the simulated events do, with no sleeping and no wall clock.
 * <p>
 * Events at the same instant fire in the order they were scheduled, so a run is fully
 * determined by its inputs and seed.
 */
public final class EventLoop implements Ticker {

	private final PriorityQueue<Scheduled> queue = new PriorityQueue<>();

	private long now;

	private long sequence;

	private long fired;

	/**
	 * @return a loop whose clock reads zero
	 */
	public static EventLoop create() {
		return new EventLoop();
	}

	private EventLoop() {
	}

	@Override
	public long read() {
		return now;
	}

	/**
	 * Runs {@code action} at an absolute time.
	 * @param atNanos when; must not be in the past
	 * @param action what to do then
	 */
	public void at(long atNanos, Runnable action) {
		if (atNanos < now) {
			throw new IllegalArgumentException("atNanos must be >= now (" + now + ") but was " + atNanos);
		}
		queue.add(new Scheduled(atNanos, sequence++, action));
	}

	/**
	 * Runs {@code action} after a delay from now.
	 * @param delayNanos how long from now; must not be negative
	 * @param action what to do then
	 */
	public void after(long delayNanos, Runnable action) {
		if (delayNanos < 0) {
			throw new IllegalArgumentException("delayNanos must be >= 0 but was " + delayNanos);
		}
		at(now + delayNanos, action);
	}

	/**
	 * Fires every event due at or before {@code endNanos}, then moves the clock to
	 * {@code endNanos}. Events scheduled later stay queued.
	 * @param endNanos where to stop
	 */
	public void runUntil(long endNanos) {
		while (!queue.isEmpty() && queue.peek().atNanos <= endNanos) {
			fireNext();
		}
		if (endNanos > now) {
			now = endNanos;
		}
	}

	/**
	 * Fires events until none is left.
	 */
	public void runToCompletion() {
		while (!queue.isEmpty()) {
			fireNext();
		}
	}

	/**
	 * @return how many events have fired so far
	 */
	public long firedEvents() {
		return fired;
	}

	/**
	 * @return how many events wait to fire
	 */
	public int pendingEvents() {
		return queue.size();
	}

	private void fireNext() {
		Scheduled next = queue.poll();
		now = next.atNanos;
		fired++;
		next.action.run();
	}

	private static final class Scheduled implements Comparable<Scheduled> {

		final long atNanos;

		final long sequence;

		final Runnable action;

		Scheduled(long atNanos, long sequence, Runnable action) {
			this.atNanos = atNanos;
			this.sequence = sequence;
			this.action = action;
		}

		@Override
		public int compareTo(Scheduled other) {
			int byTime = Long.compare(atNanos, other.atNanos);
			return (byTime != 0) ? byTime : Long.compare(sequence, other.sequence);
		}

	}

}

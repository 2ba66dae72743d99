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
 * <p>
 * A periodic event ({@link #every}) is background work: it fires in time order with the
 * others while they last, but does not keep {@link #runToCompletion()} going on its own.
 */
public final class EventLoop implements Ticker {

	private final PriorityQueue<Scheduled> queue = new PriorityQueue<>();

	private long now;

	private long sequence;

	private long fired;

	/** Pending events that are not background work. */
	private long foreground;

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
		schedule(atNanos, action, false);
	}

	/**
	 * Runs {@code action} at {@code firstAtNanos} and every {@code periodNanos} after, as
	 * background work: {@link #runToCompletion()} stops once only background events are
	 * left, so a periodic task ends with the work it serves.
	 * @param firstAtNanos the first time; must not be in the past
	 * @param periodNanos the time between runs; must be positive
	 * @param action what to do each time
	 */
	public void every(long firstAtNanos, long periodNanos, Runnable action) {
		if (firstAtNanos < now) {
			throw new IllegalArgumentException("firstAtNanos must be >= now (" + now + ") but was " + firstAtNanos);
		}
		if (periodNanos <= 0) {
			throw new IllegalArgumentException("periodNanos must be > 0 but was " + periodNanos);
		}
		schedule(firstAtNanos, () -> {
			action.run();
			every(now + periodNanos, periodNanos, action);
		}, true);
	}

	private void schedule(long atNanos, Runnable action, boolean background) {
		queue.add(new Scheduled(atNanos, sequence++, action, background));
		if (!background) {
			foreground++;
		}
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
	 * Fires events until none is left but background events, which stay queued.
	 */
	public void runToCompletion() {
		while (foreground > 0) {
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
	 * @return how many events wait to fire, background events included
	 */
	public int pendingEvents() {
		return queue.size();
	}

	private void fireNext() {
		Scheduled next = queue.poll();
		now = next.atNanos;
		fired++;
		if (!next.background) {
			foreground--;
		}
		next.action.run();
	}

	private static final class Scheduled implements Comparable<Scheduled> {

		final long atNanos;

		final long sequence;

		final Runnable action;

		final boolean background;

		Scheduled(long atNanos, long sequence, Runnable action, boolean background) {
			this.atNanos = atNanos;
			this.sequence = sequence;
			this.action = action;
			this.background = background;
		}

		@Override
		public int compareTo(Scheduled other) {
			int byTime = Long.compare(atNanos, other.atNanos);
			return (byTime != 0) ? byTime : Long.compare(sequence, other.sequence);
		}

	}

}

package dev.resilience.core.bulkhead;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import dev.resilience.core.time.Ticker;

/**
 * The permits of a bulkhead and one first-in, first-out queue of the calls waiting for
 * them, blocking and asynchronous alike: a permit given back while calls wait is handed to
 * the oldest of them, never left for a newcomer to take.
 * <p>
 * The count of free permits is one atomic integer. Taking a permit when nobody waits is
 * one compare-and-set, giving it back one increment and one volatile read, and neither
 * allocates. The queue is an intrusive doubly linked list under a short lock (a lock, not
 * {@code synchronized}: a virtual thread may hold it), so that a waiter that gives up
 * leaves it in O(1). Waiters are told they were served outside the lock.
 * <p>
 * Why no permit is lost between a caller that joins the queue and a caller that gives a
 * permit back: the joiner counts itself in {@link #waiting} and then tries the permits;
 * the giver adds its permit and then reads {@link #waiting}. One of the two sees the
 * other, so either the joiner takes the permit or the giver hands it over. Every waiter
 * settles exactly once, by a compare-and-set on its state: served, or abandoned (timed out
 * or cancelled); a permit handed to a waiter that has just abandoned goes back to the pool.
 * <p>
 * The count may be negative after an adaptive limit shrank below the calls running.
 */
final class PermitQueue {

	/**
	 * The free permits, at {@link #SLOT} of an array of {@code 2 x SLOT} ints: every
	 * admitted call writes it, so it gets 128 bytes of the array on each side (two cache
	 * lines: prefetchers fetch lines in pairs) and no other field or object shares its line.
	 * Otherwise the fields read on every call (this queue's {@code waiting}, the bulkhead's
	 * own), allocated right next to it, would be missed in every other core's cache after
	 * each admission.
	 */
	private final AtomicIntegerArray available;

	private static final int SLOT = 32;

	private final ReentrantLock lock = new ReentrantLock();

	/** Waiters, oldest first; guarded by {@link #lock}. */
	private Waiter head;

	private Waiter tail;

	/** How many waiters are linked; written under the lock, read without it. */
	private volatile int waiting;

	PermitQueue(int permits) {
		this.available = new AtomicIntegerArray(2 * SLOT);
		this.available.set(SLOT, permits);
	}

	/**
	 * Takes a permit if one is free and nobody waits, without waiting. A caller may slip
	 * in just as a waiter joins the queue, which costs that waiter one turn.
	 * @return whether a permit was taken
	 */
	boolean tryAcquire() {
		return waiting == 0 && tryTake();
	}

	/**
	 * Waits for a permit, parking the calling thread, in the queue with every other waiter.
	 * @param timeoutNanos how long to wait at most, on the system ticker
	 * @return whether a permit was taken; {@code false} when the time ran out
	 * @throws InterruptedException when the thread was interrupted before or while waiting
	 * (a permit handed over at that very moment is kept instead, with the interrupt flag set)
	 */
	boolean acquire(long timeoutNanos) throws InterruptedException {
		if (Thread.interrupted()) {
			throw new InterruptedException();
		}
		Ticker clock = Ticker.system();
		long start = clock.read();
		ThreadWaiter waiter = new ThreadWaiter(Thread.currentThread());
		if (enqueue(waiter)) {
			return true;
		}
		for (;;) {
			if (waiter.isGranted()) {
				return true;
			}
			if (Thread.interrupted()) {
				if (abandon(waiter)) {
					throw new InterruptedException();
				}
				// Served as the interrupt came: keep the permit and the caller's request to stop.
				Thread.currentThread().interrupt();
				return true;
			}
			// Elapsed time, not a deadline: a long timeout must not overflow.
			long remaining = timeoutNanos - (clock.read() - start);
			if (remaining <= 0) {
				// Lost to a hand-off at the last moment: then the permit is ours.
				return !abandon(waiter);
			}
			LockSupport.parkNanos(this, remaining);
		}
	}

	/**
	 * Joins the queue, or takes a permit at once when one is free and nobody is ahead.
	 * @param waiter a new waiter
	 * @return whether a permit was taken at once; otherwise the waiter is queued and will be
	 * {@linkplain Waiter#granted() told} when it is served, unless it is
	 * {@linkplain #abandon abandoned} first
	 */
	boolean enqueue(Waiter waiter) {
		lock.lock();
		try {
			// Counted before trying the permits: see the class comment.
			link(waiter);
			if (head == waiter && tryTake()) {
				unlink(waiter);
				waiter.state.set(Waiter.GRANTED);
				return true;
			}
			return false;
		}
		finally {
			lock.unlock();
		}
	}

	/**
	 * Gives up waiting: the waiter leaves the queue unless it has been served.
	 * @param waiter a waiter given to {@link #enqueue}
	 * @return whether this call abandoned it; {@code false} when it was served or
	 * abandoned before
	 */
	boolean abandon(Waiter waiter) {
		if (!waiter.state.compareAndSet(Waiter.WAITING, Waiter.ABANDONED)) {
			return false;
		}
		lock.lock();
		try {
			if (waiter.linked) {
				unlink(waiter);
			}
		}
		finally {
			lock.unlock();
		}
		return true;
	}

	/**
	 * Gives one permit back, to the oldest waiter if any.
	 */
	void release() {
		available.incrementAndGet(SLOT);
		if (waiting != 0) {
			handOver();
		}
	}

	/**
	 * Adds permits (an adaptive limit grew), handing them to waiters first.
	 * @param permits how many
	 */
	void release(int permits) {
		available.addAndGet(SLOT, permits);
		if (waiting != 0) {
			handOver();
		}
	}

	/**
	 * Removes permits (an adaptive limit shrank); the count may go below zero while more
	 * calls run than the new limit.
	 * @param permits how many
	 */
	void reduce(int permits) {
		available.addAndGet(SLOT, -permits);
	}

	/**
	 * @return the free permits now, negative while more calls run than the limit
	 */
	int availablePermits() {
		return available.get(SLOT);
	}

	/**
	 * @return how many callers wait now
	 */
	int waitingCount() {
		return waiting;
	}

	private boolean tryTake() {
		for (;;) {
			int current = available.get(SLOT);
			if (current <= 0) {
				return false;
			}
			if (available.compareAndSet(SLOT, current, current - 1)) {
				return true;
			}
		}
	}

	/**
	 * Hands free permits to waiters, oldest first. The state changes are made under the lock;
	 * the served waiters are told after it, since telling one may run its caller's code.
	 */
	private void handOver() {
		Waiter served = null;
		Waiter lastServed = null;
		lock.lock();
		try {
			while (head != null && tryTake()) {
				Waiter waiter = head;
				unlink(waiter);
				if (!waiter.state.compareAndSet(Waiter.WAITING, Waiter.GRANTED)) {
					// It timed out or was cancelled and is on its way out: the permit goes to
					// the next one, or back to the pool.
					available.incrementAndGet(SLOT);
					continue;
				}
				// Unlinked: its next pointer is free to chain the served waiters.
				if (lastServed == null) {
					served = waiter;
				}
				else {
					lastServed.next = waiter;
				}
				lastServed = waiter;
			}
		}
		finally {
			lock.unlock();
		}
		while (served != null) {
			Waiter next = served.next;
			served.next = null;
			served.granted();
			served = next;
		}
	}

	private void link(Waiter waiter) {
		waiter.prev = tail;
		if (tail == null) {
			head = waiter;
		}
		else {
			tail.next = waiter;
		}
		tail = waiter;
		waiter.linked = true;
		waiting = waiting + 1;
	}

	private void unlink(Waiter waiter) {
		Waiter prev = waiter.prev;
		Waiter next = waiter.next;
		if (prev == null) {
			head = next;
		}
		else {
			prev.next = next;
		}
		if (next == null) {
			tail = prev;
		}
		else {
			next.prev = prev;
		}
		waiter.prev = null;
		waiter.next = null;
		waiter.linked = false;
		waiting = waiting - 1;
	}

	/**
	 * One caller waiting for a permit. It settles once: served ({@link #granted()} is then
	 * called once, outside the queue's lock, and the caller owns a permit) or abandoned.
	 */
	abstract static class Waiter {

		static final int WAITING = 0;

		static final int GRANTED = 1;

		static final int ABANDONED = 2;

		final AtomicInteger state = new AtomicInteger(WAITING);

		// Guarded by the queue's lock; next also chains served waiters after they leave it.
		Waiter prev;

		Waiter next;

		boolean linked;

		/**
		 * The waiter was served: it owns a permit now and must deliver it or give it back.
		 */
		abstract void granted();

		boolean isGranted() {
			return state.get() == GRANTED;
		}

	}

	/** A thread parked in {@link #acquire(long)}. */
	private static final class ThreadWaiter extends Waiter {

		private final Thread thread;

		ThreadWaiter(Thread thread) {
			this.thread = thread;
		}

		@Override
		void granted() {
			LockSupport.unpark(thread);
		}

	}

}

package dev.resilience.core.time;

import java.time.Duration;
import java.util.Comparator;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Scheduler} for tests and simulations: tasks wait in a queue until a
 * {@link ManualTicker} reaches their time and the test says so, by {@link #runDue()} or
 * {@link #advance(Duration)}. Nothing runs on its own and no thread is involved, so a test
 * can observe a call while it waits for its backoff.
 * <p>
 * Thread-safe: tasks may be scheduled from any thread; they run on the thread that calls
 * {@code runDue} or {@code advance}, outside the queue's lock.
 */
public final class ManualScheduler implements Scheduler {

	private static final Comparator<Task> DUE_ORDER = Comparator.comparingLong((Task task) -> task.dueNanos)
		.thenComparingLong((task) -> task.sequence);

	private final ManualTicker ticker;

	// A lock, not synchronized: a test may drive this from virtual threads.
	private final ReentrantLock lock = new ReentrantLock();

	private final PriorityQueue<Task> queue = new PriorityQueue<>(DUE_ORDER);

	private long nextSequence;

	private ManualScheduler(ManualTicker ticker) {
		this.ticker = ticker;
	}

	/**
	 * @param ticker the time that decides when tasks are due
	 * @return a scheduler with no task
	 */
	public static ManualScheduler on(ManualTicker ticker) {
		return new ManualScheduler(Objects.requireNonNull(ticker, "ticker must not be null"));
	}

	@Override
	public Cancellable schedule(Runnable task, long delayNanos) {
		Objects.requireNonNull(task, "task must not be null");
		long now = ticker.read();
		long delay = Math.max(0, delayNanos);
		// Saturate: a delay of "forever" must not wrap round to the past.
		long due = (now > Long.MAX_VALUE - delay) ? Long.MAX_VALUE : now + delay;
		lock.lock();
		try {
			Task scheduled = new Task(task, due, nextSequence++);
			queue.add(scheduled);
			return () -> remove(scheduled);
		}
		finally {
			lock.unlock();
		}
	}

	private boolean remove(Task task) {
		lock.lock();
		try {
			return queue.remove(task);
		}
		finally {
			lock.unlock();
		}
	}

	/**
	 * Runs, in order of their time, the tasks due at the ticker's current reading,
	 * including those that running tasks schedule and that are already due.
	 * @return how many tasks ran
	 */
	public int runDue() {
		int ran = 0;
		for (Task task = pollDue(ticker.read()); task != null; task = pollDue(ticker.read())) {
			task.runnable.run();
			ran++;
		}
		return ran;
	}

	/**
	 * Moves time forward, stopping at each task's time to run it, so that every task sees
	 * the ticker at the instant it was due (and what it schedules in turn runs too if it
	 * falls within the advance).
	 * @param amount how far to move; must not be negative
	 * @return how many tasks ran
	 */
	public int advance(Duration amount) {
		long amountNanos = amount.toNanos();
		if (amountNanos < 0) {
			throw new IllegalArgumentException("amount must be >= 0 but was " + amount);
		}
		long start = ticker.read();
		long end = (start > Long.MAX_VALUE - amountNanos) ? Long.MAX_VALUE : start + amountNanos;
		int ran = runDue();
		for (OptionalLong due = nextDue(); due.isPresent() && due.getAsLong() <= end; due = nextDue()) {
			ticker.setTo(Math.max(due.getAsLong(), ticker.read()));
			ran += runDue();
		}
		ticker.setTo(Math.max(end, ticker.read()));
		return ran + runDue();
	}

	/**
	 * @return how many tasks wait to run
	 */
	public int pendingTasks() {
		lock.lock();
		try {
			return queue.size();
		}
		finally {
			lock.unlock();
		}
	}

	/**
	 * @return the ticker reading at which the next task is due; empty when none waits
	 */
	public OptionalLong nextDue() {
		lock.lock();
		try {
			Task next = queue.peek();
			return (next != null) ? OptionalLong.of(next.dueNanos) : OptionalLong.empty();
		}
		finally {
			lock.unlock();
		}
	}

	private Task pollDue(long now) {
		lock.lock();
		try {
			Task next = queue.peek();
			return (next != null && next.dueNanos <= now) ? queue.poll() : null;
		}
		finally {
			lock.unlock();
		}
	}

	@Override
	public String toString() {
		return "ManualScheduler[" + pendingTasks() + " pending at " + ticker.read() + "]";
	}

	private static final class Task {

		final Runnable runnable;

		final long dueNanos;

		final long sequence;

		Task(Runnable runnable, long dueNanos, long sequence) {
			this.runnable = runnable;
			this.dueNanos = dueNanos;
			this.sequence = sequence;
		}

	}

}

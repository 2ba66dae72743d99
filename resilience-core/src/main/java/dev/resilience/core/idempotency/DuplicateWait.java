package dev.resilience.core.idempotency;

import java.time.Duration;

import dev.resilience.core.time.Ticker;

/**
 * How long a duplicate pauses before it polls a key in progress again, shared by the
 * synchronous wait (which sleeps) and the asynchronous one (which schedules): the pause
 * starts short and doubles up to a cap, and the wait ends after {@code maxWait}.
 * One per waiting call; not thread-safe, since a call polls one poll at a time.
 */
final class DuplicateWait {

	/** First pause while polling a key in progress; doubles up to the cap. */
	private static final long FIRST_POLL_NANOS = Duration.ofMillis(10).toNanos();

	private static final long MAX_POLL_NANOS = Duration.ofMillis(250).toNanos();

	private final Ticker ticker;

	private final long maxWaitNanos;

	private final long start;

	private long pause = FIRST_POLL_NANOS;

	DuplicateWait(Ticker ticker, long maxWaitNanos) {
		this.ticker = ticker;
		this.maxWaitNanos = maxWaitNanos;
		this.start = ticker.read();
	}

	/**
	 * @return how long to pause before the next poll, or zero (or less) when the wait is
	 * over and the duplicate gets a conflict
	 */
	long nextPauseNanos() {
		long remaining = maxWaitNanos - (ticker.read() - start);
		if (remaining <= 0) {
			return 0;
		}
		long next = Math.min(pause, remaining);
		pause = Math.min(pause * 2, MAX_POLL_NANOS);
		return next;
	}

}

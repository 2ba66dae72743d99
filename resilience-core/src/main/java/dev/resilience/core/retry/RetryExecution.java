package dev.resilience.core.retry;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One call's way through a {@link Retry}, for a caller that runs the attempts itself and
 * cannot block between them, such as an asynchronous pipeline: it reports how each attempt
 * ended and is told whether to try again and after how long; it waits by scheduling the
 * next attempt, never by sleeping. Obtained from {@link Retry#startExecution()}.
 * <p>
 * The decisions are the retry's own, made by the same methods as its blocking loop: the
 * failure is classified, the attempts counted, the budget asked, the backoff computed, the
 * listener told and the call counted once at its end. When the call ends with a failure,
 * the earlier attempts' distinct failures are attached to it as suppressed, so the caller
 * completes with the last failure, unchanged.
 * <p>
 * Reports about one call come one after the other (an attempt ends before the next one
 * starts), possibly from different threads handing over through a future or a scheduler,
 * which orders them. Only {@link #abandon} may race with them; the end of the call is
 * decided by a compare-and-set, so the call is counted exactly once either way.
 * <p>
 * An execution started inside other retrying calls (blocking or asynchronous, captured
 * as a {@link RetryContext.Snapshot} when it starts) is nested in them as a blocking call
 * would be: the outermost call's {@link NestedRetryMode} governs; under
 * {@link NestedRetryMode#OUTERMOST} a nested execution makes one attempt, under
 * {@link NestedRetryMode#INNERMOST} it does not retry what a call nested in it has already
 * given up on, and what it gives up on is final for the calls around it. For calls nested
 * in this one to find it, the caller starts each attempt under {@link #context()}.
 */
public final class RetryExecution {

	/** The answer meaning: the call has ended; make no further attempt. */
	public static final long STOP = -1;

	private final Retry retry;

	private final int maxAttempts;

	private final AtomicBoolean finished = new AtomicBoolean();

	/** The calls this one was started in (stand-ins, or other executions' frames), then its own frame. */
	private final RetryNest.Frame[] frames;

	/** This call's own frame: where calls nested in it report what they gave up on. */
	private final RetryNest.Frame frame;

	/** Whether a failure is checked against the outcomes that nested calls gave up on. */
	private final boolean checksFinal;

	/** Built on first use: most executions nest nothing and never fail. */
	private RetryContext.Snapshot context;

	private RetryNest nest;

	// Plain fields: the caller's hand-over between attempts orders them (see above).
	// abandon() may read them racily; the worst outcome is an attempt counted in the wrong
	// call's total when a cancellation races with the start of an attempt.
	private int attemptNumber = 1;

	private boolean waiting;

	private long previousDelay;

	private Throwable lastError;

	private List<Throwable> earlierErrors;

	RetryExecution(Retry retry, RetryContext.Snapshot enclosing) {
		this.retry = retry;
		RetryNest.Frame[] outer = enclosing.frames();
		int index = outer.length;
		this.frames = java.util.Arrays.copyOf(outer, index + 1);
		this.frame = new RetryNest.Frame(index);
		// As on the blocking path: the outermost call's mode governs the nest.
		NestedRetryMode mode = (index == 0) ? retry.config().nested() : outer[0].mode;
		// Entering sets the frame's attempt to 1.
		this.frame.enter(mode, index == 0 || mode != NestedRetryMode.OUTERMOST);
		this.frames[index] = this.frame;
		this.maxAttempts = this.frame.mayRetry ? retry.config().maxAttempts() : 1;
		this.checksFinal = mode == NestedRetryMode.INNERMOST;
	}

	/**
	 * The current attempt failed.
	 * @param error the attempt's failure, unwrapped by the caller
	 * @return the wait in nanoseconds before the next attempt, or {@link #STOP} when the call
	 * ends with this failure (now carrying the earlier failures as suppressed)
	 */
	public long onFailure(Throwable error) {
		Objects.requireNonNull(error, "error must not be null");
		attemptEnded();
		if (lastError != null && lastError != error) {
			earlierErrors = Retry.remember(earlierErrors, lastError);
		}
		lastError = error;
		long minDelay = retry.minDelayBeforeRetry(error, attemptNumber, maxAttempts);
		if (minDelay == Retry.NOT_RETRIED || (checksFinal && nest().isFinalFailure(error)) || finished.get()
				|| !retry.acquireRetry()) {
			if (finish()) {
				retry.failed(error, earlierErrors, null, attemptNumber);
				reportFinal(error);
			}
			return STOP;
		}
		return retryAfter(error, minDelay);
	}

	/**
	 * The current attempt returned a result; it is retried only if the policy's
	 * {@link RetryConfig#retryOnResult()} accepts it.
	 * @param result the attempt's result
	 * @return the wait in nanoseconds before the next attempt, or {@link #STOP} when the call
	 * ends with this result
	 */
	public long onResult(Object result) {
		attemptEnded();
		if (!retry.retriesResult(result)) {
			if (finish()) {
				retry.finished(attemptNumber, true);
			}
			return STOP;
		}
		if (attemptNumber >= maxAttempts || (checksFinal && nest().isFinal(result)) || finished.get()
				|| !retry.acquireRetry()) {
			if (finish()) {
				retry.finished(attemptNumber, false);
				reportFinal(result);
			}
			return STOP;
		}
		return retryAfter(null, 0);
	}

	/**
	 * The current attempt succeeded and its result is not examined (a stream of values
	 * that completed): the call ends with a success.
	 */
	public void onSuccess() {
		attemptEnded();
		if (finish()) {
			retry.finished(attemptNumber, true);
		}
	}

	/**
	 * Ends the call without a further attempt, while an attempt runs or while waiting for
	 * the next one: the caller cancelled the call, or the wait could not be scheduled. The
	 * call counts as failed. Does nothing if the call has already ended.
	 * <p>
	 * With a reason, the last failure (if any) gets the reason and the earlier failures
	 * attached as suppressed, ready to be the call's outcome; this form must come from the
	 * thread that reported the last attempt, like the other reports. Without one (a
	 * cancellation, from any thread) the failures are left alone, since an attempt ending
	 * at that moment may still be adding to them.
	 * @param reason why, or {@code null}
	 * @return whether this call ended the execution
	 */
	public boolean abandon(Throwable reason) {
		if (!finish()) {
			return false;
		}
		if (reason != null && lastError != null) {
			retry.failed(lastError, earlierErrors, reason, attemptNumber);
			// The call ends with its last failure: final for the calls around it.
			reportFinal(lastError);
		}
		else {
			retry.finished(attemptNumber, false);
		}
		return true;
	}

	/**
	 * The wait that {@link #onFailure} or {@link #onResult} asked for is over and the next
	 * attempt starts now. Call it once after each such decision, before the attempt.
	 * @throws IllegalStateException when no retry was decided
	 */
	public void nextAttempt() {
		if (!waiting) {
			throw new IllegalStateException("no retry of " + retry.name() + " was decided");
		}
		waiting = false;
		attemptNumber++;
		frame.attempt = attemptNumber;
	}

	/**
	 * The retrying context of this call's current attempt: the calls it was started in
	 * and this call itself. Start each attempt with it applied
	 * ({@link RetryContext.Snapshot#apply()}), so that retrying calls started by the
	 * attempt, blocking or asynchronous, are nested in this one and
	 * {@link RetryContext#currentAttempt()} reads this call's attempt; or carry it to where
	 * such calls start later (a reactive subscription) and start them with
	 * {@link Retry#startExecution(RetryContext.Snapshot)}.
	 * @return the context, the same object for the whole call
	 */
	public RetryContext.Snapshot context() {
		if (context == null) {
			// Racy but harmless: any two snapshots of the same frames are equivalent.
			context = new RetryContext.Snapshot(frames);
		}
		return context;
	}

	/**
	 * @return the number of the current attempt, the first being 1
	 */
	public int attemptNumber() {
		return attemptNumber;
	}

	/**
	 * @return whether the call has ended
	 */
	public boolean isFinished() {
		return finished.get();
	}

	private void attemptEnded() {
		if (waiting) {
			throw new IllegalStateException("a retry of " + retry.name() + " was decided but nextAttempt() was not called");
		}
	}

	private long retryAfter(Throwable cause, long minDelay) {
		long delay = retry.delayNanos(attemptNumber, previousDelay, minDelay);
		retry.notifyRetry(attemptNumber, delay, cause);
		previousDelay = delay;
		waiting = true;
		return delay;
	}

	private boolean finish() {
		if (!finished.compareAndSet(false, true)) {
			return false;
		}
		// Reports from calls nested in this one that still arrive are for a call that is over.
		frame.retire();
		return true;
	}

	private RetryNest nest() {
		if (nest == null) {
			nest = RetryNest.of(frames);
		}
		return nest;
	}

	/**
	 * Tells the enclosing call that this one has given up on an outcome, so that it does not
	 * retry it; only in an {@link NestedRetryMode#INNERMOST} nest, as on the blocking path.
	 */
	private void reportFinal(Object outcome) {
		int index = frame.index;
		if (index > 0 && frame.mode == NestedRetryMode.INNERMOST) {
			frames[index - 1].rememberFinal(outcome);
		}
	}

	@Override
	public String toString() {
		return "RetryExecution[" + retry.name() + ", attempt " + attemptNumber + (finished.get() ? ", finished]" : "]");
	}

}

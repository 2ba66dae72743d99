package dev.resilience.core;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.resilience.core.bulkhead.Bulkhead;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerListener;
import dev.resilience.core.time.Ticker;

/**
 * The admission of one attempt by a pipeline's circuit breaker and bulkhead, for callers
 * whose attempt ends later, on another thread: an asynchronous call holds it from the
 * moment the attempt starts until its result arrives, it fails, or it is cancelled. Obtained
 * from {@link ResiliencePipeline#acquireAttemptPermit()}.
 * <p>
 * Exactly one report counts; the others return {@code false} and do nothing, so that an
 * attempt's completion and its cancellation may race safely. The report records the
 * outcome and the duration (on the pipeline's ticker) with the breaker, then gives the
 * bulkhead's permit back.
 */
public final class AttemptPermit {

	private final CircuitBreaker.Permit breakerPermit;

	private final Bulkhead.Permit bulkheadPermit;

	private final Ticker ticker;

	private final long startNanos;

	/** Whether the breaker reads the same ticker, so that it may hear the end's reading. */
	private final boolean breakerSharesTicker;

	private final AtomicBoolean ended = new AtomicBoolean();

	AttemptPermit(CircuitBreaker.Permit breakerPermit, Bulkhead.Permit bulkheadPermit, Ticker ticker,
			boolean breakerSharesTicker) {
		this.breakerPermit = breakerPermit;
		this.bulkheadPermit = bulkheadPermit;
		this.ticker = ticker;
		this.breakerSharesTicker = breakerSharesTicker;
		this.startNanos = (breakerPermit != null) ? ticker.read() : 0;
	}

	/**
	 * The attempt succeeded.
	 * @return whether this was the report that counted
	 */
	public boolean onSuccess() {
		if (!ended.compareAndSet(false, true)) {
			return false;
		}
		try {
			if (breakerPermit != null) {
				long end = ticker.read();
				breakerPermit.onSuccess(end - startNanos, breakerSharesTicker ? end : CircuitBreakerListener.NO_END);
			}
		}
		finally {
			if (bulkheadPermit != null) {
				bulkheadPermit.release();
			}
		}
		return true;
	}

	/**
	 * The attempt failed.
	 * @param error the failure, unwrapped from any {@code CompletionException}
	 * @return whether this was the report that counted
	 */
	public boolean onError(Throwable error) {
		if (!ended.compareAndSet(false, true)) {
			return false;
		}
		try {
			if (breakerPermit != null) {
				long end = ticker.read();
				breakerPermit.onError(end - startNanos, breakerSharesTicker ? end : CircuitBreakerListener.NO_END, error);
			}
		}
		finally {
			releaseFailed();
		}
		return true;
	}

	/**
	 * The attempt was cancelled: the breaker records nothing (and frees a half-open probe
	 * slot), the bulkhead gets its permit back.
	 * @return whether this was the report that counted
	 */
	public boolean onCancel() {
		if (!ended.compareAndSet(false, true)) {
			return false;
		}
		try {
			if (breakerPermit != null) {
				breakerPermit.onCancel();
			}
		}
		finally {
			// Often a caller's timeout: to an adaptive bulkhead, like a failure.
			releaseFailed();
		}
		return true;
	}

	/**
	 * @return whether the attempt has been reported
	 */
	public boolean isEnded() {
		return ended.get();
	}

	private void releaseFailed() {
		if (bulkheadPermit != null) {
			bulkheadPermit.releaseFailed();
		}
	}

}

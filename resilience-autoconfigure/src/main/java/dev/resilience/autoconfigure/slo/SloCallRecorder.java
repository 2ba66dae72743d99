package dev.resilience.autoconfigure.slo;

import java.util.List;
import java.util.Objects;

import dev.resilience.core.ExceptionClassifier;
import dev.resilience.core.slo.ErrorBudget;
import dev.resilience.core.time.Ticker;

/**
 * Records the logical calls of one annotated method into the error budgets of its
 * instances: one event per call, bad when the call threw an exception its instance counts
 * as a failure, or took longer than the objective's latency threshold. It wraps the whole
 * pipeline (retries, breaker and bulkhead) and sees the outcome before any fallback: a
 * call rescued by a fallback still failed its dependency.
 * <p>
 * Use: {@code long start = recorder.start();} before the call, then
 * {@link #succeeded(long)} or {@link #failed(long, Throwable)}. Recording allocates
 * nothing beyond the error budget's own (lock-free) counting; {@link #NONE} does nothing
 * and reads no clock.
 */
public final class SloCallRecorder {

	/** Records nothing: the method's instances have no objective. */
	public static final SloCallRecorder NONE = new SloCallRecorder(new ErrorBudget[0], new ExceptionClassifier[0],
			() -> 0L);

	private final ErrorBudget[] budgets;

	/** Per budget: which exceptions are bad events. */
	private final ExceptionClassifier[] failures;

	private final Ticker ticker;

	private SloCallRecorder(ErrorBudget[] budgets, ExceptionClassifier[] failures, Ticker ticker) {
		this.budgets = budgets;
		this.failures = failures;
		this.ticker = ticker;
	}

	/**
	 * @param budgets the budgets every call is recorded in
	 * @param failures per budget, the exceptions that make a call a bad event (the others
	 * leave it good, as a circuit breaker would not count them as failures)
	 * @param ticker measures the calls' durations
	 * @return a recorder, or {@link #NONE} when there is no budget
	 */
	public static SloCallRecorder of(List<ErrorBudget> budgets, List<ExceptionClassifier> failures, Ticker ticker) {
		if (budgets.size() != failures.size()) {
			throw new IllegalArgumentException("failures must have one classifier per budget (" + budgets.size()
					+ ") but had " + failures.size());
		}
		if (budgets.isEmpty()) {
			return NONE;
		}
		return new SloCallRecorder(budgets.toArray(new ErrorBudget[0]), failures.toArray(new ExceptionClassifier[0]),
				Objects.requireNonNull(ticker, "ticker must not be null"));
	}

	/**
	 * @return the start of a call, to pass to {@link #succeeded} or {@link #failed}
	 */
	public long start() {
		return (this.budgets.length == 0) ? 0L : this.ticker.read();
	}

	/**
	 * The call returned.
	 * @param startNanos what {@link #start()} returned
	 */
	public void succeeded(long startNanos) {
		if (this.budgets.length == 0) {
			return;
		}
		long durationNanos = this.ticker.read() - startNanos;
		for (ErrorBudget budget : this.budgets) {
			budget.recordCall(durationNanos, false);
		}
	}

	/**
	 * The call threw.
	 * @param startNanos what {@link #start()} returned
	 * @param error what it threw
	 */
	public void failed(long startNanos, Throwable error) {
		if (this.budgets.length == 0) {
			return;
		}
		long durationNanos = this.ticker.read() - startNanos;
		for (int i = 0; i < this.budgets.length; i++) {
			this.budgets[i].recordCall(durationNanos, this.failures[i].test(error));
		}
	}

	/**
	 * @return whether calls are recorded at all
	 */
	public boolean isRecording() {
		return this.budgets.length > 0;
	}

	@Override
	public String toString() {
		StringBuilder names = new StringBuilder("SloCallRecorder[");
		for (int i = 0; i < this.budgets.length; i++) {
			names.append((i > 0) ? ", " : "").append(this.budgets[i].name());
		}
		return names.append(']').toString();
	}

}

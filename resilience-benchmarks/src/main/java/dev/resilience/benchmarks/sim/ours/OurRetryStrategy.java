package dev.resilience.benchmarks.sim.ours;

import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;

import dev.resilience.benchmarks.sim.AttemptFailure;
import dev.resilience.benchmarks.sim.RetryStrategy;
import dev.resilience.core.circuitbreaker.CallNotPermittedException;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.circuitbreaker.CircuitBreakerListener;
import dev.resilience.core.retry.Backoff;
import dev.resilience.core.retry.RetryBudget;
import dev.resilience.core.retry.RetryConfig;
import dev.resilience.core.time.Ticker;

/**
 * One client's retry at one layer, decided by the library's own classes: the
 * {@link Backoff} computes each wait, the {@link RetryBudget} may refuse a retry, and an
 * optional {@link CircuitBreaker}, inside the retry as in the library's composition
 * order, may refuse an attempt. All of them read the simulation's clock.
 * <p>
 * {@link RetryConfig#nested()} is applied here from the layer's position, because the
 * simulator's nested calls are events, not a call stack the library could observe. As in
 * the library's retry loop, an attempt refused by the breaker is not retried (a refusal
 * means "overloaded") and asks nothing of the budget. As that loop does, a call dates its
 * budget deposit with the clock reading the breaker needs anyway, or leaves it undated
 * without a breaker; reports a success to the budget; and reports a call that gives up
 * after retrying, which suspends the budget's floor.
 */
final class OurRetryStrategy implements RetryStrategy {

	/** Shared and without a stack trace: only its type reaches the breaker. */
	private static final Throwable TIMEOUT = new TimeoutException("attempt timed out (simulated)") {

		private static final long serialVersionUID = 1L;

		@Override
		public synchronized Throwable fillInStackTrace() {
			return this;
		}

	};

	private static final Throwable ERROR = new RuntimeException("attempt failed (simulated)", null, false, false) {

		private static final long serialVersionUID = 1L;

	};

	private final RetryConfig config;

	private final Backoff backoff;

	private final RetryBudget budget;

	private final CircuitBreaker breaker;

	private final boolean retries;

	private final RandomGenerator random;

	private final Ticker ticker;

	OurRetryStrategy(RetryConfig config, CircuitBreakerConfig breakerConfig, int layer, int layers, Ticker ticker,
			RandomGenerator random) {
		this(config, (breakerConfig != null) ? CircuitBreaker.of(breakerName(layer), breakerConfig, ticker,
				CircuitBreakerListener.NOOP) : null, layer, layers, ticker, random);
	}

	/**
	 * @param breaker this layer's breaker, made by the caller (to give it a listener), or
	 * {@code null} for none; it must read {@code ticker}
	 */
	OurRetryStrategy(RetryConfig config, CircuitBreaker breaker, int layer, int layers, Ticker ticker,
			RandomGenerator random) {
		this.config = config;
		this.backoff = Backoff.of(config);
		this.budget = config.budget().enabled() ? RetryBudget.of(config.budget(), ticker, config.maxAttempts() - 1)
				: null;
		this.breaker = breaker;
		this.retries = switch (config.nested()) {
			case INNERMOST -> layer == layers - 1;
			case OUTERMOST -> layer == 0;
			case ALL -> true;
		};
		this.random = random;
		this.ticker = ticker;
	}

	/**
	 * @return the name of a layer's breaker, the same in every process, as the library
	 * names a breaker after its instance
	 */
	static String breakerName(int layer) {
		return "layer-" + layer;
	}

	@Override
	public void onCallStarted() {
		if (budget != null) {
			if (breaker != null) {
				// The library's pipeline reads the clock for the breaker and dates the deposit with it.
				budget.recordFirstAttempt(ticker.read());
			}
			else {
				budget.recordFirstAttempt();
			}
		}
	}

	@Override
	public Permit beforeAttempt(int attempt) {
		if (breaker == null) {
			return (budget != null) ? budgetOnly : Permit.NONE;
		}
		try {
			var permit = breaker.acquirePermission();
			return new Permit() {

				@Override
				public void succeeded(long durationNanos) {
					permit.onSuccess(durationNanos);
					if (budget != null) {
						budget.recordSuccess();
					}
				}

				@Override
				public void failed(long durationNanos, AttemptFailure failure) {
					permit.onError(durationNanos, (failure == AttemptFailure.TIMEOUT) ? TIMEOUT : ERROR);
				}

			};
		}
		catch (CallNotPermittedException ex) {
			return null;
		}
	}

	/** Without a breaker: reports successes to the budget only. */
	private final Permit budgetOnly = new Permit() {

		@Override
		public void succeeded(long durationNanos) {
			budget.recordSuccess();
		}

	};

	@Override
	public long onFailure(int attempt, long previousDelayNanos, AttemptFailure failure) {
		if (!retries || failure == AttemptFailure.REJECTED || attempt >= config.maxAttempts()) {
			return gaveUp(attempt, NO_RETRY);
		}
		if (budget != null && !budget.tryAcquireRetry()) {
			return gaveUp(attempt, BUDGET_DENIED);
		}
		return backoff.delayNanos(attempt, previousDelayNanos, random);
	}

	/** The call ends failed; after a retry that suspends the budget's floor, as in the library. */
	private long gaveUp(int attempt, long outcome) {
		if (budget != null && attempt > 1) {
			budget.recordFailureAfterRetry();
		}
		return outcome;
	}

}

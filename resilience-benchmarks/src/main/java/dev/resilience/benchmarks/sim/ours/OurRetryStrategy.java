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
 * means "overloaded") and asks nothing of the budget.
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

	OurRetryStrategy(RetryConfig config, CircuitBreakerConfig breakerConfig, int layer, int layers, Ticker ticker,
			RandomGenerator random) {
		this.config = config;
		this.backoff = Backoff.of(config);
		this.budget = config.budget().enabled() ? RetryBudget.of(config.budget(), ticker) : null;
		this.breaker = (breakerConfig != null)
				? CircuitBreaker.of("layer-" + layer, breakerConfig, ticker, CircuitBreakerListener.NOOP) : null;
		this.retries = switch (config.nested()) {
			case INNERMOST -> layer == layers - 1;
			case OUTERMOST -> layer == 0;
			case ALL -> true;
		};
		this.random = random;
	}

	@Override
	public void onCallStarted() {
		if (budget != null) {
			budget.recordFirstAttempt();
		}
	}

	@Override
	public Permit beforeAttempt(int attempt) {
		if (breaker == null) {
			return Permit.NONE;
		}
		try {
			var permit = breaker.acquirePermission();
			return new Permit() {

				@Override
				public void succeeded(long durationNanos) {
					permit.onSuccess(durationNanos);
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

	@Override
	public long onFailure(int attempt, long previousDelayNanos, AttemptFailure failure) {
		if (!retries || failure == AttemptFailure.REJECTED || attempt >= config.maxAttempts()) {
			return NO_RETRY;
		}
		if (budget != null && !budget.tryAcquireRetry()) {
			return BUDGET_DENIED;
		}
		return backoff.delayNanos(attempt, previousDelayNanos, random);
	}

}

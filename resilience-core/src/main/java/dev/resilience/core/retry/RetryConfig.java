package dev.resilience.core.retry;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.internal.Checks;

/**
 * Settings of one retry policy, validated on construction.
 *
 * @param maxAttempts attempts in all, the first included
 * @param initialBackoff the base wait after the first attempt
 * @param multiplier growth of the base wait per attempt
 * @param maxBackoff cap of any single wait
 * @param jitter how randomness is added to the wait
 * @param retryOn exception types that are retried; empty means every exception not ignored
 * @param ignore exception types that are never retried
 * @param retryOnResult results that are retried as if they had failed (never null; the
 * default retries no result)
 * @param nested which of nested retrying calls retries; only the outermost call's mode
 * applies to a nest (see {@link NestedRetryMode})
 * @param budget the retry budget
 */
public record RetryConfig(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff,
		Jitter jitter, List<Class<? extends Throwable>> retryOn, List<Class<? extends Throwable>> ignore,
		Predicate<Object> retryOnResult, NestedRetryMode nested, RetryBudgetConfig budget) {

	private static final Predicate<Object> NO_RESULT = result -> false;

	public RetryConfig {
		Checks.atLeast("maxAttempts", 1, maxAttempts);
		Checks.notNegative("initialBackoff", initialBackoff);
		Checks.atLeast("multiplier", 1.0, multiplier);
		if (Double.isInfinite(multiplier)) {
			throw new InvalidConfigException("multiplier", "must be finite", multiplier);
		}
		Checks.notNegative("maxBackoff", maxBackoff);
		if (maxBackoff.compareTo(initialBackoff) < 0) {
			throw new InvalidConfigException("maxBackoff", "must be >= initialBackoff (" + initialBackoff + ")",
					maxBackoff);
		}
		Checks.notNull("jitter", jitter);
		retryOn = Checks.exceptionTypes("retryOn", retryOn);
		ignore = Checks.exceptionTypes("ignore", ignore);
		Checks.notNull("retryOnResult", retryOnResult);
		Checks.notNull("nested", nested);
		Checks.notNull("budget", budget);
	}

	/**
	 * @return whether results are ever retried
	 */
	public boolean retriesResults() {
		return retryOnResult != NO_RESULT;
	}

	/**
	 * @return the documented defaults
	 */
	public static RetryConfig defaults() {
		return builder().build();
	}

	/**
	 * @return a builder starting from the documented defaults
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * @return a builder starting from this configuration
	 */
	public Builder toBuilder() {
		return new Builder().maxAttempts(maxAttempts)
			.initialBackoff(initialBackoff)
			.multiplier(multiplier)
			.maxBackoff(maxBackoff)
			.jitter(jitter)
			.retryOn(retryOn)
			.ignore(ignore)
			.retryOnResult(retryOnResult)
			.nested(nested)
			.budget(budget);
	}

	/**
	 * Builds a {@link RetryConfig}; validation happens in {@link #build()}.
	 */
	public static final class Builder {

		private int maxAttempts = 3;

		private Duration initialBackoff = Duration.ofMillis(100);

		private double multiplier = 2.0;

		private Duration maxBackoff = Duration.ofSeconds(10);

		private Jitter jitter = Jitter.FULL;

		private List<Class<? extends Throwable>> retryOn = List.of();

		private List<Class<? extends Throwable>> ignore = List.of();

		private Predicate<Object> retryOnResult = NO_RESULT;

		private NestedRetryMode nested = NestedRetryMode.INNERMOST;

		private RetryBudgetConfig budget = RetryBudgetConfig.defaults();

		private Builder() {
		}

		public Builder maxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
			return this;
		}

		public Builder initialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
			return this;
		}

		public Builder multiplier(double multiplier) {
			this.multiplier = multiplier;
			return this;
		}

		public Builder maxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
			return this;
		}

		public Builder jitter(Jitter jitter) {
			this.jitter = jitter;
			return this;
		}

		public Builder retryOn(List<Class<? extends Throwable>> retryOn) {
			this.retryOn = retryOn;
			return this;
		}

		public Builder ignore(List<Class<? extends Throwable>> ignore) {
			this.ignore = ignore;
			return this;
		}

		/**
		 * @param retryOnResult results to retry; {@code null} retries no result
		 * @return this builder
		 */
		public Builder retryOnResult(Predicate<Object> retryOnResult) {
			this.retryOnResult = (retryOnResult != null) ? retryOnResult : NO_RESULT;
			return this;
		}

		public Builder nested(NestedRetryMode nested) {
			this.nested = nested;
			return this;
		}

		public Builder budget(RetryBudgetConfig budget) {
			this.budget = budget;
			return this;
		}

		public RetryConfig build() {
			return new RetryConfig(maxAttempts, initialBackoff, multiplier, maxBackoff, jitter, retryOn, ignore,
					retryOnResult, nested, budget);
		}

	}

}

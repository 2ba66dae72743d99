package dev.resilience.core.retry;

import java.time.Duration;

import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.internal.Checks;

/**
 * Settings of a retry budget: a token bucket in which every first attempt deposits
 * {@code ratio} tokens, every retry withdraws one, deposits expire after {@code window},
 * and {@code minRetriesPerSecond} retries per second are allowed while retries succeed (a call
 * that fails although it retried suspends this floor until an attempt succeeds). The floor is a
 * minimum, not an addition: a window allows {@code max(minRetriesPerSecond x window,
 * ratio x first attempts)} retries, so with the defaults (ratio 0.1, floor 1/s) a failing
 * instance of at least 10 requests per second retries at most 0.1 times per request.
 *
 * @param enabled whether retries are limited by the budget at all
 * @param ratio retries allowed per first attempt over the window, in [0, 1]
 * @param minRetriesPerSecond retries per second allowed whatever the traffic while retries
 * succeed: the least the budget allows, not an amount added to what the ratio earns
 * @param window how long a deposit stays in the bucket
 */
public record RetryBudgetConfig(boolean enabled, double ratio, int minRetriesPerSecond, Duration window) {

	public RetryBudgetConfig {
		Checks.ratio("ratio", ratio);
		Checks.atLeast("minRetriesPerSecond", 0, minRetriesPerSecond);
		Checks.positive("window", window);
		if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofMinutes(10)) > 0) {
			throw new InvalidConfigException("window", "must be in [1s, 10m]", window);
		}
	}

	/**
	 * @return the documented defaults: enabled, ratio 0.1, at least 1 retry per second, 10s window
	 */
	public static RetryBudgetConfig defaults() {
		return new RetryBudgetConfig(true, 0.1, 1, Duration.ofSeconds(10));
	}

	/**
	 * @return a disabled budget: retries are limited by {@code maxAttempts} only
	 */
	public static RetryBudgetConfig disabled() {
		return new RetryBudgetConfig(false, 0.1, 1, Duration.ofSeconds(10));
	}

}

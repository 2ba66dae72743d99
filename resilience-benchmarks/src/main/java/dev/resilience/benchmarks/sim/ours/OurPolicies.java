package dev.resilience.benchmarks.sim.ours;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import dev.resilience.benchmarks.sim.Policy;
import dev.resilience.benchmarks.sim.RetryStrategy;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.retry.NestedRetryMode;
import dev.resilience.core.retry.RetryBudgetConfig;
import dev.resilience.core.retry.RetryConfig;
import dev.resilience.core.time.Ticker;

/**
 * The library's policies for the simulator: its defaults, variants of the retry budget's
 * per-second floor, three nested layers with {@code nested: innermost}, and the budget
 * shaped like a plain token bucket for the validation. Each process of a fleet gets its
 * own {@link OurRetryStrategy} per layer, so one budget and one breaker per process and
 * layer, as the library keeps one of each per instance name in a process.
 */
public final class OurPolicies {

	/** The library's default floor, {@code min-retries-per-second}. */
	public static final int DEFAULT_FLOOR = RetryBudgetConfig.defaults().minRetriesPerSecond();

	private OurPolicies() {
	}

	/**
	 * @return the library's defaults: 3 attempts, 100 ms x2 full jitter, budget ratio 0.1
	 * with a floor of 1 retry/s over 10 s, and a default circuit breaker inside the retry
	 */
	public static Policy defaults() {
		return of(DEFAULT_FLOOR, CircuitBreakerConfig.defaults());
	}

	/**
	 * The library's retry defaults with another budget floor and another breaker, named
	 * after what differs from the defaults.
	 * @param minRetriesPerSecond the budget's floor, {@code min-retries-per-second}
	 * @param breaker the circuit breaker inside the retry, or {@code null} for none
	 * @return that policy
	 */
	public static Policy of(int minRetriesPerSecond, CircuitBreakerConfig breaker) {
		RetryConfig retry = RetryConfig.defaults().toBuilder().budget(budget(minRetriesPerSecond)).build();
		List<String> changes = new ArrayList<>();
		if (minRetriesPerSecond != DEFAULT_FLOOR) {
			changes.add("floor " + minRetriesPerSecond);
		}
		if (breaker == null) {
			changes.add("no breaker");
		}
		else if (!breaker.equals(CircuitBreakerConfig.defaults())) {
			changes.add("open " + breaker.openDuration().toSeconds() + " s");
		}
		String name = changes.isEmpty() ? "ours (defaults)" : "ours (" + String.join(", ", changes) + ")";
		String description = "library defaults (3 attempts, 100 ms x2 full jitter, budget ratio 0.1 over 10 s) with a "
				+ "floor of " + minRetriesPerSecond + ((minRetriesPerSecond == 1) ? " retry/s, " : " retries/s, ")
				+ ((breaker == null) ? "no circuit breaker"
						: "circuit breaker (count window 100, minimum 20 calls, 50% failures, open "
								+ breaker.openDuration().toSeconds() + " s, 3 half-open calls)");
		return policy(name, description, 1, retry, breaker);
	}

	/**
	 * @return three nested layers of the library, 4 attempts each, with
	 * {@code nested: innermost}, defaults otherwise (budget and breaker at every layer)
	 */
	public static Policy nestedInnermost() {
		RetryConfig retry = RetryConfig.defaults().toBuilder().maxAttempts(4).nested(NestedRetryMode.INNERMOST).build();
		return policy("3 layers, ours (nested: innermost)",
				"3 nested layers of the library, 4 attempts each, nested: innermost, defaults otherwise "
						+ "(budget and breaker at every layer)",
				3, retry, CircuitBreakerConfig.defaults());
	}

	/**
	 * A retry of up to 3 immediate retries limited by the library's {@code RetryBudget},
	 * ratio 0.1 over 10 s, without a breaker: the token bucket of the validation set-up.
	 * @param minRetriesPerSecond the budget's floor, a minimum; 0 makes it a plain token bucket
	 * @return that policy
	 */
	public static Policy tokenBucket(int minRetriesPerSecond) {
		RetryConfig retry = RetryConfig.defaults()
			.toBuilder()
			.maxAttempts(4)
			.initialBackoff(Duration.ZERO)
			.maxBackoff(Duration.ZERO)
			.budget(budget(minRetriesPerSecond))
			.build();
		return policy("budget, floor " + minRetriesPerSecond,
				"up to 3 immediate retries, RetryBudget ratio 0.1 over 10 s, floor " + minRetriesPerSecond
						+ " retries/s, no breaker",
				1, retry, null);
	}

	private static RetryBudgetConfig budget(int minRetriesPerSecond) {
		RetryBudgetConfig defaults = RetryBudgetConfig.defaults();
		return new RetryBudgetConfig(true, defaults.ratio(), minRetriesPerSecond, defaults.window());
	}

	private static Policy policy(String name, String description, int layers, RetryConfig retry,
			CircuitBreakerConfig breaker) {
		return new Policy() {

			@Override
			public String name() {
				return name;
			}

			@Override
			public String description() {
				return description;
			}

			@Override
			public int layers() {
				return layers;
			}

			@Override
			public RetryStrategy newStrategy(int layer, Ticker ticker, RandomGenerator random) {
				return new OurRetryStrategy(retry, breaker, layer, layers, ticker, random);
			}

		};
	}

}

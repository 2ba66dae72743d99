package dev.resilience.benchmarks.sim.ours;

import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

import dev.resilience.benchmarks.sim.LibraryPolicies;
import dev.resilience.benchmarks.sim.Policy;
import dev.resilience.benchmarks.sim.RetryStrategy;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.retry.NestedRetryMode;
import dev.resilience.core.retry.RetryBudgetConfig;
import dev.resilience.core.retry.RetryConfig;
import dev.resilience.core.time.Ticker;

/**
 * The library's policies for the simulator, found by {@link LibraryPolicies#load()}.
 */
public final class OurPolicies implements LibraryPolicies {

	@Override
	public List<Policy> storm() {
		RetryConfig threeRetries = RetryConfig.defaults().toBuilder().maxAttempts(4).build();
		return List.of(
				policy("ours (defaults)",
						"library defaults: 3 attempts, 100 ms x2 full jitter, budget 0.1 + 10/s over 10 s, breaker",
						1, RetryConfig.defaults(), CircuitBreakerConfig.defaults()),
				// Not a default: shows what the per-second floor costs when each client is small.
				policy("ours (budget floor 0)",
						"library defaults but min-retries-per-second 0: the budget alone bounds retries", 1,
						RetryConfig.defaults()
							.toBuilder()
							.budget(new RetryBudgetConfig(true, 0.1, 0, Duration.ofSeconds(10)))
							.build(),
						CircuitBreakerConfig.defaults()),
				policy("3 layers, ours (nested: innermost)",
						"3 nested layers of the library, 4 attempts each, nested: innermost, defaults otherwise", 3,
						threeRetries.toBuilder().nested(NestedRetryMode.INNERMOST).build(),
						CircuitBreakerConfig.defaults()));
	}

	@Override
	public Policy tokenBucket() {
		return policy("budget 0.1, no floor", "budget ratio 0.1, 0 retries/s floor, 10 s window", 1,
				immediateRetries(new RetryBudgetConfig(true, 0.1, 0, Duration.ofSeconds(10))), null);
	}

	@Override
	public Policy defaultBudget() {
		return policy("budget defaults", "budget defaults (ratio 0.1, 10 retries/s floor, 10 s window)", 1,
				immediateRetries(RetryBudgetConfig.defaults()), null);
	}

	private static RetryConfig immediateRetries(RetryBudgetConfig budget) {
		return RetryConfig.defaults()
			.toBuilder()
			.maxAttempts(4)
			.initialBackoff(Duration.ZERO)
			.maxBackoff(Duration.ZERO)
			.budget(budget)
			.build();
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

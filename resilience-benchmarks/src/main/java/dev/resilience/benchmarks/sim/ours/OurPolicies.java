package dev.resilience.benchmarks.sim.ours;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import dev.resilience.benchmarks.sim.EventLoop;
import dev.resilience.benchmarks.sim.NamedPolicy;
import dev.resilience.benchmarks.sim.Policy;
import dev.resilience.benchmarks.sim.RetryStrategy;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.circuitbreaker.SlidingWindowType;
import dev.resilience.core.circuitbreaker.fleet.CircuitBreakerFleet;
import dev.resilience.core.circuitbreaker.fleet.FleetOutcomeStore;
import dev.resilience.core.circuitbreaker.fleet.InMemoryFleetOutcomeStore;
import dev.resilience.core.retry.NestedRetryMode;
import dev.resilience.core.retry.RetryBudgetConfig;
import dev.resilience.core.retry.RetryConfig;
import dev.resilience.core.time.Ticker;

/**
 * The library's policies for the simulator: its defaults, variants of the retry budget's
 * per-second floor and of the breaker's open period, three nested layers with
 * {@code nested: innermost}, breakers that open on the fleet's outcomes, and the budget
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
	 * (its open period growing from {@code openDuration} after failed probes)
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
			CircuitBreakerConfig defaults = CircuitBreakerConfig.defaults();
			boolean sameWindow = breaker.slidingWindowType() == defaults.slidingWindowType()
					&& breaker.slidingWindowSize() == defaults.slidingWindowSize()
					&& breaker.minimumCalls() == defaults.minimumCalls();
			boolean sameOpen = breaker.openDuration().equals(defaults.openDuration())
					&& breaker.openDurationMultiplier() == defaults.openDurationMultiplier()
					&& breaker.maxOpenDuration().equals(defaults.maxOpenDuration());
			boolean sameRow = breaker.consecutiveFailureThreshold() == defaults.consecutiveFailureThreshold();
			boolean sameProbes = breaker.halfOpenCalls() == defaults.halfOpenCalls();
			if (!sameRow) {
				changes.add(rowName(breaker));
			}
			if (!sameWindow) {
				changes.add(windowName(breaker));
			}
			if (!sameProbes) {
				changes.add(probesName(breaker));
			}
			if (!sameOpen || (sameWindow && sameRow && sameProbes)) {
				changes.add(openPeriodName(breaker));
			}
		}
		String name = changes.isEmpty() ? "ours (defaults)" : "ours (" + String.join(", ", changes) + ")";
		String description = "library defaults (3 attempts, 100 ms x2 full jitter, budget ratio 0.1 over 10 s) with a "
				+ "floor of " + minRetriesPerSecond + ((minRetriesPerSecond == 1) ? " retry/s, " : " retries/s, ")
				+ ((breaker == null) ? "no circuit breaker"
						: "circuit breaker (" + windowDescription(breaker) + ", 50% failures, "
								+ rowDescription(breaker) + ", open "
								+ openPeriodDescription(breaker) + ", " + probesName(breaker) + ")");
		return policy(name, description, 1, retry, breaker);
	}

	/**
	 * @param duration the first open period
	 * @return the library's default breaker with a fixed open period of that length
	 */
	public static CircuitBreakerConfig fixedOpen(Duration duration) {
		return CircuitBreakerConfig.defaults()
			.toBuilder()
			.openDuration(duration)
			.openDurationMultiplier(1)
			.maxOpenDuration(duration)
			.build();
	}

	/**
	 * @param first the first open period
	 * @param multiplier its growth after each failed round of probes
	 * @param max the longest open period
	 * @return the library's default breaker with that growing open period
	 */
	public static CircuitBreakerConfig growingOpen(Duration first, double multiplier, Duration max) {
		return CircuitBreakerConfig.defaults()
			.toBuilder()
			.openDuration(first)
			.openDurationMultiplier(multiplier)
			.maxOpenDuration(max)
			.build();
	}

	/**
	 * @param breaker a breaker's settings
	 * @return whether its open period never grows
	 */
	public static boolean isFixed(CircuitBreakerConfig breaker) {
		return breaker.openDurationMultiplier() == 1 || breaker.maxOpenDuration().equals(breaker.openDuration());
	}

	/**
	 * @param breaker a breaker's settings
	 * @param size its sliding window's size, in calls or seconds by its type
	 * @param minimumCalls its minimum number of calls
	 * @return the same breaker with that window
	 */
	public static CircuitBreakerConfig window(CircuitBreakerConfig breaker, int size, int minimumCalls) {
		return breaker.toBuilder().slidingWindowSize(size).minimumCalls(minimumCalls).build();
	}

	/**
	 * @param breaker a breaker's settings
	 * @param threshold failures in a row that open it, 0 for none
	 * @return the same breaker with that threshold
	 */
	public static CircuitBreakerConfig inARow(CircuitBreakerConfig breaker, int threshold) {
		return breaker.toBuilder().consecutiveFailureThreshold(threshold).build();
	}

	/**
	 * @param breaker a breaker's settings
	 * @param calls probes it admits while half-open
	 * @return the same breaker with that many probes
	 */
	public static CircuitBreakerConfig halfOpen(CircuitBreakerConfig breaker, int calls) {
		return breaker.toBuilder().halfOpenCalls(calls).build();
	}

	/**
	 * @param breaker a breaker's settings
	 * @return its probes per round in a policy's name: {@code 1 half-open call},
	 * {@code 3 half-open calls}
	 */
	public static String probesName(CircuitBreakerConfig breaker) {
		return breaker.halfOpenCalls() + ((breaker.halfOpenCalls() == 1) ? " half-open call" : " half-open calls");
	}

	/**
	 * @param breaker a breaker's settings
	 * @return its probes per round in prose: {@code one probe}, {@code 3 probes}
	 */
	public static String probesPerRound(CircuitBreakerConfig breaker) {
		return (breaker.halfOpenCalls() == 1) ? "one probe" : breaker.halfOpenCalls() + " probes";
	}

	/**
	 * @param breaker a breaker's settings
	 * @return its consecutive-failure threshold in a policy's name: {@code 5 in a row},
	 * {@code no row}
	 */
	public static String rowName(CircuitBreakerConfig breaker) {
		return (breaker.consecutiveFailureThreshold() == 0) ? "no row"
				: breaker.consecutiveFailureThreshold() + " in a row";
	}

	/**
	 * @param breaker a breaker's settings
	 * @return its consecutive-failure threshold in words
	 */
	public static String rowDescription(CircuitBreakerConfig breaker) {
		int threshold = breaker.consecutiveFailureThreshold();
		return (threshold == 0) ? "no consecutive-failure trip"
				: (threshold == 1) ? "or on any failure" : "or " + threshold + " failures in a row";
	}

	/**
	 * @param breaker a breaker's settings
	 * @return its window in a policy's name: {@code window 20 calls, minimum 10}
	 */
	public static String windowName(CircuitBreakerConfig breaker) {
		return "window " + breaker.slidingWindowSize()
				+ ((breaker.slidingWindowType() == SlidingWindowType.COUNT) ? " calls" : " s") + ", minimum "
				+ breaker.minimumCalls();
	}

	/**
	 * @param breaker a breaker's settings
	 * @return its window in words: {@code count window 100, minimum 20 calls}
	 */
	public static String windowDescription(CircuitBreakerConfig breaker) {
		return ((breaker.slidingWindowType() == SlidingWindowType.COUNT) ? "count window " : "time window ")
				+ breaker.slidingWindowSize()
				+ ((breaker.slidingWindowType() == SlidingWindowType.COUNT) ? "" : " s") + ", minimum "
				+ breaker.minimumCalls() + " calls";
	}

	/**
	 * @param breaker a breaker's settings
	 * @return its open period in a policy's name: {@code open 30 s fixed},
	 * {@code open 1 s x1.5 to 30 s}
	 */
	public static String openPeriodName(CircuitBreakerConfig breaker) {
		return "open " + (isFixed(breaker) ? seconds(breaker.openDuration()) + " fixed"
				: seconds(breaker.openDuration()) + " x" + plain(breaker.openDurationMultiplier()) + " to "
						+ seconds(breaker.maxOpenDuration()));
	}

	/**
	 * @param breaker a breaker's settings
	 * @return its open period in words: {@code 30 s, fixed},
	 * {@code 1 s, then x1.5 after each failed round of probes, up to 30 s}
	 */
	public static String openPeriodDescription(CircuitBreakerConfig breaker) {
		return isFixed(breaker) ? seconds(breaker.openDuration()) + ", fixed"
				: seconds(breaker.openDuration()) + ", then x" + plain(breaker.openDurationMultiplier())
						+ " after each failed round of probes, up to " + seconds(breaker.maxOpenDuration());
	}

	/**
	 * @param duration a duration
	 * @return it in seconds without trailing zeros: {@code 30 s}, {@code 0.5 s}
	 */
	public static String seconds(Duration duration) {
		return BigDecimal.valueOf(duration.toNanos(), 9).stripTrailingZeros().toPlainString() + " s";
	}

	private static String plain(double value) {
		return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
	}

	/**
	 * @return three nested layers of the library, 4 attempts each, with
	 * {@code nested: innermost}, defaults otherwise (budget and default breaker at every
	 * layer)
	 */
	public static Policy nestedInnermost() {
		RetryConfig retry = RetryConfig.defaults().toBuilder().maxAttempts(4).nested(NestedRetryMode.INNERMOST).build();
		return policy("3 layers, ours (nested: innermost)",
				"3 nested layers of the library, 4 attempts each, nested: innermost, defaults otherwise "
						+ "(budget and breaker at every layer)",
				3, retry, CircuitBreakerConfig.defaults());
	}

	/** Named in a fleet policy whose processes exchange on schedule only. */
	public static final String ON_SCHEDULE_ONLY = "on schedule only";

	/**
	 * The library's defaults with circuit breakers that also open on the fleet's outcomes.
	 * Each run gets one {@link InMemoryFleetOutcomeStore} shared by all its processes; each
	 * process one {@link CircuitBreakerFleet} on the simulation's clock, with its breaker as
	 * a member, exchanging with the store every {@code syncInterval}. The processes do not
	 * exchange in step: each starts at a phase of the interval drawn from its own random
	 * stream. The store answers at once, so what one process adds is seen by every other at
	 * its next exchange. A failed call or a probe brings its process's next exchange forward, as the
	 * library's {@code resilience.fleet.exchange-on-failure} does by default
	 * ({@link CircuitBreakerFleet#exchangeEarlyWith}), on the simulation's clock.
	 * @param syncInterval the fleet's bucket length and exchange interval
	 * @return that policy, one layer
	 */
	public static Policy fleetBreaker(Duration syncInterval) {
		return fleetBreaker(syncInterval, CircuitBreakerConfig.defaults(), "");
	}

	/**
	 * @param syncInterval how often each process exchanges its breaker's outcomes
	 * @param breaker the breaker's settings
	 * @param variant what differs from the defaults, for the name; empty for nothing
	 * @return the library's retry defaults with that breaker, opened on the fleet's outcomes,
	 * with early exchanges
	 */
	public static Policy fleetBreaker(Duration syncInterval, CircuitBreakerConfig breaker, String variant) {
		return fleetBreaker(syncInterval, breaker, variant, true);
	}

	/**
	 * @param syncInterval how often each process exchanges its breaker's outcomes
	 * @param breaker the breaker's settings
	 * @param variant what differs from the defaults, for the name; empty for nothing
	 * @param exchangeOnFailure whether a failed call or a probe brings its process's next exchange
	 * forward; without, every process exchanges on schedule only, and the name says
	 * {@value #ON_SCHEDULE_ONLY}
	 * @return the library's retry defaults with that breaker, opened on the fleet's outcomes
	 */
	public static Policy fleetBreaker(Duration syncInterval, CircuitBreakerConfig breaker, String variant,
			boolean exchangeOnFailure) {
		Objects.requireNonNull(variant, "variant must not be null");
		RetryConfig retry = RetryConfig.defaults().toBuilder().budget(budget(DEFAULT_FLOOR)).build();
		long intervalNanos = syncInterval.toNanos();
		String name = "ours (fleet breaker, sync " + seconds(syncInterval) + (variant.isEmpty() ? "" : ", " + variant)
				+ (exchangeOnFailure ? "" : ", " + ON_SCHEDULE_ONLY) + ")";
		String description = "library defaults, and each process's breaker also opened by the whole fleet's "
				+ "outcomes: one CircuitBreakerFleet per process exchanging with one store shared by all "
				+ "processes every " + seconds(syncInterval) + ", at a phase of its own, "
				+ (exchangeOnFailure ? "and sooner after a failed call or a probe (at most "
						+ (CircuitBreakerFleet.EARLY_EXCHANGES_PER_INTERVAL + 1) + " exchanges an interval)"
						: "and on schedule only")
				+ (variant.isEmpty() ? "" : "; " + variant);
		return new NamedPolicy(name, description) {

			@Override
			public RetryStrategy newStrategy(int layer, Ticker ticker, RandomGenerator random) {
				throw new UnsupportedOperationException(name + " shares a store between the processes of a run: "
						+ "deploy it");
			}

			@Override
			public Deployment deploy(EventLoop loop) {
				// Made per run: a store kept in the policy would carry one run's outcomes into the next.
				FleetOutcomeStore store = new InMemoryFleetOutcomeStore();
				InstantSource clock = millis(loop);
				return (random) -> {
					CircuitBreakerFleet fleet = CircuitBreakerFleet.create(store, clock, syncInterval,
							new SplittableRandom(random.nextLong()));
					CircuitBreaker processBreaker = CircuitBreaker.of(OurRetryStrategy.breakerName(0), breaker, loop,
							fleet);
					fleet.join(processBreaker);
					if (exchangeOnFailure) {
						fleet.exchangeEarlyWith((exchange, delayMillis) -> loop.after(delayMillis * 1_000_000, exchange));
					}
					loop.every(loop.read() + random.nextLong(intervalNanos), intervalNanos, fleet::sync);
					return new RetryStrategy[] { new OurRetryStrategy(retry, processBreaker, 0, 1, loop, random) };
				};
			}

		};
	}

	/** @return the simulation's clock in epoch milliseconds, as the fleet keys its buckets */
	private static InstantSource millis(Ticker ticker) {
		return new InstantSource() {

			@Override
			public Instant instant() {
				return Instant.ofEpochMilli(millis());
			}

			@Override
			public long millis() {
				return ticker.read() / 1_000_000;
			}

		};
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
		return new NamedPolicy(name, description) {

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

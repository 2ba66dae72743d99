package dev.resilience.core;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.random.RandomGenerator;

import dev.resilience.core.bulkhead.Bulkhead;
import dev.resilience.core.bulkhead.BulkheadListener;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerListener;
import dev.resilience.core.retry.Retry;
import dev.resilience.core.retry.RetryListener;
import dev.resilience.core.internal.Randoms;
import dev.resilience.core.time.Scheduler;
import dev.resilience.core.time.Sleeper;
import dev.resilience.core.time.Ticker;

/**
 * The instances of an application by name: one circuit breaker, one retry and one
 * bulkhead per name, created on first use from a {@link ResilienceConfigSource} and then
 * shared by every caller of that name. A {@link ResilienceRegistryListener} hears of each
 * instance once, when it is created.
 */
public final class ResilienceRegistry {

	private final ResilienceConfigSource configSource;

	private final Ticker ticker;

	private final Sleeper sleeper;

	private final Scheduler scheduler;

	private final RandomGenerator random;

	private final CircuitBreakerListener circuitBreakerListener;

	private final RetryListener retryListener;

	private final BulkheadListener bulkheadListener;

	private final ResilienceRegistryListener registryListener;

	private final ConcurrentMap<String, CircuitBreaker> circuitBreakers = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, Retry> retries = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, Bulkhead> bulkheads = new ConcurrentHashMap<>();

	private ResilienceRegistry(Builder builder) {
		this.configSource = builder.configSource;
		this.ticker = builder.ticker;
		this.sleeper = builder.sleeper;
		this.scheduler = builder.scheduler;
		this.random = builder.random;
		this.circuitBreakerListener = builder.circuitBreakerListener;
		this.retryListener = builder.retryListener;
		this.bulkheadListener = builder.bulkheadListener;
		this.registryListener = builder.registryListener;
	}

	/**
	 * @param configSource where instance configurations come from
	 * @return a builder
	 */
	public static Builder builder(ResilienceConfigSource configSource) {
		return new Builder(configSource);
	}

	/**
	 * @return a registry giving every instance the documented defaults
	 */
	public static ResilienceRegistry ofDefaults() {
		return builder(ResilienceConfigSource.defaults()).build();
	}

	/**
	 * @param name the instance name
	 * @return the circuit breaker of that name, created on first use
	 */
	public CircuitBreaker circuitBreaker(String name) {
		CircuitBreaker existing = circuitBreakers.get(name);
		if (existing != null) {
			return existing;
		}
		CircuitBreaker created = CircuitBreaker.of(name, configSource.circuitBreakerConfig(name), ticker,
				circuitBreakerListener);
		// Created outside the map's lock so the listener never runs inside it; a thread
		// that loses the race drops its copy, which nobody has seen.
		CircuitBreaker raced = circuitBreakers.putIfAbsent(name, created);
		if (raced != null) {
			return raced;
		}
		registryListener.onCircuitBreakerAdded(created);
		return created;
	}

	/**
	 * @param name the instance name
	 * @return the retry of that name, created on first use
	 */
	public Retry retry(String name) {
		Retry existing = retries.get(name);
		if (existing != null) {
			return existing;
		}
		Retry created = Retry.of(name, configSource.retryConfig(name), ticker, sleeper, random, retryListener);
		Retry raced = retries.putIfAbsent(name, created);
		if (raced != null) {
			return raced;
		}
		registryListener.onRetryAdded(created);
		return created;
	}

	/**
	 * @param name the instance name
	 * @return the bulkhead of that name, created on first use
	 */
	public Bulkhead bulkhead(String name) {
		Bulkhead existing = bulkheads.get(name);
		if (existing != null) {
			return existing;
		}
		// The ticker times the calls of an adaptive limit; a registry on a manual ticker keeps them testable.
		// The scheduler ends the waits of asynchronous calls after max-wait.
		Bulkhead created = Bulkhead.of(name, configSource.bulkheadConfig(name), ticker, scheduler, bulkheadListener);
		Bulkhead raced = bulkheads.putIfAbsent(name, created);
		if (raced != null) {
			return raced;
		}
		registryListener.onBulkheadAdded(created);
		return created;
	}

	/**
	 * A pipeline over this registry's shared instances of one name.
	 * @param name the instance name
	 * @param retry whether the pipeline retries
	 * @param circuitBreaker whether it has a circuit breaker
	 * @param bulkhead whether it has a bulkhead
	 * @return the pipeline
	 */
	public ResiliencePipeline pipeline(String name, boolean retry, boolean circuitBreaker, boolean bulkhead) {
		ResiliencePipeline.Builder builder = ResiliencePipeline.builder(name)
			.ticker(ticker)
			.sleeper(sleeper)
			.scheduler(scheduler);
		if (retry) {
			builder.retry(retry(name));
		}
		if (circuitBreaker) {
			builder.circuitBreaker(circuitBreaker(name));
		}
		if (bulkhead) {
			builder.bulkhead(bulkhead(name));
		}
		return builder.build();
	}

	public Optional<CircuitBreaker> findCircuitBreaker(String name) {
		return Optional.ofNullable(circuitBreakers.get(name));
	}

	public Optional<Retry> findRetry(String name) {
		return Optional.ofNullable(retries.get(name));
	}

	public Optional<Bulkhead> findBulkhead(String name) {
		return Optional.ofNullable(bulkheads.get(name));
	}

	/**
	 * @return the circuit breakers created so far, sorted by name
	 */
	public List<CircuitBreaker> circuitBreakers() {
		return sorted(circuitBreakers.values(), CircuitBreaker::name);
	}

	/**
	 * @return the retries created so far, sorted by name
	 */
	public List<Retry> retries() {
		return sorted(retries.values(), Retry::name);
	}

	/**
	 * @return the bulkheads created so far, sorted by name
	 */
	public List<Bulkhead> bulkheads() {
		return sorted(bulkheads.values(), Bulkhead::name);
	}

	/**
	 * @return the ticker every instance of this registry reads
	 */
	public Ticker ticker() {
		return ticker;
	}

	/**
	 * @return where the asynchronous calls of this registry's pipelines schedule retries
	 */
	public Scheduler scheduler() {
		return scheduler;
	}

	private static <T> List<T> sorted(Collection<T> values, java.util.function.Function<T, String> name) {
		return values.stream().sorted(java.util.Comparator.comparing(name)).toList();
	}

	/**
	 * Builds a {@link ResilienceRegistry}.
	 */
	public static final class Builder {

		private final ResilienceConfigSource configSource;

		private Ticker ticker = Ticker.system();

		private Sleeper sleeper = Sleeper.system();

		private Scheduler scheduler = Scheduler.system();

		private RandomGenerator random = Randoms.threadLocal();

		private CircuitBreakerListener circuitBreakerListener = CircuitBreakerListener.NOOP;

		private RetryListener retryListener = RetryListener.NOOP;

		private BulkheadListener bulkheadListener = BulkheadListener.NOOP;

		private ResilienceRegistryListener registryListener = ResilienceRegistryListener.NOOP;

		private Builder(ResilienceConfigSource configSource) {
			this.configSource = Objects.requireNonNull(configSource, "configSource must not be null");
		}

		public Builder ticker(Ticker ticker) {
			this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
			return this;
		}

		public Builder sleeper(Sleeper sleeper) {
			this.sleeper = Objects.requireNonNull(sleeper, "sleeper must not be null");
			return this;
		}

		/**
		 * @param scheduler where asynchronous calls schedule their retries and time their
		 * waits for bulkhead permits; the shared {@link Scheduler#system()} by default
		 * @return this builder
		 */
		public Builder scheduler(Scheduler scheduler) {
			this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
			return this;
		}

		public Builder random(RandomGenerator random) {
			this.random = Objects.requireNonNull(random, "random must not be null");
			return this;
		}

		public Builder circuitBreakerListener(CircuitBreakerListener listener) {
			this.circuitBreakerListener = Objects.requireNonNull(listener, "listener must not be null");
			return this;
		}

		public Builder retryListener(RetryListener listener) {
			this.retryListener = Objects.requireNonNull(listener, "listener must not be null");
			return this;
		}

		public Builder bulkheadListener(BulkheadListener listener) {
			this.bulkheadListener = Objects.requireNonNull(listener, "listener must not be null");
			return this;
		}

		public Builder registryListener(ResilienceRegistryListener listener) {
			this.registryListener = Objects.requireNonNull(listener, "listener must not be null");
			return this;
		}

		public ResilienceRegistry build() {
			return new ResilienceRegistry(this);
		}

	}

}

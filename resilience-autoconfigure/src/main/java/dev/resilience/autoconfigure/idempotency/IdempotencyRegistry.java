package dev.resilience.autoconfigure.idempotency;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import dev.resilience.core.idempotency.Idempotency;
import dev.resilience.core.idempotency.IdempotencyConfig;
import dev.resilience.core.idempotency.IdempotencyListener;
import dev.resilience.core.idempotency.IdempotencyOutcome;
import dev.resilience.core.idempotency.IdempotencyStore;
import dev.resilience.core.idempotency.IdempotencyStoreException;
import dev.resilience.core.internal.Checks;
import dev.resilience.core.time.Scheduler;
import dev.resilience.core.time.Sleeper;
import dev.resilience.core.time.Ticker;

/**
 * The application's idempotency instances by name, all on one {@link IdempotencyStore}:
 * each created on first use with its settings, and kept. It also counts the outcomes of
 * every instance, for the actuator view, before passing each event on to the listener.
 */
public final class IdempotencyRegistry {

	private static final IdempotencyOutcome[] OUTCOMES = IdempotencyOutcome.values();

	private final IdempotencyStore store;

	private final Function<String, IdempotencyConfig> configs;

	private final IdempotencyListener listener;

	private final Ticker ticker;

	private final Sleeper sleeper;

	private final Scheduler scheduler;

	private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

	private IdempotencyRegistry(Builder builder) {
		this.store = builder.store;
		this.configs = builder.configs;
		this.listener = builder.listener;
		this.ticker = builder.ticker;
		this.sleeper = builder.sleeper;
		this.scheduler = builder.scheduler;
	}

	/**
	 * @param store where every instance keeps its keys
	 * @param configs the settings of an instance, by name
	 * @return a builder
	 */
	public static Builder builder(IdempotencyStore store, Function<String, IdempotencyConfig> configs) {
		return new Builder(store, configs);
	}

	/**
	 * @param name the instance name
	 * @return the instance, created with its settings on first use
	 */
	public Idempotency idempotency(String name) {
		Entry entry = entries.get(name);
		if (entry == null) {
			// computeIfAbsent only on a miss: the hit above is the path of every call.
			entry = entries.computeIfAbsent(name, this::create);
		}
		return entry.idempotency;
	}

	/**
	 * @param name the instance name
	 * @return the instance, if it was created
	 */
	public Optional<Idempotency> find(String name) {
		Entry entry = entries.get(name);
		return (entry != null) ? Optional.of(entry.idempotency) : Optional.empty();
	}

	/**
	 * @return every instance created so far, sorted by name
	 */
	public List<Idempotency> instances() {
		List<Idempotency> instances = new ArrayList<>();
		entries.values().forEach((entry) -> instances.add(entry.idempotency));
		instances.sort((a, b) -> a.name().compareTo(b.name()));
		return instances;
	}

	/**
	 * @param name the instance name
	 * @return how many calls of the instance ended with each outcome since it was
	 * created; every outcome is present, empty when the instance does not exist
	 */
	public Map<IdempotencyOutcome, Long> outcomes(String name) {
		Entry entry = entries.get(name);
		if (entry == null) {
			return Map.of();
		}
		Map<IdempotencyOutcome, Long> counts = new EnumMap<>(IdempotencyOutcome.class);
		for (IdempotencyOutcome outcome : OUTCOMES) {
			counts.put(outcome, entry.outcomes[outcome.ordinal()].sum());
		}
		return counts;
	}

	/**
	 * @param name the instance name
	 * @return how often the store failed for the instance
	 */
	public long storeFailures(String name) {
		Entry entry = entries.get(name);
		return (entry != null) ? entry.storeFailures.sum() : 0;
	}

	/**
	 * @return the store every instance uses
	 */
	public IdempotencyStore store() {
		return store;
	}

	private Entry create(String name) {
		Entry entry = new Entry();
		IdempotencyListener counting = new IdempotencyListener() {

			@Override
			public void onOutcome(String instance, IdempotencyOutcome outcome) {
				entry.outcomes[outcome.ordinal()].increment();
				listener.onOutcome(instance, outcome);
			}

			@Override
			public void onStoreFailure(String instance, IdempotencyStoreException failure) {
				entry.storeFailures.increment();
				listener.onStoreFailure(instance, failure);
			}

		};
		entry.idempotency = Idempotency.builder(name, store)
			.config(configs.apply(name))
			.listener(counting)
			.ticker(ticker)
			.sleeper(sleeper)
			.scheduler(scheduler)
			.build();
		return entry;
	}

	@Override
	public String toString() {
		return "IdempotencyRegistry[" + store + ", " + entries.keySet() + "]";
	}

	/** One instance and its counts. */
	private static final class Entry {

		final LongAdder[] outcomes = new LongAdder[OUTCOMES.length];

		final LongAdder storeFailures = new LongAdder();

		Idempotency idempotency;

		Entry() {
			for (int i = 0; i < outcomes.length; i++) {
				outcomes[i] = new LongAdder();
			}
		}

	}

	/**
	 * Builds an {@link IdempotencyRegistry}.
	 */
	public static final class Builder {

		private final IdempotencyStore store;

		private final Function<String, IdempotencyConfig> configs;

		private IdempotencyListener listener = IdempotencyListener.NOOP;

		private Ticker ticker = Ticker.system();

		private Sleeper sleeper = Sleeper.system();

		private Scheduler scheduler = Scheduler.system();

		private Builder(IdempotencyStore store, Function<String, IdempotencyConfig> configs) {
			this.store = Checks.notNull("store", store);
			this.configs = Checks.notNull("configs", configs);
		}

		/**
		 * @param listener receives the events of every instance
		 * @return this builder
		 */
		public Builder listener(IdempotencyListener listener) {
			this.listener = Checks.notNull("listener", listener);
			return this;
		}

		/**
		 * @param ticker measures how long a duplicate waits
		 * @return this builder
		 */
		public Builder ticker(Ticker ticker) {
			this.ticker = Checks.notNull("ticker", ticker);
			return this;
		}

		/**
		 * @param sleeper pauses a duplicate between polls
		 * @return this builder
		 */
		public Builder sleeper(Sleeper sleeper) {
			this.sleeper = Checks.notNull("sleeper", sleeper);
			return this;
		}

		/**
		 * @param scheduler runs the polls of a duplicate of an asynchronous call, which
		 * waits without holding a thread
		 * @return this builder
		 */
		public Builder scheduler(Scheduler scheduler) {
			this.scheduler = Checks.notNull("scheduler", scheduler);
			return this;
		}

		/**
		 * @return the registry
		 */
		public IdempotencyRegistry build() {
			return new IdempotencyRegistry(this);
		}

	}

}

package dev.resilience.autoconfigure.slo;

import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.resilience.core.slo.ErrorBudget;
import dev.resilience.core.slo.ErrorBudgetListener;
import dev.resilience.core.slo.SloConfig;

/**
 * The application's error budgets by name: one per instance with an {@code slo} section,
 * one per HTTP objective ({@code resilience.slo.http.<name>}), and any the application
 * adds itself. The endpoint, the meters and the shared store read them from here.
 * <p>
 * Every budget counts on the same wall clock, and reports its events to every listener
 * {@link #addListener added} here, whether it was added before or after the listener.
 */
public final class ErrorBudgetRegistry {

	private static final ErrorBudgetListener[] NO_LISTENERS = {};

	private final InstantSource clock;

	/** Sorted by name, so that every report lists the budgets in the same order. */
	private final ConcurrentMap<String, ErrorBudget> budgets = new ConcurrentSkipListMap<>();

	private final List<Consumer<ErrorBudget>> additionListeners = new CopyOnWriteArrayList<>();

	private final Object listenerLock = new Object();

	/** Replaced as a whole on change: recording reads it once, without a lock or a copy. */
	private volatile ErrorBudgetListener[] listeners = NO_LISTENERS;

	private final ErrorBudgetListener dispatcher = new ErrorBudgetListener() {

		@Override
		public void onRecorded(String name, long goodEvents, long badEvents) {
			for (ErrorBudgetListener listener : listeners) {
				try {
					listener.onRecorded(name, goodEvents, badEvents);
				}
				catch (RuntimeException ex) {
					// One faulty listener must keep neither the call nor the others from their events.
				}
			}
		}

	};

	private ErrorBudgetRegistry(InstantSource clock) {
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
	}

	/**
	 * @param clock the wall clock that every budget keys its buckets by; a
	 * {@link java.time.Clock} will do
	 * @return an empty registry
	 */
	public static ErrorBudgetRegistry create(InstantSource clock) {
		return new ErrorBudgetRegistry(clock);
	}

	/**
	 * @return an empty registry on the system clock
	 */
	public static ErrorBudgetRegistry create() {
		return new ErrorBudgetRegistry(InstantSource.system());
	}

	/**
	 * Returns the budget of a name, creating it with {@code config} if there is none yet;
	 * an existing budget keeps the configuration it was created with.
	 * @param name the objective's name
	 * @param config its settings
	 * @return the budget of that name
	 */
	public ErrorBudget errorBudget(String name, SloConfig config) {
		Objects.requireNonNull(name, "name must not be null");
		Objects.requireNonNull(config, "config must not be null");
		ErrorBudget existing = this.budgets.get(name);
		if (existing != null) {
			return existing;
		}
		ErrorBudget created = ErrorBudget.create(name, config, this.clock, this.dispatcher);
		// Race: two threads may create the same name; the loser's budget is dropped before
		// anyone could record into it.
		existing = this.budgets.putIfAbsent(name, created);
		if (existing != null) {
			return existing;
		}
		for (Consumer<ErrorBudget> listener : this.additionListeners) {
			listener.accept(created);
		}
		return created;
	}

	/**
	 * @param name a name
	 * @return the budget of that name, if there is one
	 */
	public Optional<ErrorBudget> find(String name) {
		return Optional.ofNullable(this.budgets.get(name));
	}

	/**
	 * @return every budget, sorted by name
	 */
	public List<ErrorBudget> errorBudgets() {
		return List.copyOf(this.budgets.values());
	}

	/**
	 * @return the wall clock the budgets count on
	 */
	public InstantSource clock() {
		return this.clock;
	}

	/**
	 * Adds a listener to the events of every budget, present and future.
	 * @param listener the listener; called on the recording thread, its exceptions are
	 * caught
	 */
	public void addListener(ErrorBudgetListener listener) {
		Objects.requireNonNull(listener, "listener must not be null");
		// A lock, not a compare-and-set loop: listeners are added a few times at start-up.
		synchronized (this.listenerLock) {
			ErrorBudgetListener[] current = this.listeners;
			ErrorBudgetListener[] extended = Arrays.copyOf(current, current.length + 1);
			extended[current.length] = listener;
			this.listeners = extended;
		}
	}

	/**
	 * Calls {@code action} for every budget now in the registry and for every budget added
	 * later, for instance to register its meters. A budget added while this method runs
	 * may be passed twice, so the action must tolerate a repeat.
	 * @param action what to do with each budget
	 */
	public void forEachAndWhenAdded(Consumer<ErrorBudget> action) {
		Objects.requireNonNull(action, "action must not be null");
		// Race: subscribe first, so that a budget added meanwhile is seen twice rather than never.
		this.additionListeners.add(action);
		for (ErrorBudget budget : this.budgets.values()) {
			action.accept(budget);
		}
	}

	@Override
	public String toString() {
		return "ErrorBudgetRegistry" + this.budgets.keySet();
	}

}

package dev.resilience.autoconfigure.metrics;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import dev.resilience.core.ResilienceRegistryListener;
import dev.resilience.core.bulkhead.Bulkhead;
import dev.resilience.core.circuitbreaker.CallOutcome;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerListener;
import dev.resilience.core.circuitbreaker.CircuitBreakerState;
import dev.resilience.core.retry.Retry;
import dev.resilience.core.retry.RetryListener;
import dev.resilience.core.retry.RetryOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import static dev.resilience.autoconfigure.metrics.ResilienceMeterNames.TAG_NAME;
import static dev.resilience.autoconfigure.metrics.ResilienceMeterNames.TAG_OUTCOME;

/**
 * Publishes the core's events as Micrometer meters with the documented names and tags.
 * Meters are looked up once per instance name and kept in arrays indexed by outcome, so
 * recording a call costs a map lookup and an array read.
 */
public final class MicrometerResilienceListener
		implements CircuitBreakerListener, RetryListener, ResilienceRegistryListener {

	private static final CallOutcome[] CALL_OUTCOMES = CallOutcome.values();

	private static final RetryOutcome[] RETRY_OUTCOMES = RetryOutcome.values();

	private final MeterRegistry registry;

	private final ConcurrentMap<String, Timer[]> callTimers = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, Counter[]> retryCounters = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, Counter> budgetDenied = new ConcurrentHashMap<>();

	public MicrometerResilienceListener(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onCall(String name, CallOutcome outcome, long durationNanos) {
		callTimers.computeIfAbsent(name, this::callTimers)[outcome.ordinal()].record(durationNanos,
				TimeUnit.NANOSECONDS);
	}

	@Override
	public void onCallFinished(String name, RetryOutcome outcome, int attempts) {
		retryCounters.computeIfAbsent(name, this::retryCounters)[outcome.ordinal()].increment();
	}

	@Override
	public void onBudgetDenied(String name) {
		budgetDeniedCounter(name).increment();
	}

	/**
	 * Registers the gauges of a circuit breaker: one per state, 1 for the current one.
	 * @param breaker the breaker
	 */
	@Override
	public void onCircuitBreakerAdded(CircuitBreaker breaker) {
		for (CircuitBreakerState state : CircuitBreakerState.values()) {
			Gauge.builder(ResilienceMeterNames.CIRCUIT_BREAKER_STATE, breaker, (cb) -> (cb.state() == state) ? 1 : 0)
				.description("1 for the circuit breaker's current state, 0 for the others")
				.tag(TAG_NAME, breaker.name())
				.tag(ResilienceMeterNames.TAG_STATE, state.name().toLowerCase(Locale.ROOT))
				.register(registry);
		}
		callTimers.computeIfAbsent(breaker.name(), this::callTimers);
	}

	/**
	 * Registers the gauges of a retry and its budget.
	 * @param retry the retry
	 */
	@Override
	public void onRetryAdded(Retry retry) {
		Gauge.builder(ResilienceMeterNames.RETRY_BUDGET_AVAILABLE, retry, (r) -> r.budget().available())
			.description("Retries the retry budget allows right now")
			.tag(TAG_NAME, retry.name())
			.register(registry);
		retryCounters.computeIfAbsent(retry.name(), this::retryCounters);
		budgetDeniedCounter(retry.name());
	}

	/**
	 * Registers the meters of a bulkhead.
	 * @param bulkhead the bulkhead
	 */
	@Override
	public void onBulkheadAdded(Bulkhead bulkhead) {
		Gauge.builder(ResilienceMeterNames.BULKHEAD_AVAILABLE, bulkhead, Bulkhead::availableConcurrentCalls)
			.description("Concurrent calls the bulkhead admits right now")
			.tag(TAG_NAME, bulkhead.name())
			.register(registry);
		FunctionCounter.builder(ResilienceMeterNames.BULKHEAD_REJECTED, bulkhead, Bulkhead::rejectedCalls)
			.description("Calls rejected by the bulkhead")
			.tag(TAG_NAME, bulkhead.name())
			.register(registry);
	}

	private Counter budgetDeniedCounter(String name) {
		return budgetDenied.computeIfAbsent(name, (key) -> Counter.builder(ResilienceMeterNames.RETRY_BUDGET_DENIED)
			.description("Retries refused by the retry budget")
			.tag(TAG_NAME, key)
			.register(registry));
	}

	private Timer[] callTimers(String name) {
		Timer[] timers = new Timer[CALL_OUTCOMES.length];
		for (CallOutcome outcome : CALL_OUTCOMES) {
			timers[outcome.ordinal()] = Timer.builder(ResilienceMeterNames.CIRCUIT_BREAKER_CALLS)
				.description("Calls through the circuit breaker, by outcome")
				.tag(TAG_NAME, name)
				.tag(TAG_OUTCOME, outcome.tag())
				.register(registry);
		}
		return timers;
	}

	private Counter[] retryCounters(String name) {
		Counter[] counters = new Counter[RETRY_OUTCOMES.length];
		for (RetryOutcome outcome : RETRY_OUTCOMES) {
			counters[outcome.ordinal()] = Counter.builder(ResilienceMeterNames.RETRY_CALLS)
				.description("Logical calls through the retry, by outcome")
				.tag(TAG_NAME, name)
				.tag(TAG_OUTCOME, outcome.tag())
				.register(registry);
		}
		return counters;
	}

}

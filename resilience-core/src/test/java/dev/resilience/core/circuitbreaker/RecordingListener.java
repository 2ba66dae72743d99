package dev.resilience.core.circuitbreaker;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Remembers every event a breaker reports, thread-safely, for assertions.
 */
final class RecordingListener implements CircuitBreakerListener {

	final List<String> transitions = new CopyOnWriteArrayList<>();

	final List<CallOutcome> outcomes = new CopyOnWriteArrayList<>();

	final List<Long> durations = new CopyOnWriteArrayList<>();

	@Override
	public void onStateTransition(String name, CircuitBreakerState from, CircuitBreakerState to) {
		transitions.add(from + "->" + to);
	}

	@Override
	public void onCall(String name, CallOutcome outcome, long durationNanos) {
		outcomes.add(outcome);
		durations.add(durationNanos);
	}

}

package dev.resilience.autoconfigure;

import java.util.List;

import dev.resilience.core.ResilienceRegistryListener;
import dev.resilience.core.bulkhead.Bulkhead;
import dev.resilience.core.bulkhead.BulkheadListener;
import dev.resilience.core.circuitbreaker.CallOutcome;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerListener;
import dev.resilience.core.circuitbreaker.CircuitBreakerState;
import dev.resilience.core.retry.Retry;
import dev.resilience.core.retry.RetryListener;
import dev.resilience.core.retry.RetryOutcome;

/**
 * Fans the core's events out to every listener bean of the application (the Micrometer
 * binding, the user's own). One listener is passed through unwrapped; none is the no-op.
 */
final class CompositeListeners {

	private CompositeListeners() {
	}

	static CircuitBreakerListener circuitBreaker(List<CircuitBreakerListener> listeners) {
		if (listeners.isEmpty()) {
			return CircuitBreakerListener.NOOP;
		}
		if (listeners.size() == 1) {
			return listeners.get(0);
		}
		CircuitBreakerListener[] all = listeners.toArray(CircuitBreakerListener[]::new);
		return new CircuitBreakerListener() {

			@Override
			public void onStateTransition(String name, CircuitBreakerState from, CircuitBreakerState to) {
				for (CircuitBreakerListener listener : all) {
					listener.onStateTransition(name, from, to);
				}
			}

			@Override
			public void onCall(String name, CallOutcome outcome, long durationNanos) {
				for (CircuitBreakerListener listener : all) {
					listener.onCall(name, outcome, durationNanos);
				}
			}

			@Override
			public void onCall(String name, CallOutcome outcome, long durationNanos, long endNanos) {
				for (CircuitBreakerListener listener : all) {
					listener.onCall(name, outcome, durationNanos, endNanos);
				}
			}

			@Override
			public void onProbe(String name, CallOutcome outcome, long durationNanos) {
				for (CircuitBreakerListener listener : all) {
					listener.onProbe(name, outcome, durationNanos);
				}
			}

			@Override
			public void onProbe(String name, CallOutcome outcome, long durationNanos, long endNanos) {
				for (CircuitBreakerListener listener : all) {
					listener.onProbe(name, outcome, durationNanos, endNanos);
				}
			}

		};
	}

	static RetryListener retry(List<RetryListener> listeners) {
		if (listeners.isEmpty()) {
			return RetryListener.NOOP;
		}
		if (listeners.size() == 1) {
			return listeners.get(0);
		}
		RetryListener[] all = listeners.toArray(RetryListener[]::new);
		return new RetryListener() {

			@Override
			public void onRetry(String name, int attempt, long delayNanos, Throwable cause) {
				for (RetryListener listener : all) {
					listener.onRetry(name, attempt, delayNanos, cause);
				}
			}

			@Override
			public void onBudgetDenied(String name) {
				for (RetryListener listener : all) {
					listener.onBudgetDenied(name);
				}
			}

			@Override
			public void onCallFinished(String name, RetryOutcome outcome, int attempts) {
				for (RetryListener listener : all) {
					listener.onCallFinished(name, outcome, attempts);
				}
			}

		};
	}

	static BulkheadListener bulkhead(List<BulkheadListener> listeners) {
		if (listeners.isEmpty()) {
			return BulkheadListener.NOOP;
		}
		if (listeners.size() == 1) {
			return listeners.get(0);
		}
		BulkheadListener[] all = listeners.toArray(BulkheadListener[]::new);
		return new BulkheadListener() {

			@Override
			public void onRejected(String name) {
				for (BulkheadListener listener : all) {
					listener.onRejected(name);
				}
			}

		};
	}

	static ResilienceRegistryListener registry(List<ResilienceRegistryListener> listeners) {
		if (listeners.isEmpty()) {
			return ResilienceRegistryListener.NOOP;
		}
		if (listeners.size() == 1) {
			return listeners.get(0);
		}
		ResilienceRegistryListener[] all = listeners.toArray(ResilienceRegistryListener[]::new);
		return new ResilienceRegistryListener() {

			@Override
			public void onCircuitBreakerAdded(CircuitBreaker circuitBreaker) {
				for (ResilienceRegistryListener listener : all) {
					listener.onCircuitBreakerAdded(circuitBreaker);
				}
			}

			@Override
			public void onRetryAdded(Retry retry) {
				for (ResilienceRegistryListener listener : all) {
					listener.onRetryAdded(retry);
				}
			}

			@Override
			public void onBulkheadAdded(Bulkhead bulkhead) {
				for (ResilienceRegistryListener listener : all) {
					listener.onBulkheadAdded(bulkhead);
				}
			}

		};
	}

}

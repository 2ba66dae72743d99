package dev.resilience.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.resilience.core.circuitbreaker.CallOutcome;
import dev.resilience.core.circuitbreaker.CircuitBreakerListener;

import static org.assertj.core.api.Assertions.assertThat;

class CompositeListenersTests {

	private final List<String> heard = new ArrayList<>();

	private CircuitBreakerListener recording(String label) {
		return new CircuitBreakerListener() {

			@Override
			public void onCall(String name, CallOutcome outcome, long durationNanos) {
				heard.add(label + " call " + durationNanos);
			}

			@Override
			public void onCall(String name, CallOutcome outcome, long durationNanos, long endNanos) {
				heard.add(label + " call " + durationNanos + " at " + endNanos);
			}

			@Override
			public void onProbe(String name, CallOutcome outcome, long durationNanos) {
				heard.add(label + " probe " + durationNanos);
			}

			@Override
			public void onProbe(String name, CallOutcome outcome, long durationNanos, long endNanos) {
				heard.add(label + " probe " + durationNanos + " at " + endNanos);
			}

		};
	}

	@Test
	void everyListenerHearsTheTickerReadingWhenTheBreakerHasOne() {
		CircuitBreakerListener both = CompositeListeners.circuitBreaker(List.of(recording("a"), recording("b")));
		both.onCall("payments", CallOutcome.SUCCESS, 5, 40);
		both.onProbe("payments", CallOutcome.SUCCESS, 6, 41);
		both.onCall("payments", CallOutcome.FAILURE, 7);
		both.onProbe("payments", CallOutcome.FAILURE, 8);
		assertThat(heard).containsExactly("a call 5 at 40", "b call 5 at 40", "a probe 6 at 41", "b probe 6 at 41",
				"a call 7", "b call 7", "a probe 8", "b probe 8");
	}

}

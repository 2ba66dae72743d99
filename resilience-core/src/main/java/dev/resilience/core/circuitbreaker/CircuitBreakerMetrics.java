package dev.resilience.core.circuitbreaker;

/**
 * A snapshot of a circuit breaker's state and window, as the actuator shows it.
 * <p>
 * While {@code CLOSED} the counts are those of the sliding window; while {@code OPEN},
 * those of the calls that opened it (the window, or the half-open probes); while
 * {@code HALF_OPEN}, those of the probes completed so far (rates {@code null} until the
 * probes decide); while {@code FORCED_OPEN} or {@code DISABLED}, zero.
 *
 * @param state the state when the snapshot was taken
 * @param failureRate percent of failed calls; {@code null} while fewer than {@code minimumCalls}
 * @param slowCallRate percent of slow calls; {@code null} while fewer than {@code minimumCalls}
 * @param bufferedCalls calls the counts cover
 * @param failedCalls failed calls among them
 * @param slowCalls slow calls among them
 * @param notPermittedCalls calls refused since the breaker was created or last reset
 */
public record CircuitBreakerMetrics(CircuitBreakerState state, Double failureRate, Double slowCallRate,
		int bufferedCalls, int failedCalls, int slowCalls, long notPermittedCalls) {

}

package dev.resilience.autoconfigure.actuate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerMetrics;
import dev.resilience.core.circuitbreaker.CircuitBreakerState;
import dev.resilience.core.circuitbreaker.fleet.CircuitBreakerFleet;
import dev.resilience.core.circuitbreaker.fleet.FleetView;
import dev.resilience.core.circuitbreaker.fleet.OutcomeCounts;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/circuitbreakers}: the state and window of every circuit breaker, and an
 * operator's switch to force one open, close it or disable it. The switch is off by
 * default, even when the endpoint is exposed: it needs
 * {@code management.endpoint.circuitbreakers.access=unrestricted}. One breaker's view
 * ({@code /actuator/circuitbreakers/{name}}, and the answer to the switch) adds its
 * current open period and the time until it admits probes.
 * <p>
 * The descriptors are {@link OperationResponseBody operation response bodies}, written by
 * the actuator's own JSON mapper: the application's Jackson settings (naming strategy,
 * inclusion) cannot change the documented shape.
 */
@Endpoint(id = "circuitbreakers", defaultAccess = Access.READ_ONLY)
public class CircuitBreakersEndpoint {

	private final ResilienceRegistry registry;

	private final CircuitBreakerFleet fleet;

	public CircuitBreakersEndpoint(ResilienceRegistry registry) {
		this(registry, null);
	}

	/**
	 * @param registry the breakers
	 * @param fleet the fleet the fleet breakers share their outcomes with, or {@code null}
	 * when none does
	 */
	public CircuitBreakersEndpoint(ResilienceRegistry registry, CircuitBreakerFleet fleet) {
		this.registry = registry;
		this.fleet = fleet;
	}

	@ReadOperation
	public CircuitBreakersDescriptor circuitBreakers() {
		Map<String, CircuitBreakerDescriptor> breakers = new LinkedHashMap<>();
		for (CircuitBreaker breaker : registry.circuitBreakers()) {
			breakers.put(breaker.name(), CircuitBreakerDescriptor.of(breaker.metrics()));
		}
		return new CircuitBreakersDescriptor(breakers);
	}

	@ReadOperation
	public CircuitBreakerDetailsDescriptor circuitBreaker(@Selector String name) {
		return registry.findCircuitBreaker(name).map(this::details).orElse(null);
	}

	/**
	 * Changes a breaker's state: {@code {"state": "FORCED_OPEN"}}, {@code CLOSED} or
	 * {@code DISABLED}.
	 * @param name the breaker
	 * @param state the target state
	 * @return the breaker after the change, or {@code null} when there is no such breaker
	 * (404 over HTTP, through {@link CircuitBreakersEndpointWebExtension})
	 * @throws InvalidEndpointRequestException (400) for any other state
	 */
	@WriteOperation
	public CircuitBreakerDetailsDescriptor transition(@Selector String name, String state) {
		CircuitBreakerState target = parseTarget(state);
		return registry.findCircuitBreaker(name).map((breaker) -> {
			breaker.transitionTo(target);
			return details(breaker);
		}).orElse(null);
	}

	private CircuitBreakerDetailsDescriptor details(CircuitBreaker breaker) {
		FleetDescriptor fleetView = (this.fleet != null)
				? this.fleet.view(breaker.name()).map(FleetDescriptor::of).orElse(null) : null;
		return CircuitBreakerDetailsDescriptor.of(breaker, fleetView);
	}

	private static CircuitBreakerState parseTarget(String state) {
		if (state != null) {
			switch (state.trim().toUpperCase(Locale.ROOT)) {
				case "FORCED_OPEN":
					return CircuitBreakerState.FORCED_OPEN;
				case "CLOSED":
					return CircuitBreakerState.CLOSED;
				case "DISABLED":
					return CircuitBreakerState.DISABLED;
				default:
			}
		}
		throw new InvalidEndpointRequestException(
				"state must be one of FORCED_OPEN, CLOSED, DISABLED but was " + state,
				"Invalid circuit breaker state");
	}

	/**
	 * Every circuit breaker, by name.
	 *
	 * @param circuitBreakers the breakers
	 */
	public record CircuitBreakersDescriptor(
			Map<String, CircuitBreakerDescriptor> circuitBreakers) implements OperationResponseBody {
	}

	/**
	 * One circuit breaker. Rates are percents, {@code null} while the window holds fewer
	 * than {@code minimum-calls} calls; they are written as JSON {@code null}, not left out,
	 * so that a client sees the documented shape in every state.
	 *
	 * @param state the state
	 * @param failureRate the failure rate
	 * @param slowCallRate the slow-call rate
	 * @param bufferedCalls calls in the window
	 * @param failedCalls failed calls in the window
	 * @param slowCalls slow calls in the window
	 * @param notPermittedCalls calls refused since the breaker was created
	 */
	public record CircuitBreakerDescriptor(CircuitBreakerState state,
			@JsonInclude(JsonInclude.Include.ALWAYS) Double failureRate,
			@JsonInclude(JsonInclude.Include.ALWAYS) Double slowCallRate, int bufferedCalls, int failedCalls,
			int slowCalls, long notPermittedCalls) implements OperationResponseBody {

		static CircuitBreakerDescriptor of(CircuitBreakerMetrics metrics) {
			return new CircuitBreakerDescriptor(metrics.state(), metrics.failureRate(), metrics.slowCallRate(),
					metrics.bufferedCalls(), metrics.failedCalls(), metrics.slowCalls(), metrics.notPermittedCalls());
		}

	}

	/**
	 * One circuit breaker in detail: the entry of the list, plus its open period. The two
	 * durations are read after the counts, so a breaker that changes state meanwhile may
	 * show them for its new state.
	 *
	 * @param state the state
	 * @param failureRate the failure rate
	 * @param slowCallRate the slow-call rate
	 * @param bufferedCalls calls in the window
	 * @param failedCalls failed calls in the window
	 * @param slowCalls slow calls in the window
	 * @param notPermittedCalls calls refused since the breaker was created
	 * @param openDurationMillis while {@code OPEN}, the length of the current open period;
	 * otherwise how long the breaker would stay open if it opened now ({@code open-duration},
	 * or more while a grown period is remembered)
	 * @param timeUntilHalfOpenMillis while {@code OPEN}, the time until it admits probes (what
	 * {@code Retry-After} tells refused clients); otherwise 0
	 * @param fleet for a breaker with {@code circuit-breaker.fleet}, what this instance last
	 * learned from the fleet; left out for the others
	 */
	public record CircuitBreakerDetailsDescriptor(CircuitBreakerState state,
			@JsonInclude(JsonInclude.Include.ALWAYS) Double failureRate,
			@JsonInclude(JsonInclude.Include.ALWAYS) Double slowCallRate, int bufferedCalls, int failedCalls,
			int slowCalls, long notPermittedCalls, long openDurationMillis, long timeUntilHalfOpenMillis,
			@JsonInclude(JsonInclude.Include.NON_NULL) FleetDescriptor fleet) implements OperationResponseBody {

		static CircuitBreakerDetailsDescriptor of(CircuitBreaker breaker, FleetDescriptor fleet) {
			CircuitBreakerMetrics metrics = breaker.metrics();
			return new CircuitBreakerDetailsDescriptor(metrics.state(), metrics.failureRate(),
					metrics.slowCallRate(), metrics.bufferedCalls(), metrics.failedCalls(), metrics.slowCalls(),
					metrics.notPermittedCalls(), breaker.currentOpenDuration().toMillis(),
					breaker.timeUntilHalfOpen().toMillis(), fleet);
		}

	}

	/**
	 * What an instance last learned from the fleet about one of its breakers: the fleet's
	 * outcomes its last decision looked at (the newest buckets since the breaker last
	 * closed, as many as its window covers) and whether they reach its thresholds.
	 *
	 * @param calls the fleet's calls in that window
	 * @param failedCalls how many of them failed
	 * @param slowCalls how many of them were slow
	 * @param failureRate the percentage of failed calls, {@code null} without calls
	 * @param slowCallRate the percentage of slow calls, {@code null} without calls
	 * @param tripped whether they reach the breaker's thresholds
	 * @param trips how often the fleet's outcomes opened this instance's breaker
	 * @param exchanges how many exchanges with the store this instance tried, early ones
	 * included
	 * @param earlyExchanges how many of those a failed or slow call or a probe brought forward
	 * @param failedExchanges how many exchanges with the store failed
	 * @param lastExchange when the last exchange with the store succeeded, {@code null}
	 * before the first
	 * @param lastFailure why the last exchange failed, {@code null} when it succeeded
	 * @param held whether the fleet holds this instance's breaker open while other
	 * instances probe
	 * @param probing whether this instance probes, its breaker opened by the fleet:
	 * drawn to, or released once other instances call freely and well again
	 */
	public record FleetDescriptor(long calls, long failedCalls, long slowCalls,
			@JsonInclude(JsonInclude.Include.ALWAYS) Double failureRate,
			@JsonInclude(JsonInclude.Include.ALWAYS) Double slowCallRate, boolean tripped, long trips,
			long exchanges, long earlyExchanges, long failedExchanges,
			@JsonInclude(JsonInclude.Include.ALWAYS) Instant lastExchange,
			@JsonInclude(JsonInclude.Include.ALWAYS) String lastFailure, boolean held, boolean probing) {

		static FleetDescriptor of(FleetView view) {
			OutcomeCounts window = view.window();
			boolean any = window.calls() > 0;
			return new FleetDescriptor(window.calls(), window.failedCalls(), window.slowCalls(),
					any ? window.failureRate() : null, any ? window.slowCallRate() : null, view.tripped(),
					view.trips(), view.exchanges(), view.earlyExchanges(), view.failedExchanges(),
					view.lastExchange(), view.lastFailure(), view.held(), view.probing());
		}

	}

}

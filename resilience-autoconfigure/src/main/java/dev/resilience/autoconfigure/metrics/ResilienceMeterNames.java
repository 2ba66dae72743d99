package dev.resilience.autoconfigure.metrics;

/**
 * The names of every meter the library publishes, in one place.
 */
public final class ResilienceMeterNames {

	public static final String CIRCUIT_BREAKER_STATE = "resilience.circuitbreaker.state";

	public static final String CIRCUIT_BREAKER_CALLS = "resilience.circuitbreaker.calls";

	public static final String CIRCUIT_BREAKER_FLEET_TRIPS = "resilience.circuitbreaker.fleet.trips";

	public static final String CIRCUIT_BREAKER_FLEET_EXCHANGES = "resilience.circuitbreaker.fleet.exchanges";

	public static final String CIRCUIT_BREAKER_FLEET_EXCHANGE_FAILURES =
			"resilience.circuitbreaker.fleet.exchange.failures";

	public static final String RETRY_CALLS = "resilience.retry.calls";

	public static final String RETRY_BUDGET_DENIED = "resilience.retry.budget.denied";

	public static final String RETRY_BUDGET_AVAILABLE = "resilience.retry.budget.available";

	public static final String BULKHEAD_AVAILABLE = "resilience.bulkhead.available";

	public static final String BULKHEAD_REJECTED = "resilience.bulkhead.rejected";

	public static final String SLO_EVENTS = "resilience.slo.events";

	public static final String SLO_BUDGET_REMAINING = "resilience.slo.budget.remaining";

	public static final String SLO_BURN_RATE = "resilience.slo.burn.rate";

	public static final String IDEMPOTENCY_REQUESTS = "resilience.idempotency.requests";

	public static final String LOAD_SHEDDING_LIMIT = "resilience.loadshedding.limit";

	public static final String LOAD_SHEDDING_IN_FLIGHT = "resilience.loadshedding.in.flight";

	public static final String LOAD_SHEDDING_REQUESTS = "resilience.loadshedding.requests";

	public static final String TAG_NAME = "name";

	public static final String TAG_OUTCOME = "outcome";

	public static final String TAG_STATE = "state";

	public static final String TAG_WINDOW = "window";

	public static final String TAG_PRIORITY = "priority";

	private ResilienceMeterNames() {
	}

}

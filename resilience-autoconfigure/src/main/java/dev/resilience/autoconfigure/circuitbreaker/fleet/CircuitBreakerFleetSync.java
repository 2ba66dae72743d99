package dev.resilience.autoconfigure.circuitbreaker.fleet;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

import dev.resilience.autoconfigure.internal.DaemonSchedulers;
import dev.resilience.autoconfigure.properties.ResiliencePolicyResolver;
import dev.resilience.autoconfigure.slo.ErrorBudgetFleet;
import dev.resilience.core.ResilienceRegistryListener;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.fleet.CircuitBreakerFleet;

/**
 * Runs a {@link CircuitBreakerFleet}: joins every circuit breaker whose
 * {@code circuit-breaker.fleet} is true as the registry creates it, and exchanges the
 * members' outcomes with the store every {@code resilience.fleet.sync-interval} on a
 * daemon thread of its own, never on a protected call's thread. With
 * {@code resilience.fleet.exchange-on-failure} (the default) a failed or slow call, or a
 * probe, brings its breaker's next exchange forward, on the same thread
 * ({@link CircuitBreakerFleet#exchangeEarlyWith}).
 * <p>
 * Started after, and stopped before, the connection factories it exchanges through.
 */
public final class CircuitBreakerFleetSync implements SmartLifecycle, ResilienceRegistryListener {

	private static final Log logger = LogFactory.getLog(CircuitBreakerFleetSync.class);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private final CircuitBreakerFleet fleet;

	private final ResiliencePolicyResolver resolver;

	private final String storeDescription;

	private final boolean exchangeOnFailure;

	private volatile ScheduledExecutorService scheduler;

	/**
	 * @param fleet the fleet to run
	 * @param resolver which breakers are members
	 * @param storeDescription what the store is, for the log
	 * @param exchangeOnFailure whether failed and slow calls, and probes, bring their
	 * breaker's next exchange forward
	 */
	public CircuitBreakerFleetSync(CircuitBreakerFleet fleet, ResiliencePolicyResolver resolver,
			String storeDescription, boolean exchangeOnFailure) {
		this.fleet = Objects.requireNonNull(fleet, "fleet must not be null");
		this.resolver = Objects.requireNonNull(resolver, "resolver must not be null");
		this.storeDescription = Objects.requireNonNull(storeDescription, "storeDescription must not be null");
		this.exchangeOnFailure = exchangeOnFailure;
	}

	/**
	 * @return the fleet this runs
	 */
	public CircuitBreakerFleet fleet() {
		return this.fleet;
	}

	/**
	 * @return what the store is
	 */
	public String storeDescription() {
		return this.storeDescription;
	}

	@Override
	public void onCircuitBreakerAdded(CircuitBreaker circuitBreaker) {
		if (this.resolver.resolve(circuitBreaker.name()).circuitBreakerFleet()) {
			this.fleet.join(circuitBreaker);
			if (logger.isDebugEnabled()) {
				logger.debug("Circuit breaker '" + circuitBreaker.name() + "' shares its outcomes through "
						+ this.storeDescription);
			}
		}
	}

	@Override
	public void start() {
		// sync() logs and counts the store's failures itself; anything else it throws is
		// logged by the scheduler, which runs it again at the next interval.
		ScheduledExecutorService executor = DaemonSchedulers.repeat("resilience-fleet-sync",
				this.fleet.syncInterval(), true, this.fleet::sync, logger, "exchange the fleet's circuit breaker outcomes");
		this.scheduler = executor;
		if (this.exchangeOnFailure) {
			// Once stopped, the executor refuses the task, and the fleet drops that exchange.
			this.fleet.exchangeEarlyWith((exchange, delayMillis) -> executor.schedule(
					DaemonSchedulers.keptRunning(exchange, logger, "exchange a circuit breaker's outcomes early"),
					delayMillis, TimeUnit.MILLISECONDS));
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.scheduler;
		this.scheduler = null;
		this.fleet.exchangeEarlyWith(null);
		if (executor != null) {
			DaemonSchedulers.shutdownAndWait(executor, STOP_TIMEOUT);
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	@Override
	public int getPhase() {
		return ErrorBudgetFleet.PHASE;
	}

}

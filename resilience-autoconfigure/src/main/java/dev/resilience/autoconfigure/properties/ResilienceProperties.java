package dev.resilience.autoconfigure.properties;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Configuration under the {@code resilience} prefix. Each named instance is merged key by
 * key over {@code resilience.defaults}, which is itself merged over the built-in defaults;
 * {@link ResiliencePolicyResolver} does the merging and turns the result into validated
 * policy settings.
 */
@ConfigurationProperties("resilience")
public class ResilienceProperties {

	/**
	 * Base for every instance, same shape as one instance. A key set here applies to
	 * every instance that does not set it, including instances only named by an
	 * annotation.
	 */
	@NestedConfigurationProperty
	private final InstanceProperties defaults = new InstanceProperties();

	/**
	 * Named instances, selected by the value of the annotations ({@code @Retryable("payments")}).
	 */
	private final Map<String, InstanceProperties> instances = new LinkedHashMap<>();

	/**
	 * Idempotency settings shared by every instance.
	 */
	private final Idempotency idempotency = new Idempotency();

	/**
	 * Health contribution of the circuit breakers.
	 */
	private final Health health = new Health();

	/**
	 * Inbound load shedding: a servlet filter with an adaptive concurrency limit.
	 */
	@NestedConfigurationProperty
	private final LoadSheddingProperties loadShedding = new LoadSheddingProperties();

	/**
	 * Outgoing HTTP calls through RestClient and WebClient.
	 */
	private final HttpClient httpClient = new HttpClient();

	/**
	 * Error budgets shared by every service level objective: where their counts are kept,
	 * and the objectives over the application's own HTTP routes.
	 */
	private final Slo slo = new Slo();

	/**
	 * Where the instances of the application share the outcomes of the circuit breakers
	 * whose circuit-breaker.fleet is true.
	 */
	private final Fleet fleet = new Fleet();

	public InstanceProperties getDefaults() {
		return this.defaults;
	}

	public Map<String, InstanceProperties> getInstances() {
		return this.instances;
	}

	public Idempotency getIdempotency() {
		return this.idempotency;
	}

	public Health getHealth() {
		return this.health;
	}

	public LoadSheddingProperties getLoadShedding() {
		return this.loadShedding;
	}

	public HttpClient getHttpClient() {
		return this.httpClient;
	}

	public Slo getSlo() {
		return this.slo;
	}

	public Fleet getFleet() {
		return this.fleet;
	}

	/**
	 * Idempotency settings shared by every instance.
	 */
	public static class Idempotency {

		/**
		 * Where idempotency keys and stored results live.
		 */
		private IdempotencyStoreType store = IdempotencyStoreType.MEMORY;

		/**
		 * How long an in-progress claim holds before another caller may take it over.
		 */
		private Duration lease = Duration.ofSeconds(30);

		/**
		 * How long a duplicate request waits for the first one to finish before it is
		 * rejected as a conflict.
		 */
		private Duration wait = Duration.ZERO;

		/**
		 * Longest accepted idempotency key, in characters.
		 */
		private Integer maxKeyLength = 255;

		public IdempotencyStoreType getStore() {
			return this.store;
		}

		public void setStore(IdempotencyStoreType store) {
			this.store = store;
		}

		public Duration getLease() {
			return this.lease;
		}

		public void setLease(Duration lease) {
			this.lease = lease;
		}

		public Duration getWait() {
			return this.wait;
		}

		public void setWait(Duration wait) {
			this.wait = wait;
		}

		public Integer getMaxKeyLength() {
			return this.maxKeyLength;
		}

		public void setMaxKeyLength(Integer maxKeyLength) {
			this.maxKeyLength = maxKeyLength;
		}

	}

	/**
	 * Health contribution of the circuit breakers.
	 */
	public static class Health {

		/**
		 * Health status an open circuit breaker contributes. Never DOWN by default: an
		 * open breaker protects the application from a failing dependency, it does not
		 * mean the application itself is down.
		 */
		private String openCircuitStatus = "UNKNOWN";

		public String getOpenCircuitStatus() {
			return this.openCircuitStatus;
		}

		public void setOpenCircuitStatus(String openCircuitStatus) {
			this.openCircuitStatus = openCircuitStatus;
		}

	}

	/**
	 * Outgoing HTTP calls through the auto-configured RestClient and WebClient builders.
	 */
	public static class HttpClient {

		/**
		 * Whether clients send Resilience-Attempt on retries and turn 429 and 503 answers
		 * into failures that carry Retry-After, or, with Resilience-Overloaded: true, that
		 * are never retried.
		 */
		private Boolean enabled = true;

		public Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(Boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Error budgets shared by every service level objective.
	 */
	public static class Slo {

		/**
		 * Where the error budgets' counts are kept. With jdbc or redis every instance of
		 * the application writes its counts there, /actuator/errorbudgets reports the
		 * fleet's budget, and the budget survives restarts; with memory each instance
		 * reports its own, since it started. Unset: the same as resilience.idempotency.store.
		 */
		private SloStoreType store;

		/**
		 * How often an instance writes its counts to a jdbc or redis store; it also writes
		 * them when it shuts down.
		 */
		private Duration flushInterval = Duration.ofSeconds(10);

		/**
		 * Service level objectives over the application's own HTTP routes, by name: every
		 * matching request is an event, bad when it answers 5xx or exceeds the latency
		 * threshold. Each takes path (a PathPattern such as /orders/**, required), method
		 * (unset: every method) and the keys of an slo section (objective, window,
		 * latency-threshold, slow-down-at, freeze-at), which default to
		 * resilience.defaults.slo.
		 */
		private final Map<String, HttpSloProperties> http = new LinkedHashMap<>();

		public SloStoreType getStore() {
			return this.store;
		}

		public void setStore(SloStoreType store) {
			this.store = store;
		}

		public Duration getFlushInterval() {
			return this.flushInterval;
		}

		public void setFlushInterval(Duration flushInterval) {
			this.flushInterval = flushInterval;
		}

		public Map<String, HttpSloProperties> getHttp() {
			return this.http;
		}

	}

	/**
	 * Settings of the circuit breakers shared by the fleet ({@code resilience.fleet}).
	 */
	public static class Fleet {

		/**
		 * Where the instances add up the outcomes of their fleet breakers: jdbc or redis
		 * for a fleet; memory shares them within this JVM only, which opens nothing a
		 * breaker would not open itself. Unset: the same as resilience.idempotency.store.
		 */
		private FleetStoreType store;

		/**
		 * How often an instance sends its breakers' outcomes and reads the fleet's, and the
		 * length of the store's time buckets; every instance must use the same.
		 */
		private Duration syncInterval = Duration.ofMillis(250);

		/**
		 * Whether a failed or slow call, or a probe, brings its breaker's next exchange
		 * forward, to a fifth of sync-interval after the last one (at most two such exchanges
		 * between two scheduled ones), so the fleet's breakers open and close sooner; false
		 * exchanges on schedule only.
		 */
		private boolean exchangeOnFailure = true;

		public FleetStoreType getStore() {
			return this.store;
		}

		public void setStore(FleetStoreType store) {
			this.store = store;
		}

		public Duration getSyncInterval() {
			return this.syncInterval;
		}

		public void setSyncInterval(Duration syncInterval) {
			this.syncInterval = syncInterval;
		}

		public boolean isExchangeOnFailure() {
			return this.exchangeOnFailure;
		}

		public void setExchangeOnFailure(boolean exchangeOnFailure) {
			this.exchangeOnFailure = exchangeOnFailure;
		}

	}

}

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

}

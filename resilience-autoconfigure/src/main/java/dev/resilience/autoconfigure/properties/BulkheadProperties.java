package dev.resilience.autoconfigure.properties;

import java.time.Duration;

/**
 * The {@code bulkhead} section of an instance. Unset values ({@code null}) are inherited
 * from {@code resilience.defaults}, then from the built-in defaults.
 */
public class BulkheadProperties {

	/**
	 * How many calls may run at once. Default: 25.
	 */
	private Integer maxConcurrentCalls;

	/**
	 * How long a call waits for a permit before it is rejected; 0 rejects at once.
	 * Asynchronous calls (CompletionStage, Mono, Flux) never wait: they are rejected at
	 * once. Default: 0ms.
	 */
	private Duration maxWait;

	public Integer getMaxConcurrentCalls() {
		return this.maxConcurrentCalls;
	}

	public void setMaxConcurrentCalls(Integer maxConcurrentCalls) {
		this.maxConcurrentCalls = maxConcurrentCalls;
	}

	public Duration getMaxWait() {
		return this.maxWait;
	}

	public void setMaxWait(Duration maxWait) {
		this.maxWait = maxWait;
	}

}

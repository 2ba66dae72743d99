package dev.resilience.autoconfigure.properties;

import java.time.Duration;

/**
 * The {@code idempotency} section of an instance. The store, lease, wait and key length
 * are shared by every instance and live under {@code resilience.idempotency}.
 */
public class InstanceIdempotencyProperties {

	/**
	 * How long a completed call's result is kept and replayed to duplicates. Default:
	 * 24h.
	 */
	private Duration ttl;

	public Duration getTtl() {
		return this.ttl;
	}

	public void setTtl(Duration ttl) {
		this.ttl = ttl;
	}

}

package dev.resilience.autoconfigure.properties;

import java.time.Duration;

/**
 * The {@code bulkhead} section of an instance. Unset values ({@code null}) are inherited
 * from {@code resilience.defaults}, then from the built-in defaults.
 */
public class BulkheadProperties {

	/**
	 * How many calls may run at once. Default: 25. With adaptive set, the ceiling of the
	 * adaptive limit.
	 */
	private Integer maxConcurrentCalls;

	/**
	 * How long a call waits for a permit before it is rejected; 0 rejects at once.
	 * Waiting calls are served in arrival order. Asynchronous calls (CompletionStage,
	 * Mono, Flux) wait too, without holding a thread. Default: 0ms.
	 */
	private Duration maxWait;

	/**
	 * Whether the limit follows observed latency instead of staying at
	 * max-concurrent-calls: it shrinks when calls start to queue downstream and grows
	 * while latency stays flat, between min-concurrent-calls and max-concurrent-calls.
	 * Default: false.
	 */
	private Boolean adaptive;

	/**
	 * Floor of the adaptive limit. Only with adaptive: true. Default: 1.
	 */
	private Integer minConcurrentCalls;

	/**
	 * Adaptive limit before any call has been measured. Only with adaptive: true.
	 * Default: 20, or the floor or ceiling when 20 is outside them.
	 */
	private Integer initialConcurrentCalls;

	/**
	 * How much of each new estimate the adaptive limit takes, in (0, 1]: smaller is
	 * steadier and slower. Only with adaptive: true. Default: 0.2.
	 */
	private Double smoothing;

	/**
	 * How much slower than their no-load latency calls may become before the adaptive
	 * limit shrinks, at least 1: 1.25 tolerates 25% queueing delay. Only with adaptive:
	 * true. Default: 1.25.
	 */
	private Double latencyTolerance;

	/**
	 * How often, in round trips of calls, the adaptive limit is halved briefly to measure
	 * the no-load latency again. Only with adaptive: true. Default: 100.
	 */
	private Integer probeInterval;

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

	public Boolean getAdaptive() {
		return this.adaptive;
	}

	public void setAdaptive(Boolean adaptive) {
		this.adaptive = adaptive;
	}

	public Integer getMinConcurrentCalls() {
		return this.minConcurrentCalls;
	}

	public void setMinConcurrentCalls(Integer minConcurrentCalls) {
		this.minConcurrentCalls = minConcurrentCalls;
	}

	public Integer getInitialConcurrentCalls() {
		return this.initialConcurrentCalls;
	}

	public void setInitialConcurrentCalls(Integer initialConcurrentCalls) {
		this.initialConcurrentCalls = initialConcurrentCalls;
	}

	public Double getSmoothing() {
		return this.smoothing;
	}

	public void setSmoothing(Double smoothing) {
		this.smoothing = smoothing;
	}

	public Double getLatencyTolerance() {
		return this.latencyTolerance;
	}

	public void setLatencyTolerance(Double latencyTolerance) {
		this.latencyTolerance = latencyTolerance;
	}

	public Integer getProbeInterval() {
		return this.probeInterval;
	}

	public void setProbeInterval(Integer probeInterval) {
		this.probeInterval = probeInterval;
	}

}

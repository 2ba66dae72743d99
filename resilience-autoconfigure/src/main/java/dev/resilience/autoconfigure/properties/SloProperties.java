package dev.resilience.autoconfigure.properties;

import java.time.Duration;

/**
 * The {@code slo} section of an instance: a service level objective and the policy that
 * follows from its error budget. Unset values ({@code null}) are inherited from
 * {@code resilience.defaults}, then from the built-in defaults.
 */
public class SloProperties {

	/**
	 * Percent of events that must be good, in (0, 100). Default: 99.9.
	 */
	private Double objective;

	/**
	 * Window over which the objective is measured, in [3d, 100d]. Default: 30d.
	 */
	private Duration window;

	/**
	 * A call slower than this is a bad event even when it succeeds. Unset: only failures
	 * are bad events.
	 */
	private Duration latencyThreshold;

	/**
	 * Percent of the error budget consumed at which the policy becomes SLOW_DOWN, in
	 * (0, 100]. Default: 50.
	 */
	private Double slowDownAt;

	/**
	 * Percent of the error budget consumed at which the policy becomes FREEZE, in
	 * (0, 100] and not below slow-down-at. Default: 100.
	 */
	private Double freezeAt;

	public Double getObjective() {
		return this.objective;
	}

	public void setObjective(Double objective) {
		this.objective = objective;
	}

	public Duration getWindow() {
		return this.window;
	}

	public void setWindow(Duration window) {
		this.window = window;
	}

	public Duration getLatencyThreshold() {
		return this.latencyThreshold;
	}

	public void setLatencyThreshold(Duration latencyThreshold) {
		this.latencyThreshold = latencyThreshold;
	}

	public Double getSlowDownAt() {
		return this.slowDownAt;
	}

	public void setSlowDownAt(Double slowDownAt) {
		this.slowDownAt = slowDownAt;
	}

	public Double getFreezeAt() {
		return this.freezeAt;
	}

	public void setFreezeAt(Double freezeAt) {
		this.freezeAt = freezeAt;
	}

}

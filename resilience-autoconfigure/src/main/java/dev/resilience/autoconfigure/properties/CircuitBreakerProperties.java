package dev.resilience.autoconfigure.properties;

import java.time.Duration;
import java.util.List;

import dev.resilience.core.circuitbreaker.SlidingWindowType;

/**
 * The {@code circuit-breaker} section of an instance. Unset values ({@code null}) are
 * inherited from {@code resilience.defaults}, then from the built-in defaults.
 */
public class CircuitBreakerProperties {

	/**
	 * Whether the window holds the last N calls (count) or the calls of the last N
	 * seconds (time). Default: count.
	 */
	private SlidingWindowType slidingWindowType;

	/**
	 * Size of the window: calls for a count window, seconds for a time window. Default:
	 * 100.
	 */
	private Integer slidingWindowSize;

	/**
	 * Calls the window must hold before a failure rate is computed; at most
	 * sliding-window-size for a count window. Default: 20.
	 */
	private Integer minimumCalls;

	/**
	 * Percent of failed calls at or above which the breaker opens, in (0, 100].
	 * Default: 50.
	 */
	private Double failureRateThreshold;

	/**
	 * Failures in a row, without a success between them, at which the breaker opens
	 * whatever its window holds, so a dependency that fails every call is cut off after a
	 * few calls instead of half a window; 0 turns this off. Default: 10.
	 */
	private Integer consecutiveFailureThreshold;

	/**
	 * A call taking at least this long counts as slow. Default: 60s.
	 */
	private Duration slowCallDuration;

	/**
	 * Percent of slow calls at or above which the breaker opens, in (0, 100]. Default:
	 * 100.
	 */
	private Double slowCallRateThreshold;

	/**
	 * How long the breaker stays open the first time before it admits probe calls; each
	 * failed round of probes multiplies it by open-duration-multiplier, up to
	 * max-open-duration. Default: 1s.
	 */
	private Duration openDuration;

	/**
	 * Growth of the open period each time the probes fail and the breaker opens again, at
	 * least 1 (1 keeps every open period at open-duration). A breaker that opens again
	 * within max-open-duration of closing keeps growing. Default: 1.5.
	 */
	private Double openDurationMultiplier;

	/**
	 * Longest open period the growth reaches, at least open-duration. Default: 2s, or
	 * open-duration if that is longer.
	 */
	private Duration maxOpenDuration;

	/**
	 * Probe calls admitted while half-open; once all have completed, their failure or
	 * slow-call rate decides whether the breaker closes or opens again. Default: 1.
	 */
	private Integer halfOpenCalls;

	/**
	 * Exception classes counted as failures. Empty counts every exception that is not
	 * ignored. Default: empty.
	 */
	private List<Class<? extends Throwable>> recordOn;

	/**
	 * Exception classes that count neither as success nor as failure; wins over
	 * record-on. Default: empty.
	 */
	private List<Class<? extends Throwable>> ignore;

	/**
	 * Whether the breaker also opens on the outcomes of the whole fleet: every instance of
	 * the application adds this breaker's outcomes to the store of resilience.fleet.store,
	 * and opens its own breaker when the fleet's recent calls reach the thresholds above.
	 * For fleets of many instances, each of which sees too few calls to open in time.
	 */
	private Boolean fleet;

	public SlidingWindowType getSlidingWindowType() {
		return this.slidingWindowType;
	}

	public void setSlidingWindowType(SlidingWindowType slidingWindowType) {
		this.slidingWindowType = slidingWindowType;
	}

	public Integer getSlidingWindowSize() {
		return this.slidingWindowSize;
	}

	public void setSlidingWindowSize(Integer slidingWindowSize) {
		this.slidingWindowSize = slidingWindowSize;
	}

	public Integer getMinimumCalls() {
		return this.minimumCalls;
	}

	public void setMinimumCalls(Integer minimumCalls) {
		this.minimumCalls = minimumCalls;
	}

	public Double getFailureRateThreshold() {
		return this.failureRateThreshold;
	}

	public void setFailureRateThreshold(Double failureRateThreshold) {
		this.failureRateThreshold = failureRateThreshold;
	}

	public Integer getConsecutiveFailureThreshold() {
		return this.consecutiveFailureThreshold;
	}

	public void setConsecutiveFailureThreshold(Integer consecutiveFailureThreshold) {
		this.consecutiveFailureThreshold = consecutiveFailureThreshold;
	}

	public Duration getSlowCallDuration() {
		return this.slowCallDuration;
	}

	public void setSlowCallDuration(Duration slowCallDuration) {
		this.slowCallDuration = slowCallDuration;
	}

	public Double getSlowCallRateThreshold() {
		return this.slowCallRateThreshold;
	}

	public void setSlowCallRateThreshold(Double slowCallRateThreshold) {
		this.slowCallRateThreshold = slowCallRateThreshold;
	}

	public Duration getOpenDuration() {
		return this.openDuration;
	}

	public void setOpenDuration(Duration openDuration) {
		this.openDuration = openDuration;
	}

	public Double getOpenDurationMultiplier() {
		return this.openDurationMultiplier;
	}

	public void setOpenDurationMultiplier(Double openDurationMultiplier) {
		this.openDurationMultiplier = openDurationMultiplier;
	}

	public Duration getMaxOpenDuration() {
		return this.maxOpenDuration;
	}

	public void setMaxOpenDuration(Duration maxOpenDuration) {
		this.maxOpenDuration = maxOpenDuration;
	}

	public Integer getHalfOpenCalls() {
		return this.halfOpenCalls;
	}

	public void setHalfOpenCalls(Integer halfOpenCalls) {
		this.halfOpenCalls = halfOpenCalls;
	}

	public List<Class<? extends Throwable>> getRecordOn() {
		return this.recordOn;
	}

	public void setRecordOn(List<Class<? extends Throwable>> recordOn) {
		this.recordOn = recordOn;
	}

	public List<Class<? extends Throwable>> getIgnore() {
		return this.ignore;
	}

	public void setIgnore(List<Class<? extends Throwable>> ignore) {
		this.ignore = ignore;
	}

	public Boolean getFleet() {
		return this.fleet;
	}

	public void setFleet(Boolean fleet) {
		this.fleet = fleet;
	}

}

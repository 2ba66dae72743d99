package dev.resilience.autoconfigure.properties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.resilience.autoconfigure.loadshedding.RequestPriority;

/**
 * Inbound load shedding ({@code resilience.load-shedding}): a servlet filter admits
 * requests up to an adaptive concurrency limit and answers the rest at once with 503 and
 * {@code Retry-After}. Unlike the instance sections, every value here has its default
 * from the start.
 */
public class LoadSheddingProperties {

	/**
	 * Whether the load-shedding filter is installed in a servlet web application.
	 */
	private Boolean enabled = false;

	/**
	 * Ceiling of the adaptive limit on requests in flight.
	 */
	private Integer maxConcurrentRequests = 200;

	/**
	 * Floor of the adaptive limit on requests in flight.
	 */
	private Integer minConcurrentRequests = 1;

	/**
	 * Limit before any request has been measured.
	 */
	private Integer initialConcurrentRequests = 20;

	/**
	 * How much of each new estimate the limit takes, in (0, 1]: smaller is steadier and
	 * slower.
	 */
	private Double smoothing = 0.2;

	/**
	 * How much slower than their no-load latency requests may become before the limit
	 * shrinks, at least 1: 1.25 tolerates 25% queueing delay.
	 */
	private Double latencyTolerance = 1.25;

	/**
	 * How often, in round trips of requests, the limit is halved briefly to measure the
	 * no-load latency again.
	 */
	private Integer probeInterval = 100;

	/**
	 * Retry-After sent with a shed request's 503, rounded up to whole seconds.
	 */
	private Duration retryAfter = Duration.ofSeconds(1);

	/**
	 * Request paths never shed (Spring path patterns), such as the actuator and the health
	 * probes.
	 */
	private List<String> exemptPaths = new ArrayList<>(List.of("/actuator/**", "/livez", "/readyz"));

	/**
	 * Request header whose value (critical, normal, sheddable) sets a request's priority;
	 * empty to ignore priorities sent by clients.
	 */
	private String priorityHeader = "Resilience-Priority";

	/**
	 * Priority of requests that neither a route nor the header sets.
	 */
	private RequestPriority defaultPriority = RequestPriority.NORMAL;

	/**
	 * Priority by request path pattern, for example routes[/reports/**]=sheddable. The
	 * first matching pattern in configuration order wins; the priority header, when sent,
	 * takes precedence.
	 */
	private Map<String, RequestPriority> routes = new LinkedHashMap<>();

	public Boolean getEnabled() {
		return this.enabled;
	}

	public void setEnabled(Boolean enabled) {
		this.enabled = enabled;
	}

	public Integer getMaxConcurrentRequests() {
		return this.maxConcurrentRequests;
	}

	public void setMaxConcurrentRequests(Integer maxConcurrentRequests) {
		this.maxConcurrentRequests = maxConcurrentRequests;
	}

	public Integer getMinConcurrentRequests() {
		return this.minConcurrentRequests;
	}

	public void setMinConcurrentRequests(Integer minConcurrentRequests) {
		this.minConcurrentRequests = minConcurrentRequests;
	}

	public Integer getInitialConcurrentRequests() {
		return this.initialConcurrentRequests;
	}

	public void setInitialConcurrentRequests(Integer initialConcurrentRequests) {
		this.initialConcurrentRequests = initialConcurrentRequests;
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

	public Duration getRetryAfter() {
		return this.retryAfter;
	}

	public void setRetryAfter(Duration retryAfter) {
		this.retryAfter = retryAfter;
	}

	public List<String> getExemptPaths() {
		return this.exemptPaths;
	}

	public void setExemptPaths(List<String> exemptPaths) {
		this.exemptPaths = exemptPaths;
	}

	public String getPriorityHeader() {
		return this.priorityHeader;
	}

	public void setPriorityHeader(String priorityHeader) {
		this.priorityHeader = priorityHeader;
	}

	public RequestPriority getDefaultPriority() {
		return this.defaultPriority;
	}

	public void setDefaultPriority(RequestPriority defaultPriority) {
		this.defaultPriority = defaultPriority;
	}

	public Map<String, RequestPriority> getRoutes() {
		return this.routes;
	}

	public void setRoutes(Map<String, RequestPriority> routes) {
		this.routes = routes;
	}

}

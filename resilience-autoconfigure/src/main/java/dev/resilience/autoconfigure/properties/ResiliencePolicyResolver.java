package dev.resilience.autoconfigure.properties;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.resilience.core.bulkhead.AdaptiveLimitConfig;
import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.retry.RetryBudgetConfig;
import dev.resilience.core.retry.RetryConfig;

/**
 * Resolves the settings of a named instance: for every key, the value under
 * {@code resilience.instances.<name>} if set, else the value under
 * {@code resilience.defaults}, else the built-in default. Lists are replaced as a whole,
 * never concatenated. A name with nothing configured (an instance only referenced by an
 * annotation) gets {@code resilience.defaults}.
 * <p>
 * A value that breaks a rule raises a {@link ResilienceConfigurationException} naming the
 * property where it was written. Results are computed once per name and cached; the
 * properties are read as they were bound at start-up.
 */
public final class ResiliencePolicyResolver {

	private static final String PREFIX = "resilience";

	private static final String DEFAULTS_PREFIX = PREFIX + ".defaults";

	private static final List<String> HTTP_METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
			"OPTIONS", "TRACE");

	private final ResilienceProperties properties;

	private final Map<String, ResolvedPolicy> resolved = new ConcurrentHashMap<>();

	/** The HTTP objectives once resolved; {@code null} before. */
	private volatile Map<String, HttpSloSettings> httpSlos;

	/**
	 * @param properties the bound properties
	 */
	public ResiliencePolicyResolver(ResilienceProperties properties) {
		this.properties = Objects.requireNonNull(properties, "properties must not be null");
	}

	/**
	 * @param name an instance name, configured or not
	 * @return the merged and validated settings of the instance
	 * @throws ResilienceConfigurationException if a merged value breaks a rule
	 */
	public ResolvedPolicy resolve(String name) {
		Objects.requireNonNull(name, "name must not be null");
		if (name.isEmpty()) {
			throw new IllegalArgumentException("name must not be empty");
		}
		ResolvedPolicy policy = this.resolved.get(name);
		if (policy != null) {
			return policy;
		}
		// Not computeIfAbsent: resolving may throw, and a concurrent duplicate resolution
		// only costs time, it yields an equal value.
		policy = resolve(name, this.properties.getInstances().get(name), instancePrefix(name));
		ResolvedPolicy previous = this.resolved.putIfAbsent(name, policy);
		return (previous != null) ? previous : policy;
	}

	/**
	 * @return the names configured under {@code resilience.instances}, in configuration
	 * order
	 */
	public Set<String> instanceNames() {
		return Collections.unmodifiableSet(new LinkedHashSet<>(this.properties.getInstances().keySet()));
	}

	/**
	 * @return the idempotency store shared by every instance
	 */
	public IdempotencyStoreType idempotencyStore() {
		return this.properties.getIdempotency().getStore();
	}

	/**
	 * @return the health status an open circuit breaker contributes ({@code UNKNOWN})
	 */
	public String openCircuitStatus() {
		return this.properties.getHealth().getOpenCircuitStatus();
	}

	/**
	 * The service level objectives over HTTP routes, {@code resilience.slo.http.<name>}.
	 * Objective settings a route does not set are inherited from
	 * {@code resilience.defaults.slo}, then from the built-in defaults.
	 * @return the objectives by name, in configuration order
	 * @throws ResilienceConfigurationException if a value breaks a rule
	 */
	public Map<String, HttpSloSettings> httpSlos() {
		Map<String, HttpSloSettings> slos = this.httpSlos;
		if (slos == null) {
			// Benign race: concurrent first calls resolve equal maps.
			slos = resolveHttpSlos();
			this.httpSlos = slos;
		}
		return slos;
	}

	/**
	 * @return where the error budgets' counts are kept: {@code resilience.slo.store}, or
	 * when unset the kind of {@code resilience.idempotency.store}
	 */
	public SloStoreType sloStore() {
		SloStoreType store = this.properties.getSlo().getStore();
		if (store != null) {
			return store;
		}
		IdempotencyStoreType idempotencyStore = this.properties.getIdempotency().getStore();
		return (idempotencyStore != null) ? SloStoreType.valueOf(idempotencyStore.name()) : SloStoreType.MEMORY;
	}

	/**
	 * @return how often an instance writes its error budgets' counts to a shared store
	 */
	public Duration sloFlushInterval() {
		return this.properties.getSlo().getFlushInterval();
	}

	private Map<String, HttpSloSettings> resolveHttpSlos() {
		Map<String, HttpSloSettings> slos = new LinkedHashMap<>();
		for (Map.Entry<String, HttpSloProperties> entry : this.properties.getSlo().getHttp().entrySet()) {
			String name = entry.getKey();
			HttpSloProperties http = entry.getValue();
			String prefix = PREFIX + ".slo.http" + mapKey(name);
			String path = http.getPath();
			if (path == null || !path.startsWith("/")) {
				throw ResilienceConfigurationException.invalidValue(prefix + ".path", path,
						"must be a path pattern starting with / (such as /orders/**)", null);
			}
			String method = null;
			if (http.getMethod() != null) {
				method = http.getMethod().trim().toUpperCase(Locale.ROOT);
				if (!HTTP_METHODS.contains(method)) {
					throw ResilienceConfigurationException.invalidValue(prefix + ".method", http.getMethod(),
							"must be one of " + String.join(", ", HTTP_METHODS), null);
				}
			}
			SloSettings slo = slo(SectionMerger.<SloProperties>forInstance(http, this.properties.getDefaults().getSlo(),
					prefix, DEFAULTS_PREFIX + "." + PolicySection.SLO.propertyName()),
					EnumSet.noneOf(PolicySection.class));
			slos.put(name, new HttpSloSettings(name, path, method, slo));
		}
		return Collections.unmodifiableMap(slos);
	}

	/**
	 * Resolves {@code resilience.defaults} on its own, so that a bad default is reported
	 * under its own name even when no instance is configured.
	 */
	ResolvedPolicy resolveDefaults() {
		return resolve("(defaults)", null, DEFAULTS_PREFIX);
	}

	/**
	 * The sections set under {@code resilience.instances.<name>} itself, not inherited
	 * from {@code resilience.defaults}: what the instance asked for by name.
	 * @param name the instance name
	 * @return the sections with at least one key set on the instance
	 */
	public Set<PolicySection> sectionsSetOnInstance(String name) {
		InstanceProperties instance = this.properties.getInstances().get(name);
		if (instance == null) {
			return Set.of();
		}
		return resolve(name, instance, instancePrefix(name), new InstanceProperties()).configuredSections();
	}

	private ResolvedPolicy resolve(String name, InstanceProperties instance, String prefix) {
		return resolve(name, instance, prefix, this.properties.getDefaults());
	}

	private ResolvedPolicy resolve(String name, InstanceProperties instance, String prefix,
			InstanceProperties defaults) {
		Set<PolicySection> configured = EnumSet.noneOf(PolicySection.class);
		RetryConfig retry = retry(merger(instance, defaults, prefix, PolicySection.RETRY, InstanceProperties::getRetry),
				configured);
		SectionMerger<CircuitBreakerProperties> circuitBreakerMerger = merger(instance, defaults, prefix,
				PolicySection.CIRCUIT_BREAKER, InstanceProperties::getCircuitBreaker);
		boolean circuitBreakerFleet = circuitBreakerMerger.pick("fleet", CircuitBreakerProperties::getFleet, false);
		CircuitBreakerConfig circuitBreaker = circuitBreaker(circuitBreakerMerger, configured);
		BulkheadConfig bulkhead = bulkhead(
				merger(instance, defaults, prefix, PolicySection.BULKHEAD, InstanceProperties::getBulkhead),
				configured);
		SloSettings slo = slo(merger(instance, defaults, prefix, PolicySection.SLO, InstanceProperties::getSlo),
				configured);
		IdempotencySettings idempotency = idempotency(merger(instance, defaults, prefix, PolicySection.IDEMPOTENCY,
				InstanceProperties::getIdempotency), configured);
		return new ResolvedPolicy(name, retry, circuitBreaker, circuitBreakerFleet, bulkhead, slo, idempotency, configured);
	}

	private static <S> SectionMerger<S> merger(InstanceProperties instance, InstanceProperties defaults,
			String prefix, PolicySection section, Function<InstanceProperties, S> getter) {
		String key = "." + section.propertyName();
		if (prefix.equals(DEFAULTS_PREFIX)) {
			return SectionMerger.forDefaults(getter.apply(defaults), DEFAULTS_PREFIX + key);
		}
		S instanceSection = (instance != null) ? getter.apply(instance) : null;
		return SectionMerger.forInstance(instanceSection, getter.apply(defaults), prefix + key, DEFAULTS_PREFIX + key);
	}

	private static RetryConfig retry(SectionMerger<RetryProperties> merger, Set<PolicySection> configured) {
		RetryConfig builtIn = RetryConfig.defaults();
		SectionMerger<RetryProperties.Budget> budgetMerger = merger.nested(RetryProperties::getBudget, "budget");
		RetryBudgetConfig builtInBudget = builtIn.budget();
		boolean enabled = budgetMerger.pick("enabled", RetryProperties.Budget::getEnabled, builtInBudget.enabled());
		double ratio = budgetMerger.pick("ratio", RetryProperties.Budget::getRatio, builtInBudget.ratio());
		int minRetriesPerSecond = budgetMerger.pick("min-retries-per-second",
				RetryProperties.Budget::getMinRetriesPerSecond, builtInBudget.minRetriesPerSecond());
		Duration window = budgetMerger.pick("window", RetryProperties.Budget::getWindow, builtInBudget.window());
		RetryBudgetConfig budget = budgetMerger
			.build(() -> new RetryBudgetConfig(enabled, ratio, minRetriesPerSecond, window));
		RetryConfig.Builder builder = RetryConfig.builder()
			.maxAttempts(merger.pick("max-attempts", RetryProperties::getMaxAttempts, builtIn.maxAttempts()))
			.initialBackoff(merger.pick("initial-backoff", RetryProperties::getInitialBackoff, builtIn.initialBackoff()))
			.multiplier(merger.pick("multiplier", RetryProperties::getMultiplier, builtIn.multiplier()))
			.maxBackoff(merger.pick("max-backoff", RetryProperties::getMaxBackoff, builtIn.maxBackoff()))
			.jitter(merger.pick("jitter", RetryProperties::getJitter, builtIn.jitter()))
			.retryOn(merger.pickExceptionTypes("retry-on", RetryProperties::getRetryOn, builtIn.retryOn()))
			.ignore(merger.pickExceptionTypes("ignore", RetryProperties::getIgnore, builtIn.ignore()))
			.nested(merger.pick("nested", RetryProperties::getNested, builtIn.nested()))
			.budget(budget);
		RetryConfig retry = merger.build(builder::build);
		if (merger.configured() || budgetMerger.configured()) {
			configured.add(PolicySection.RETRY);
		}
		return retry;
	}

	private static CircuitBreakerConfig circuitBreaker(SectionMerger<CircuitBreakerProperties> merger,
			Set<PolicySection> configured) {
		CircuitBreakerConfig builtIn = CircuitBreakerConfig.defaults();
		CircuitBreakerConfig.Builder builder = CircuitBreakerConfig.builder()
			.slidingWindowType(merger.pick("sliding-window-type", CircuitBreakerProperties::getSlidingWindowType,
					builtIn.slidingWindowType()))
			.slidingWindowSize(merger.pick("sliding-window-size", CircuitBreakerProperties::getSlidingWindowSize,
					builtIn.slidingWindowSize()))
			.minimumCalls(
					merger.pick("minimum-calls", CircuitBreakerProperties::getMinimumCalls, builtIn.minimumCalls()))
			.failureRateThreshold(merger.pick("failure-rate-threshold",
					CircuitBreakerProperties::getFailureRateThreshold, builtIn.failureRateThreshold()))
			.consecutiveFailureThreshold(merger.pick("consecutive-failure-threshold",
					CircuitBreakerProperties::getConsecutiveFailureThreshold, builtIn.consecutiveFailureThreshold()))
			.slowCallDuration(merger.pick("slow-call-duration", CircuitBreakerProperties::getSlowCallDuration,
					builtIn.slowCallDuration()))
			.slowCallRateThreshold(merger.pick("slow-call-rate-threshold",
					CircuitBreakerProperties::getSlowCallRateThreshold, builtIn.slowCallRateThreshold()))
			.openDuration(
					merger.pick("open-duration", CircuitBreakerProperties::getOpenDuration, builtIn.openDuration()))
			.openDurationMultiplier(merger.pick("open-duration-multiplier",
					CircuitBreakerProperties::getOpenDurationMultiplier, builtIn.openDurationMultiplier()))
			// Unset: the built-in 2s, or open-duration if longer (the builder decides).
			.maxOpenDuration(merger.pick("max-open-duration", CircuitBreakerProperties::getMaxOpenDuration, null))
			.halfOpenCalls(
					merger.pick("half-open-calls", CircuitBreakerProperties::getHalfOpenCalls, builtIn.halfOpenCalls()))
			.recordOn(merger.pickExceptionTypes("record-on", CircuitBreakerProperties::getRecordOn, builtIn.recordOn()))
			.ignore(merger.pickExceptionTypes("ignore", CircuitBreakerProperties::getIgnore, builtIn.ignore()));
		CircuitBreakerConfig circuitBreaker = merger.build(builder::build);
		if (merger.configured()) {
			configured.add(PolicySection.CIRCUIT_BREAKER);
		}
		return circuitBreaker;
	}

	private static BulkheadConfig bulkhead(SectionMerger<BulkheadProperties> merger, Set<PolicySection> configured) {
		BulkheadConfig builtIn = BulkheadConfig.defaults();
		int maxConcurrentCalls = merger.pick("max-concurrent-calls", BulkheadProperties::getMaxConcurrentCalls,
				builtIn.maxConcurrentCalls());
		Duration maxWait = merger.pick("max-wait", BulkheadProperties::getMaxWait, builtIn.maxWait());
		AdaptiveLimitConfig adaptive = AdaptiveLimits.forBulkhead(merger, maxConcurrentCalls);
		BulkheadConfig bulkhead = merger.build(() -> new BulkheadConfig(maxConcurrentCalls, maxWait, adaptive));
		if (merger.configured()) {
			configured.add(PolicySection.BULKHEAD);
		}
		return bulkhead;
	}

	private static SloSettings slo(SectionMerger<SloProperties> merger, Set<PolicySection> configured) {
		double objective = merger.pick("objective", SloProperties::getObjective, SloSettings.DEFAULT_OBJECTIVE);
		Duration window = merger.pick("window", SloProperties::getWindow, SloSettings.DEFAULT_WINDOW);
		Duration latencyThreshold = merger.pick("latency-threshold", SloProperties::getLatencyThreshold, null);
		double slowDownAt = merger.pick("slow-down-at", SloProperties::getSlowDownAt, SloSettings.DEFAULT_SLOW_DOWN_AT);
		double freezeAt = merger.pick("freeze-at", SloProperties::getFreezeAt, SloSettings.DEFAULT_FREEZE_AT);
		SloSettings slo = merger.build(() -> new SloSettings(objective, window, latencyThreshold, slowDownAt, freezeAt));
		if (merger.configured()) {
			configured.add(PolicySection.SLO);
		}
		return slo;
	}

	private IdempotencySettings idempotency(SectionMerger<InstanceIdempotencyProperties> merger,
			Set<PolicySection> configured) {
		ResilienceProperties.Idempotency shared = this.properties.getIdempotency();
		Duration ttl = merger.pick("ttl", InstanceIdempotencyProperties::getTtl, IdempotencySettings.DEFAULT_TTL);
		merger.sharedProperty("lease", PREFIX + ".idempotency.lease");
		merger.sharedProperty("duplicate-wait", PREFIX + ".idempotency.wait");
		merger.sharedProperty("max-key-length", PREFIX + ".idempotency.max-key-length");
		Integer maxKeyLength = shared.getMaxKeyLength();
		if (maxKeyLength == null) {
			throw ResilienceConfigurationException.invalidValue(PREFIX + ".idempotency.max-key-length", null,
					"must be set", null);
		}
		// A null lease or wait (an empty property) is reported by the record's own check.
		IdempotencySettings idempotency = merger
			.build(() -> new IdempotencySettings(ttl, shared.getLease(), shared.getWait(), maxKeyLength));
		if (merger.configured()) {
			configured.add(PolicySection.IDEMPOTENCY);
		}
		return idempotency;
	}

	private static String instancePrefix(String name) {
		return PREFIX + ".instances" + mapKey(name);
	}

	private static String mapKey(String name) {
		// Names with dots or other special characters must be written in brackets.
		boolean plain = name.chars().allMatch((c) -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
		return plain ? "." + name : "[" + name + "]";
	}

}

package dev.resilience.autoconfigure.slo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

import dev.resilience.autoconfigure.properties.PolicySection;
import dev.resilience.autoconfigure.properties.ResiliencePolicyResolver;
import dev.resilience.autoconfigure.properties.ResolvedPolicy;
import dev.resilience.core.ExceptionClassifier;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.slo.ErrorBudget;
import dev.resilience.core.time.Ticker;

/**
 * The error budgets of named instances: an instance has one when its {@code slo} section
 * (or that of {@code resilience.defaults}) sets at least one key. A call's exception is a
 * bad event when the instance's circuit breaker would record it as a failure: it is not
 * in {@code circuit-breaker.ignore} and, when {@code circuit-breaker.record-on} is set,
 * is in it. Those classifiers apply whether or not the method has a circuit breaker.
 */
public final class InstanceErrorBudgets {

	private final ErrorBudgetRegistry registry;

	private final ResiliencePolicyResolver resolver;

	/**
	 * @param registry where the budgets live
	 * @param resolver the instances' settings
	 */
	public InstanceErrorBudgets(ErrorBudgetRegistry registry, ResiliencePolicyResolver resolver) {
		this.registry = Objects.requireNonNull(registry, "registry must not be null");
		this.resolver = Objects.requireNonNull(resolver, "resolver must not be null");
	}

	/**
	 * Creates the budgets of the instances configured under {@code resilience.instances},
	 * so that they are reported before their first call.
	 */
	public void registerConfiguredInstances() {
		for (String name : this.resolver.instanceNames()) {
			errorBudget(name);
		}
	}

	/**
	 * @param name an instance name
	 * @return the instance's budget, created on first use, or {@code null} when the
	 * instance has no objective
	 */
	public ErrorBudget errorBudget(String name) {
		ResolvedPolicy policy = this.resolver.resolve(name);
		if (!policy.isConfigured(PolicySection.SLO)) {
			return null;
		}
		return this.registry.errorBudget(name, policy.slo().toConfig());
	}

	/**
	 * @param instanceNames the instances a method's annotations name; repeats are recorded
	 * once
	 * @param ticker measures the calls' durations
	 * @return a recorder for the instances that have an objective, or
	 * {@link SloCallRecorder#NONE}
	 */
	public SloCallRecorder recorder(Collection<String> instanceNames, Ticker ticker) {
		List<ErrorBudget> budgets = new ArrayList<>();
		List<ExceptionClassifier> failures = new ArrayList<>();
		for (String name : new LinkedHashSet<>(instanceNames)) {
			ErrorBudget budget = errorBudget(name);
			if (budget != null) {
				CircuitBreakerConfig breaker = this.resolver.resolve(name).circuitBreaker();
				budgets.add(budget);
				failures.add(ExceptionClassifier.of(breaker.recordOn(), breaker.ignore()));
			}
		}
		return SloCallRecorder.of(budgets, failures, ticker);
	}

}

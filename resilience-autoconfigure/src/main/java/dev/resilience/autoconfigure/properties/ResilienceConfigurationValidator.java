package dev.resilience.autoconfigure.properties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.context.properties.source.UnboundElementsSourceFilter;
import org.springframework.core.env.Environment;

/**
 * Validates the whole {@code resilience.*} configuration when the application starts, so
 * that a mistake stops start-up instead of surfacing at the first call of a rarely used
 * method: every key must be known, and {@code resilience.defaults} and every configured
 * instance must resolve to valid settings. Failures are
 * {@link ResilienceConfigurationException}s naming the property.
 */
public final class ResilienceConfigurationValidator implements InitializingBean {

	private final ResiliencePolicyResolver resolver;

	private final ResilienceProperties properties;

	private final Environment environment;

	/**
	 * @param resolver resolves the instances to validate
	 * @param properties the bound properties
	 * @param environment where the configured keys are read from
	 */
	public ResilienceConfigurationValidator(ResiliencePolicyResolver resolver, ResilienceProperties properties,
			Environment environment) {
		this.resolver = Objects.requireNonNull(resolver, "resolver must not be null");
		this.properties = Objects.requireNonNull(properties, "properties must not be null");
		this.environment = Objects.requireNonNull(environment, "environment must not be null");
	}

	@Override
	public void afterPropertiesSet() {
		validate();
	}

	/**
	 * Checks every key and value.
	 * @throws ResilienceConfigurationException at the first mistake
	 */
	public void validate() {
		// Unknown keys first: a misspelt key leaves its value unbound, which would
		// otherwise show up as a confusing complaint about some other value.
		checkKeysAreKnown();
		checkSharedSettings();
		this.resolver.resolveDefaults();
		for (String name : this.properties.getInstances().keySet()) {
			this.resolver.resolve(name);
		}
		checkHttpSlos();
	}

	private void checkHttpSlos() {
		for (String name : this.resolver.httpSlos().keySet()) {
			if (this.properties.getInstances().containsKey(name)
					&& this.resolver.resolve(name).isConfigured(PolicySection.SLO)) {
				// Both would record into one error budget of that name.
				throw ResilienceConfigurationException.invalidValue("resilience.slo.http." + name, name,
						"must not share its name with an instance that has an slo section", null);
			}
		}
	}

	private void checkKeysAreKnown() {
		PropertyKeys keys = PropertyKeys.get();
		// Environment variables and system properties are skipped, as Spring Boot does
		// for unknown fields: they hold many names that were never meant for us.
		UnboundElementsSourceFilter userSources = new UnboundElementsSourceFilter();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			if (!(source instanceof IterableConfigurationPropertySource) || !userSources.apply(source)) {
				continue;
			}
			List<ConfigurationPropertyName> unknown = new ArrayList<>();
			for (ConfigurationPropertyName name : ((IterableConfigurationPropertySource) source)
				.filter(PropertyKeys.ROOT::isAncestorOf)) {
				if (!keys.isKnown(name)) {
					unknown.add(name);
				}
			}
			if (!unknown.isEmpty()) {
				unknown.sort(null);
				ConfigurationPropertyName first = unknown.get(0);
				ConfigurationProperty property = source.getConfigurationProperty(first);
				throw ResilienceConfigurationException.unknownProperty(first.toString(),
						(property != null) ? property.getValue() : null, keys.suggest(first));
			}
		}
	}

	private void checkSharedSettings() {
		if (this.properties.getIdempotency().getStore() == null) {
			throw ResilienceConfigurationException.invalidValue("resilience.idempotency.store", null,
					"must be one of memory, jdbc, redis", null);
		}
		Duration flushInterval = this.properties.getSlo().getFlushInterval();
		if (flushInterval == null || flushInterval.isNegative() || flushInterval.isZero()) {
			throw ResilienceConfigurationException.invalidValue("resilience.slo.flush-interval", flushInterval,
					"must be > 0", null);
		}
		Duration syncInterval = this.properties.getFleet().getSyncInterval();
		if (syncInterval == null || syncInterval.toMillis() <= 0) {
			throw ResilienceConfigurationException.invalidValue("resilience.fleet.sync-interval", syncInterval,
					"must be at least 1ms", null);
		}
		String status = this.properties.getHealth().getOpenCircuitStatus();
		if (status == null || status.isBlank()) {
			throw ResilienceConfigurationException.invalidValue("resilience.health.open-circuit-status", status,
					"must be a health status such as UNKNOWN, UP, OUT_OF_SERVICE or DOWN", null);
		}
		LoadSheddingSettings.of(this.properties.getLoadShedding());
	}

}

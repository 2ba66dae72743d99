package dev.resilience.autoconfigure.properties;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

import static org.assertj.core.api.Assertions.assertThat;

class PropertyKeysTests {

	private final PropertyKeys keys = PropertyKeys.get();

	@Test
	void everyDocumentedKindOfKeyIsKnown() {
		assertThat(known("resilience.instances.payments.retry.max-attempts")).isTrue();
		assertThat(known("resilience.instances.payments.retry.budget.min-retries-per-second")).isTrue();
		assertThat(known("resilience.instances.payments.circuit-breaker.record-on[3]")).isTrue();
		assertThat(known("resilience.instances[Orders.place].slo.latency-threshold")).isTrue();
		assertThat(known("resilience.defaults.idempotency.ttl")).isTrue();
		assertThat(known("resilience.idempotency.max-key-length")).isTrue();
		assertThat(known("resilience.health.open-circuit-status")).isTrue();
		assertThat(known("resilience.defaults.retry")).as("a group").isTrue();
		assertThat(this.keys.isKnown(ConfigurationPropertyName.adapt("resilience.defaults.circuit-breaker.recordOn", '.')))
			.as("camel case binds too")
			.isTrue();
	}

	@Test
	void keysOutsideTheTreeAreUnknown() {
		assertThat(known("resilience.instances.payments.retry.max-atempts")).isFalse();
		assertThat(known("resilience.instances.payments.retry.max-attempts.more")).isFalse();
		assertThat(known("resilience.instances.payments.retry.jitter[0]")).isFalse();
		assertThat(known("resilience.defaults.idempotency.store")).as("shared only").isFalse();
		assertThat(known("resilience.instnces.payments.retry.max-attempts")).isFalse();
	}

	@Test
	void suggestsTheClosestKnownKeyKeepingTheInstanceName() {
		assertThat(suggest("resilience.instances.payments.retry.max-atempts"))
			.isEqualTo("resilience.instances.payments.retry.max-attempts");
		assertThat(suggest("resilience.instnces.payments.retry.jiter"))
			.isEqualTo("resilience.instances.payments.retry.jitter");
		assertThat(suggest("resilience.instances[Orders.place].bulkhead.max-wiat"))
			.isEqualTo("resilience.instances[Orders.place].bulkhead.max-wait");
		assertThat(suggest("resilience.defaults.circuit-breaker.recrod-on[0]"))
			.isEqualTo("resilience.defaults.circuit-breaker.record-on[0]");
	}

	@Test
	void suggestsNothingWhenNoKeyIsClose() {
		assertThat(suggest("resilience.instances.payments.timeout")).isNull();
		assertThat(suggest("resilience.instances.payments.retry.max-attempts")).as("already known").isNull();
	}

	@Test
	void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
		assertThat(PropertyKeys.editDistance("maxatempts", "maxattempts")).isEqualTo(1);
		assertThat(PropertyKeys.editDistance("jiter", "jitter")).isEqualTo(1);
		assertThat(PropertyKeys.editDistance("kitten", "sitting")).isEqualTo(3);
		assertThat(PropertyKeys.editDistance("", "ttl")).isEqualTo(3);
	}

	private boolean known(String name) {
		return this.keys.isKnown(ConfigurationPropertyName.of(name));
	}

	private String suggest(String name) {
		return this.keys.suggest(ConfigurationPropertyName.of(name));
	}

}

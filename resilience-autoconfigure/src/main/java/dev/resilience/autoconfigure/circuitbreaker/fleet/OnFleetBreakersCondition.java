package dev.resilience.autoconfigure.circuitbreaker.fleet;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code circuit-breaker.fleet} is true under {@code resilience.defaults} or
 * under any {@code resilience.instances.<name>}: without fleet breakers, nothing is counted
 * on the calls' path and no thread is started. A value that does not bind matches, so
 * that the configuration binding reports it.
 */
class OnFleetBreakersCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Binder binder = Binder.get(context.getEnvironment());
		try {
			if (binder.bind("resilience.defaults.circuit-breaker.fleet", Boolean.class).orElse(false)) {
				return ConditionOutcome.match("resilience.defaults.circuit-breaker.fleet is true");
			}
			Map<String, FleetFlag> instances = binder
				.bind("resilience.instances", Bindable.mapOf(String.class, FleetFlag.class))
				.orElse(Map.of());
			for (Map.Entry<String, FleetFlag> instance : instances.entrySet()) {
				if (instance.getValue().getCircuitBreaker().isFleet()) {
					return ConditionOutcome
						.match("resilience.instances." + instance.getKey() + ".circuit-breaker.fleet is true");
				}
			}
		}
		catch (RuntimeException ex) {
			return ConditionOutcome.match("circuit-breaker.fleet does not bind: " + ex.getMessage());
		}
		return ConditionOutcome.noMatch("no circuit-breaker.fleet is true");
	}

	/** The one key this condition reads from an instance. */
	public static class FleetFlag {

		private final Section circuitBreaker = new Section();

		public Section getCircuitBreaker() {
			return this.circuitBreaker;
		}

		/** The circuit-breaker section, reduced to its fleet key. */
		public static class Section {

			private boolean fleet;

			public boolean isFleet() {
				return this.fleet;
			}

			public void setFleet(boolean fleet) {
				this.fleet = fleet;
			}

		}

	}

}

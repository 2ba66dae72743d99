package dev.resilience.autoconfigure.circuitbreaker.fleet;

import java.util.Locale;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

import dev.resilience.autoconfigure.properties.FleetStoreType;

/**
 * Matches when the fleet's breaker outcomes are to be shared through a given kind of
 * store: {@code resilience.fleet.store}, or when unset, {@code resilience.idempotency.store}.
 * An unknown value does not match here; the configuration binding reports it.
 */
abstract class OnFleetStoreCondition extends SpringBootCondition {

	private final FleetStoreType type;

	OnFleetStoreCondition(FleetStoreType type) {
		this.type = type;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Environment environment = context.getEnvironment();
		String source = "resilience.fleet.store";
		String value = environment.getProperty(source);
		if (value == null || value.isBlank()) {
			source = "resilience.idempotency.store";
			value = environment.getProperty(source, "memory");
		}
		String wanted = this.type.name().toLowerCase(Locale.ROOT);
		String message = source + " is " + value;
		return wanted.equalsIgnoreCase(value.trim()) ? ConditionOutcome.match(message)
				: ConditionOutcome.noMatch(message + ", not " + wanted);
	}

	/** The store is JDBC. */
	static final class Jdbc extends OnFleetStoreCondition {

		Jdbc() {
			super(FleetStoreType.JDBC);
		}

	}

	/** The store is Redis. */
	static final class Redis extends OnFleetStoreCondition {

		Redis() {
			super(FleetStoreType.REDIS);
		}

	}

}

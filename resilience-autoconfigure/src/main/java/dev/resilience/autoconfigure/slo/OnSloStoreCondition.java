package dev.resilience.autoconfigure.slo;

import java.util.Locale;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

import dev.resilience.autoconfigure.properties.SloStoreType;

/**
 * Matches when the error budgets are to be shared through a given kind of store:
 * {@code resilience.slo.store}, or when unset, {@code resilience.idempotency.store}.
 * An unknown value does not match here; the configuration validator reports it.
 */
abstract class OnSloStoreCondition extends SpringBootCondition {

	private final SloStoreType type;

	OnSloStoreCondition(SloStoreType type) {
		this.type = type;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Environment environment = context.getEnvironment();
		String source = "resilience.slo.store";
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
	static final class Jdbc extends OnSloStoreCondition {

		Jdbc() {
			super(SloStoreType.JDBC);
		}

	}

	/** The store is Redis. */
	static final class Redis extends OnSloStoreCondition {

		Redis() {
			super(SloStoreType.REDIS);
		}

	}

}

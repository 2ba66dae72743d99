package dev.resilience.autoconfigure.internal;

import java.util.Locale;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when a capability's state is to be shared through a given kind of store: its
 * own property (such as {@code resilience.fleet.store}), or when that is unset,
 * {@code resilience.idempotency.store}, whose default is {@code memory}. An unknown value does not
 * match here; the
 * property's binding or the configuration validator reports it. Each capability subclasses it once
 * per kind, since {@code @Conditional} takes a class.
 */
public abstract class OnStoreKindCondition extends SpringBootCondition {

	/** The property that chooses the store of every capability without one of its own. */
	private static final String FALLBACK_PROPERTY = "resilience.idempotency.store";

	private final String property;

	private final String kind;

	/**
	 * @param property the capability's own property
	 * @param kind the kind of store to match, such as {@code JDBC}; compared ignoring case
	 */
	protected OnStoreKindCondition(String property, Enum<?> kind) {
		this.property = property;
		this.kind = kind.name().toLowerCase(Locale.ROOT);
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Environment environment = context.getEnvironment();
		String source = this.property;
		String value = environment.getProperty(source);
		if (value == null || value.isBlank()) {
			source = FALLBACK_PROPERTY;
			value = environment.getProperty(source, "memory");
		}
		String message = source + " is " + value;
		return this.kind.equalsIgnoreCase(value.trim()) ? ConditionOutcome.match(message)
				: ConditionOutcome.noMatch(message + ", not " + this.kind);
	}

}

package dev.resilience.autoconfigure.slo;

import dev.resilience.autoconfigure.internal.OnStoreKindCondition;
import dev.resilience.autoconfigure.properties.SloStoreType;

/**
 * Matches when the error budgets are to be shared through a given kind of store:
 * {@code resilience.slo.store}, or when unset, {@code resilience.idempotency.store}.
 * An unknown value does not match here; the configuration validator reports it.
 */
abstract class OnSloStoreCondition extends OnStoreKindCondition {

	OnSloStoreCondition(SloStoreType type) {
		super("resilience.slo.store", type);
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

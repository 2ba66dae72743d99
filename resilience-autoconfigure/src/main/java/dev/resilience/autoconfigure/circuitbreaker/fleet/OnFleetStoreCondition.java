package dev.resilience.autoconfigure.circuitbreaker.fleet;

import dev.resilience.autoconfigure.internal.OnStoreKindCondition;
import dev.resilience.autoconfigure.properties.FleetStoreType;

/**
 * Matches when the fleet's breaker outcomes are to be shared through a given kind of
 * store: {@code resilience.fleet.store}, or when unset, {@code resilience.idempotency.store}.
 * An unknown value does not match here; the configuration binding reports it.
 */
abstract class OnFleetStoreCondition extends OnStoreKindCondition {

	OnFleetStoreCondition(FleetStoreType type) {
		super("resilience.fleet.store", type);
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

package dev.resilience.autoconfigure.idempotency;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.resilience.autoconfigure.metrics.ResilienceMeterNames;
import dev.resilience.core.idempotency.IdempotencyListener;
import dev.resilience.core.idempotency.IdempotencyOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts idempotent calls by instance and outcome as
 * {@code resilience.idempotency.requests}. The counters of an instance are registered
 * together at its first call, so that every outcome shows, at zero until it happens.
 */
public final class MicrometerIdempotencyListener implements IdempotencyListener {

	private static final IdempotencyOutcome[] OUTCOMES = IdempotencyOutcome.values();

	private final MeterRegistry registry;

	private final ConcurrentMap<String, Counter[]> counters = new ConcurrentHashMap<>();

	MicrometerIdempotencyListener(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onOutcome(String name, IdempotencyOutcome outcome) {
		counters.computeIfAbsent(name, this::register)[outcome.ordinal()].increment();
	}

	private Counter[] register(String name) {
		Counter[] byOutcome = new Counter[OUTCOMES.length];
		for (IdempotencyOutcome outcome : OUTCOMES) {
			byOutcome[outcome.ordinal()] = Counter.builder(ResilienceMeterNames.IDEMPOTENCY_REQUESTS)
				.description("Idempotent calls, by how they were answered")
				.tag(ResilienceMeterNames.TAG_NAME, name)
				.tag(ResilienceMeterNames.TAG_OUTCOME, outcome.tag())
				.register(registry);
		}
		return byOutcome;
	}

}

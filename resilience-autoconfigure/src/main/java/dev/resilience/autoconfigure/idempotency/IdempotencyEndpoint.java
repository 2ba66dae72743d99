package dev.resilience.autoconfigure.idempotency;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.resilience.core.idempotency.Idempotency;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code /actuator/idempotency}: the store, and for every idempotency instance its ttl
 * and how many calls ended with each outcome ({@code executed}, {@code replayed},
 * {@code conflict}, {@code reused_key}), plus the store's failures.
 */
@Endpoint(id = "idempotency")
public class IdempotencyEndpoint {

	private final IdempotencyRegistry registry;

	public IdempotencyEndpoint(IdempotencyRegistry registry) {
		this.registry = registry;
	}

	@ReadOperation
	public IdempotencyDescriptor idempotency() {
		Map<String, InstanceDescriptor> instances = new LinkedHashMap<>();
		for (Idempotency idempotency : registry.instances()) {
			instances.put(idempotency.name(), describe(idempotency));
		}
		return new IdempotencyDescriptor(registry.store().toString(), instances);
	}

	@ReadOperation
	public InstanceDescriptor instance(@Selector String name) {
		return registry.find(name).map(this::describe).orElse(null);
	}

	private InstanceDescriptor describe(Idempotency idempotency) {
		Map<String, Long> outcomes = new LinkedHashMap<>();
		registry.outcomes(idempotency.name()).forEach((outcome, count) -> outcomes.put(outcome.tag(), count));
		return new InstanceDescriptor(idempotency.config().ttl().toString(), outcomes,
				registry.storeFailures(idempotency.name()));
	}

	/**
	 * The store and every instance, by name.
	 *
	 * @param store the store, as it describes itself
	 * @param instances the instances
	 */
	public record IdempotencyDescriptor(String store, Map<String, InstanceDescriptor> instances) {
	}

	/**
	 * One instance.
	 *
	 * @param ttl how long results are kept, as an ISO-8601 duration
	 * @param outcomes calls by outcome tag, as in the metric
	 * {@code resilience.idempotency.requests}
	 * @param storeFailures how often the store failed
	 */
	public record InstanceDescriptor(String ttl, Map<String, Long> outcomes, long storeFailures) {
	}

}

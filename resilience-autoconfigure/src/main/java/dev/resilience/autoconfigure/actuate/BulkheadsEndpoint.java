package dev.resilience.autoconfigure.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.bulkhead.Bulkhead;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code /actuator/bulkheads}: limit, free permits and rejections of every bulkhead. Written
 * by the actuator's own JSON mapper ({@link OperationResponseBody}), whatever the
 * application's Jackson settings.
 */
@Endpoint(id = "bulkheads")
public class BulkheadsEndpoint {

	private final ResilienceRegistry registry;

	public BulkheadsEndpoint(ResilienceRegistry registry) {
		this.registry = registry;
	}

	@ReadOperation
	public BulkheadsDescriptor bulkheads() {
		Map<String, BulkheadDescriptor> bulkheads = new LinkedHashMap<>();
		for (Bulkhead bulkhead : registry.bulkheads()) {
			bulkheads.put(bulkhead.name(), BulkheadDescriptor.of(bulkhead));
		}
		return new BulkheadsDescriptor(bulkheads);
	}

	@ReadOperation
	public BulkheadDescriptor bulkhead(@Selector String name) {
		return registry.findBulkhead(name).map(BulkheadDescriptor::of).orElse(null);
	}

	/**
	 * Every bulkhead, by name.
	 *
	 * @param bulkheads the bulkheads
	 */
	public record BulkheadsDescriptor(Map<String, BulkheadDescriptor> bulkheads) implements OperationResponseBody {
	}

	/**
	 * One bulkhead.
	 *
	 * @param maxConcurrentCalls the limit
	 * @param availableConcurrentCalls permits free now
	 * @param rejectedCalls calls rejected since the bulkhead was created
	 */
	public record BulkheadDescriptor(int maxConcurrentCalls, int availableConcurrentCalls,
			long rejectedCalls) implements OperationResponseBody {

		static BulkheadDescriptor of(Bulkhead bulkhead) {
			return new BulkheadDescriptor(bulkhead.maxConcurrentCalls(), bulkhead.availableConcurrentCalls(),
					bulkhead.rejectedCalls());
		}

	}

}

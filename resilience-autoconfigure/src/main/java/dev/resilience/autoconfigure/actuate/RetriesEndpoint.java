package dev.resilience.autoconfigure.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.retry.Retry;
import dev.resilience.core.retry.RetryMetrics;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code /actuator/retries}: calls, retries and the retry budget of every retry. Written by
 * the actuator's own JSON mapper ({@link OperationResponseBody}), whatever the
 * application's Jackson settings.
 */
@Endpoint(id = "retries")
public class RetriesEndpoint {

	private final ResilienceRegistry registry;

	public RetriesEndpoint(ResilienceRegistry registry) {
		this.registry = registry;
	}

	@ReadOperation
	public RetriesDescriptor retries() {
		Map<String, RetryDescriptor> retries = new LinkedHashMap<>();
		for (Retry retry : registry.retries()) {
			retries.put(retry.name(), RetryDescriptor.of(retry.metrics()));
		}
		return new RetriesDescriptor(retries);
	}

	@ReadOperation
	public RetryDescriptor retry(@Selector String name) {
		return registry.findRetry(name).map((retry) -> RetryDescriptor.of(retry.metrics())).orElse(null);
	}

	/**
	 * Every retry, by name.
	 *
	 * @param retries the retries
	 */
	public record RetriesDescriptor(Map<String, RetryDescriptor> retries) implements OperationResponseBody {
	}

	/**
	 * One retry.
	 *
	 * @param calls logical calls
	 * @param retriedCalls calls that made more than one attempt
	 * @param attempts attempts in all
	 * @param budget the retry budget
	 */
	public record RetryDescriptor(long calls, long retriedCalls, long attempts,
			BudgetDescriptor budget) implements OperationResponseBody {

		static RetryDescriptor of(RetryMetrics metrics) {
			return new RetryDescriptor(metrics.calls(), metrics.retriedCalls(), metrics.attempts(),
					new BudgetDescriptor(metrics.budgetAvailable(), metrics.budgetRatio(), metrics.budgetDenied()));
		}

	}

	/**
	 * A retry budget.
	 *
	 * @param available retries the budget allows right now
	 * @param ratio retries allowed per first attempt
	 * @param denied retries refused since the retry was created
	 */
	public record BudgetDescriptor(double available, double ratio, long denied) {
	}

}

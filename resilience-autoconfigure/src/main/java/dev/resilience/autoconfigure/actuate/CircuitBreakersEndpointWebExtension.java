package dev.resilience.autoconfigure.actuate;

import dev.resilience.autoconfigure.actuate.CircuitBreakersEndpoint.CircuitBreakerDetailsDescriptor;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The HTTP form of {@link CircuitBreakersEndpoint}'s write operation: a {@code POST} to a
 * breaker that does not exist answers 404. Without it the actuator would answer a
 * {@code null} result of a write with 204, which reads as success.
 */
@EndpointWebExtension(endpoint = CircuitBreakersEndpoint.class)
public class CircuitBreakersEndpointWebExtension {

	private final CircuitBreakersEndpoint delegate;

	public CircuitBreakersEndpointWebExtension(CircuitBreakersEndpoint delegate) {
		this.delegate = delegate;
	}

	/**
	 * Changes a breaker's state: {@code {"state": "FORCED_OPEN"}}, {@code CLOSED} or
	 * {@code DISABLED}.
	 * @param name the breaker
	 * @param state the target state
	 * @return the breaker after the change; 404 when there is no such breaker, 400 for any
	 * other state
	 */
	@WriteOperation
	public WebEndpointResponse<CircuitBreakerDetailsDescriptor> transition(@Selector String name, String state) {
		CircuitBreakerDetailsDescriptor changed = this.delegate.transition(name, state);
		return (changed != null) ? new WebEndpointResponse<>(changed)
				: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
	}

}

package dev.resilience.sample;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Retryable;
import org.springframework.stereotype.Service;

/**
 * Pays for orders through the payment gateway, protected by the starter: retried with
 * jittered backoff inside a retry budget, behind a circuit breaker and a bulkhead.
 */
@Service
public class CheckoutService {

	private final PaymentGateway gateway;

	public CheckoutService(PaymentGateway gateway) {
		this.gateway = gateway;
	}

	/**
	 * @param orderId the order
	 * @param amountCents the amount
	 * @return the payment reference
	 */
	@Retryable("payments")
	@CircuitBreaker("payments")
	@Bulkhead("payments")
	public String pay(String orderId, long amountCents) {
		return gateway.charge(orderId, amountCents);
	}

	/**
	 * The same protection with a fallback: when the gateway cannot be reached the payment
	 * is queued for later instead of failing the checkout.
	 * @param orderId the order
	 * @param amountCents the amount
	 * @return the payment reference, or a deferred marker
	 */
	@Retryable(value = "payments", fallbackMethod = "payLater")
	@CircuitBreaker("payments")
	@Bulkhead("payments")
	public String payOrDefer(String orderId, long amountCents) {
		return gateway.charge(orderId, amountCents);
	}

	String payLater(String orderId, long amountCents, Throwable cause) {
		return "deferred:" + orderId + ":" + cause.getClass().getSimpleName();
	}

}

package dev.resilience.sample;

import java.util.Map;
import java.util.UUID;

import dev.resilience.annotation.Idempotent;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Places orders: {@code POST /orders {"amountCents": 1250}} with an
 * {@code Idempotency-Key} header. The same key again gets the first answer back, with the
 * same order id and {@code Idempotent-Replayed: true}, and the customer is charged once;
 * the same key with another body is refused with 422, a request without a key with 400.
 * A payment that cannot be made answers 503 with {@code Retry-After} while the circuit
 * breaker is open or the bulkhead is full (and frees the key, so the client may retry);
 * {@code POST /orders/deferred} falls back to paying later instead.
 */
@RestController
@RequestMapping("/orders")
public class OrderController {

	private final CheckoutService checkout;

	public OrderController(CheckoutService checkout) {
		this.checkout = checkout;
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	@Idempotent("orders")
	public Map<String, Object> place(@RequestBody OrderRequest request) {
		String orderId = UUID.randomUUID().toString();
		String payment = checkout.pay(orderId, request.amountCents());
		return Map.of("orderId", orderId, "amountCents", request.amountCents(), "payment", payment);
	}

	@PostMapping("/deferred")
	@ResponseStatus(HttpStatus.CREATED)
	public Map<String, Object> placeOrDefer(@RequestBody OrderRequest request) {
		String orderId = UUID.randomUUID().toString();
		String payment = checkout.payOrDefer(orderId, request.amountCents());
		return Map.of("orderId", orderId, "amountCents", request.amountCents(), "payment", payment);
	}

	/**
	 * The body of {@code POST /orders}.
	 *
	 * @param amountCents the amount to pay
	 */
	public record OrderRequest(long amountCents) {
	}

}

package dev.resilience.sample;

/**
 * The payment gateway failed.
 */
public class PaymentGatewayException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public PaymentGatewayException(String message) {
		super(message);
	}

}

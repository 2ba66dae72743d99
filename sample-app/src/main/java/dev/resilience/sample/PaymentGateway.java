package dev.resilience.sample;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.stereotype.Component;

/**
 * An in-process stand-in for a remote payment provider. Its failure rate and latency are
 * changed at run time through {@link GatewayController}, so the protection around it can
 * be watched reacting.
 */
@Component
public class PaymentGateway {

	private final AtomicReference<GatewayBehaviour> behaviour = new AtomicReference<>(GatewayBehaviour.HEALTHY);

	private final AtomicLong charges = new AtomicLong();

	private final AtomicLong calls = new AtomicLong();

	/**
	 * Charges an amount, failing or lingering as currently configured.
	 * @param orderId the order paid for
	 * @param amountCents the amount
	 * @return the provider's payment reference
	 */
	public String charge(String orderId, long amountCents) {
		calls.incrementAndGet();
		GatewayBehaviour current = behaviour.get();
		if (current.latency().toMillis() > 0) {
			try {
				Thread.sleep(current.latency().toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new PaymentGatewayException("interrupted while charging " + orderId);
			}
		}
		if (ThreadLocalRandom.current().nextDouble() < current.failureRate()) {
			throw new PaymentGatewayException("payment gateway failed to charge " + orderId);
		}
		charges.incrementAndGet();
		return "pay-" + orderId + "-" + charges.get();
	}

	public GatewayBehaviour behaviour() {
		return behaviour.get();
	}

	public void behaviour(GatewayBehaviour behaviour) {
		this.behaviour.set(behaviour);
	}

	/**
	 * @return how many times the gateway was called, failed calls included
	 */
	public long calls() {
		return calls.get();
	}

	/**
	 * @return how many charges succeeded
	 */
	public long charges() {
		return charges.get();
	}

	/**
	 * How the gateway behaves.
	 *
	 * @param failureRate probability in [0, 1] that a call fails
	 * @param latency how long every call takes
	 */
	public record GatewayBehaviour(double failureRate, Duration latency) {

		static final GatewayBehaviour HEALTHY = new GatewayBehaviour(0, Duration.ZERO);

		public GatewayBehaviour {
			if (!(failureRate >= 0 && failureRate <= 1)) {
				throw new IllegalArgumentException("failureRate must be in [0, 1] but was " + failureRate);
			}
			if (latency == null || latency.isNegative() || latency.compareTo(Duration.ofSeconds(30)) > 0) {
				throw new IllegalArgumentException("latency must be in [0s, 30s] but was " + latency);
			}
		}

	}

}

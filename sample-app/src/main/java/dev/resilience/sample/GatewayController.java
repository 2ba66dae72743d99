package dev.resilience.sample;

import java.time.Duration;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Changes how the in-process payment gateway behaves:
 * {@code PUT /gateway {"failureRate": 1.0, "latencyMs": 0}}.
 */
@RestController
@RequestMapping("/gateway")
public class GatewayController {

	private final PaymentGateway gateway;

	public GatewayController(PaymentGateway gateway) {
		this.gateway = gateway;
	}

	@GetMapping
	public Map<String, Object> get() {
		return describe();
	}

	@PutMapping
	public ResponseEntity<Map<String, Object>> put(@RequestBody GatewaySettings settings) {
		try {
			gateway.behaviour(new PaymentGateway.GatewayBehaviour(settings.failureRate(),
					Duration.ofMillis(settings.latencyMs())));
		}
		catch (IllegalArgumentException ex) {
			return ResponseEntity.badRequest().body(Map.of("error", ex.getMessage()));
		}
		return ResponseEntity.ok(describe());
	}

	private Map<String, Object> describe() {
		PaymentGateway.GatewayBehaviour behaviour = gateway.behaviour();
		return Map.of("failureRate", behaviour.failureRate(), "latencyMs", behaviour.latency().toMillis(), "calls",
				gateway.calls(), "charges", gateway.charges());
	}

	/**
	 * The body of {@code PUT /gateway}.
	 *
	 * @param failureRate probability in [0, 1] that a call fails
	 * @param latencyMs how long every call takes, in milliseconds
	 */
	public record GatewaySettings(double failureRate, long latencyMs) {
	}

}

package dev.resilience.core.circuitbreaker;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.resilience.core.ResiliencePipeline;
import dev.resilience.core.time.ManualTicker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A listener hears the breaker's ticker reading at a call's end when the call was timed
 * on that ticker, and only then.
 */
class CircuitBreakerEndReadingTests {

	private final ManualTicker ticker = ManualTicker.startingAt(5_000_000_000L);

	/** Records each call as {@code outcome duration end}, the end {@code -} when not heard. */
	private final List<String> heard = new ArrayList<>();

	private final CircuitBreakerListener listener = new CircuitBreakerListener() {

		@Override
		public void onCall(String name, CallOutcome outcome, long durationNanos) {
			heard.add("call " + outcome + " " + durationNanos + " -");
		}

		@Override
		public void onCall(String name, CallOutcome outcome, long durationNanos, long endNanos) {
			heard.add("call " + outcome + " " + durationNanos + " " + endNanos);
		}

		@Override
		public void onProbe(String name, CallOutcome outcome, long durationNanos, long endNanos) {
			heard.add("probe " + outcome + " " + durationNanos + " " + endNanos);
		}

	};

	private CircuitBreaker breaker(ManualTicker clock) {
		return CircuitBreaker.of("payments", CircuitBreakerConfig.builder()
			.minimumCalls(2)
			.slidingWindowSize(2)
			.consecutiveFailureThreshold(0)
			.openDuration(Duration.ofSeconds(1))
			.halfOpenCalls(1)
			.build(), clock, listener);
	}

	@Test
	void executeHandsTheEndReadingOfSuccessesAndFailures() throws Throwable {
		CircuitBreaker breaker = breaker(ticker);
		assertThat(breaker.ticker()).isSameAs(ticker);
		breaker.execute(() -> {
			ticker.advance(Duration.ofMillis(3));
			return "ok";
		});
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> breaker.execute(() -> {
			ticker.advance(Duration.ofMillis(4));
			throw new IOException("down");
		}));
		assertThat(heard).containsExactly("call SUCCESS 3000000 5003000000", "call FAILURE 4000000 5007000000");
	}

	@Test
	void aPermitCompletedWithoutAReadingIsHeardWithoutOne() {
		CircuitBreaker breaker = breaker(ticker);
		breaker.acquirePermission().onSuccess(1_000);
		breaker.acquirePermission().onSuccess(2_000, 9_000);
		breaker.acquirePermission().onSuccess(3_000, CircuitBreakerListener.NO_END);
		breaker.acquirePermission().onError(4_000, CircuitBreakerListener.NO_END, new IOException("down"));
		assertThat(heard).containsExactly("call SUCCESS 1000 -", "call SUCCESS 2000 9000", "call SUCCESS 3000 -",
				"call FAILURE 4000 -");
	}

	@Test
	void aProbeIsHeardWithItsReadingToo() throws Throwable {
		CircuitBreaker breaker = breaker(ticker);
		breaker.acquirePermission().onError(0, new IOException("down"));
		breaker.acquirePermission().onError(0, new IOException("down"));
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		ticker.advance(Duration.ofSeconds(1));
		heard.clear();
		breaker.execute(() -> "ok");
		assertThat(heard).containsExactly("call SUCCESS 0 6000000000", "probe SUCCESS 0 6000000000");
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
	}

	@Test
	void aPipelineHandsItsReadingOnlyToABreakerOnTheSameTicker() throws Throwable {
		ResiliencePipeline same = ResiliencePipeline.builder("payments")
			.ticker(ticker)
			.circuitBreaker(breaker(ticker))
			.build();
		same.execute(() -> {
			ticker.advance(Duration.ofMillis(2));
			return "ok";
		});
		ManualTicker other = ManualTicker.startingAt(0);
		ResiliencePipeline elsewhere = ResiliencePipeline.builder("payments")
			.ticker(ticker)
			.circuitBreaker(breaker(other))
			.build();
		elsewhere.execute(() -> {
			ticker.advance(Duration.ofMillis(2));
			return "ok";
		});
		assertThat(heard).containsExactly("call SUCCESS 2000000 5002000000", "call SUCCESS 2000000 -");
	}

}

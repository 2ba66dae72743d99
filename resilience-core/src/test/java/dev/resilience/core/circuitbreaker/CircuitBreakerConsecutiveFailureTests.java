package dev.resilience.core.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.resilience.core.time.ManualTicker;

/**
 * {@code consecutiveFailureThreshold}: failures in a row open a closed breaker whatever its
 * window holds; any success ends the row.
 */
class CircuitBreakerConsecutiveFailureTests {

	private final ManualTicker ticker = ManualTicker.create();

	private final RecordingListener listener = new RecordingListener();

	/** A window that needs 100 calls before it may trip: only the row can open the breaker early. */
	private static CircuitBreakerConfig.Builder config() {
		return CircuitBreakerConfig.builder()
			.slidingWindowSize(100)
			.minimumCalls(100)
			.consecutiveFailureThreshold(5)
			.slowCallDuration(Duration.ofSeconds(1))
			.openDuration(Duration.ofSeconds(1))
			.halfOpenCalls(1);
	}

	private CircuitBreaker breaker(CircuitBreakerConfig.Builder config) {
		return CircuitBreaker.of("payments", config.build(), this.ticker, this.listener);
	}

	private static void fail(CircuitBreaker breaker, int calls) {
		for (int i = 0; i < calls; i++) {
			breaker.acquirePermission().onError(0, new IOException("down"));
		}
	}

	@Test
	void defaultsOpenAfterTenFailuresInARow() {
		CircuitBreaker breaker = CircuitBreaker.of("payments", CircuitBreakerConfig.defaults(), this.ticker,
				this.listener);
		assertThat(CircuitBreakerConfig.defaults().consecutiveFailureThreshold()).isEqualTo(10);
		fail(breaker, 9);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		fail(breaker, 1);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
	}

	@Test
	void opensAtTheThresholdBeforeTheWindowHasItsMinimumCalls() {
		CircuitBreaker breaker = breaker(config());
		fail(breaker, 4);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		fail(breaker, 1);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
		assertThat(this.listener.transitions).containsExactly("CLOSED->OPEN");
		// The window's figures are kept as they were, below its minimum: no rate to show.
		assertThat(breaker.metrics().bufferedCalls()).isEqualTo(5);
		assertThat(breaker.metrics().failedCalls()).isEqualTo(5);
	}

	@Test
	void aSuccessEndsTheRow() {
		CircuitBreaker breaker = breaker(config());
		fail(breaker, 4);
		breaker.acquirePermission().onSuccess(0);
		fail(breaker, 4);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		fail(breaker, 1);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
	}

	@Test
	void aSlowSuccessEndsTheRowToo() {
		CircuitBreaker breaker = breaker(config());
		fail(breaker, 4);
		breaker.acquirePermission().onSuccess(Duration.ofSeconds(2).toNanos());
		fail(breaker, 4);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
	}

	@Test
	void ignoredFailuresNeitherCountNorEndTheRow() {
		CircuitBreaker breaker = breaker(config().ignore(List.of(IllegalArgumentException.class)));
		fail(breaker, 4);
		breaker.acquirePermission().onError(0, new IllegalArgumentException("bad input"));
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		fail(breaker, 1);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
	}

	@Test
	void failuresNotRecordedAsFailuresEndTheRow() {
		// recordOn names IOException only: an IllegalStateException counts as a success.
		CircuitBreaker breaker = breaker(config().recordOn(List.of(IOException.class)));
		fail(breaker, 4);
		breaker.acquirePermission().onError(0, new IllegalStateException("not a dependency failure"));
		fail(breaker, 4);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
	}

	@Test
	void zeroTurnsTheRowOff() {
		CircuitBreaker breaker = breaker(config().consecutiveFailureThreshold(0));
		fail(breaker, 99);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		fail(breaker, 1);
		assertThat(breaker.state()).as("the window trips at its minimum").isEqualTo(CircuitBreakerState.OPEN);
	}

	@Test
	void theRowStartsAgainWhenTheBreakerClosesAfterItsProbes() {
		CircuitBreaker breaker = breaker(config());
		fail(breaker, 5);
		this.ticker.advance(Duration.ofSeconds(1));
		breaker.acquirePermission().onSuccess(0);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		fail(breaker, 4);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
		fail(breaker, 1);
		assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
	}

	@Test
	void thresholdMustNotBeNegative() {
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> CircuitBreakerConfig.builder().consecutiveFailureThreshold(-1).build())
			.hasMessage("consecutiveFailureThreshold must be >= 0 but was -1");
	}

}

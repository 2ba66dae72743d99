package dev.resilience.core.retry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.resilience.core.bulkhead.BulkheadFullException;
import dev.resilience.core.circuitbreaker.CallNotPermittedException;
import dev.resilience.core.circuitbreaker.CircuitBreakerState;
import dev.resilience.core.time.ManualTicker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryRefusalTests {

	private final ManualTicker ticker = ManualTicker.create();

	private final AtomicInteger attempts = new AtomicInteger();

	private Retry retry(RetryConfig config) {
		return Retry.of("payments", config, ticker, ticker, EdgeRandom.NEVER, RetryListener.NOOP);
	}

	@Test
	void openCircuitBreakerIsNotRetried() {
		Retry retry = retry(RetryConfig.defaults());
		CallNotPermittedException refusal = new CallNotPermittedException("payments", CircuitBreakerState.OPEN,
				Duration.ofSeconds(5));
		assertThatThrownBy(() -> retry.execute(() -> {
			attempts.incrementAndGet();
			throw refusal;
		})).isSameAs(refusal);
		assertThat(attempts).hasValue(1);
		assertThat(ticker.read()).isZero();
	}

	@Test
	void fullBulkheadIsNotRetriedByDefault() {
		Retry retry = retry(RetryConfig.defaults());
		assertThatThrownBy(() -> retry.execute(() -> {
			attempts.incrementAndGet();
			throw new BulkheadFullException("payments", 10);
		})).isInstanceOf(BulkheadFullException.class);
		assertThat(attempts).hasValue(1);
	}

	@Test
	void refusalIsRetriedWhenRetryOnNamesIt() {
		// No jitter: the random source of these tests refuses every draw.
		Retry retry = retry(
				RetryConfig.builder().retryOn(List.of(BulkheadFullException.class)).jitter(Jitter.NONE).build());
		assertThatThrownBy(() -> retry.execute(() -> {
			attempts.incrementAndGet();
			throw new BulkheadFullException("payments", 10);
		})).isInstanceOf(BulkheadFullException.class);
		assertThat(attempts).hasValue(3);
	}

	@Test
	void virtualMachineErrorIsNeverRetried() {
		Retry retry = retry(RetryConfig.defaults());
		assertThatThrownBy(() -> retry.execute(() -> {
			attempts.incrementAndGet();
			throw new StackOverflowError();
		})).isInstanceOf(StackOverflowError.class);
		assertThat(attempts).hasValue(1);
	}

}

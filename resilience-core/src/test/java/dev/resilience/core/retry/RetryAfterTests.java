package dev.resilience.core.retry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.resilience.core.time.ManualTicker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A failure's own wait ({@link RetryAfterAware}) and a failure that forbids retrying
 * ({@link NonRetryable}).
 */
class RetryAfterTests {

	private static final long MS = 1_000_000L;

	private final ManualTicker ticker = ManualTicker.create();

	private final RecordingListener listener = new RecordingListener();

	private final AtomicInteger attempts = new AtomicInteger();

	/** No jitter, 100ms doubling up to 5s, 3 attempts, budget off. */
	private static RetryConfig.Builder config() {
		return RetryConfig.builder()
			.maxAttempts(3)
			.initialBackoff(Duration.ofMillis(100))
			.multiplier(2.0)
			.maxBackoff(Duration.ofSeconds(5))
			.jitter(Jitter.NONE)
			.budget(RetryBudgetConfig.disabled());
	}

	private Retry retry(RetryConfig config) {
		return Retry.of("payments", config, this.ticker, this.ticker, EdgeRandom.NEVER, this.listener);
	}

	private Object failAlways(Retry retry, RuntimeException failure) throws Throwable {
		return retry.execute(() -> {
			this.attempts.incrementAndGet();
			throw failure;
		});
	}

	@Test
	void retryAfterLongerThanTheBackoffSetsTheWait() {
		Retry retry = retry(config().build());
		assertThatThrownBy(() -> failAlways(retry, new Throttled(Duration.ofSeconds(2))))
			.isInstanceOf(Throttled.class);
		assertThat(this.attempts).hasValue(3);
		assertThat(this.listener.events).containsExactly("retry payments attempt=1 delay=" + 2000 * MS,
				"retry payments attempt=2 delay=" + 2000 * MS, "finished payments FAILURE_WITH_RETRY attempts=3");
		assertThat(this.ticker.read()).isEqualTo(4000 * MS);
	}

	@Test
	void backoffLongerThanRetryAfterKeepsTheBackoff() {
		Retry retry = retry(config().initialBackoff(Duration.ofSeconds(1)).build());
		assertThatThrownBy(() -> failAlways(retry, new Throttled(Duration.ofMillis(10))))
			.isInstanceOf(Throttled.class);
		assertThat(this.listener.events).startsWith("retry payments attempt=1 delay=" + 1000 * MS,
				"retry payments attempt=2 delay=" + 2000 * MS);
	}

	@Test
	void retryAfterBeyondTheCapGivesUpAtOnceWithoutSpendingBudget() {
		Retry retry = retry(config().budget(RetryBudgetConfig.defaults()).build());
		double before = retry.budget().available();
		Throttled failure = new Throttled(Duration.ofSeconds(6));
		assertThatThrownBy(() -> failAlways(retry, failure)).isSameAs(failure);
		assertThat(this.attempts).hasValue(1);
		assertThat(this.ticker.read()).isZero();
		assertThat(this.listener.events).containsExactly("finished payments FAILURE_WITHOUT_RETRY attempts=1");
		assertThat(retry.budget().available()).isGreaterThanOrEqualTo(before);
		assertThat(retry.budget().deniedRetries()).isZero();
	}

	@Test
	void retryAfterEqualToTheCapIsStillWaited() {
		Retry retry = retry(config().build());
		assertThatThrownBy(() -> failAlways(retry, new Throttled(Duration.ofSeconds(5))))
			.isInstanceOf(Throttled.class);
		assertThat(this.attempts).hasValue(3);
		assertThat(this.ticker.read()).isEqualTo(10_000 * MS);
	}

	@Test
	void missingOrZeroRetryAfterFallsBackToTheBackoff() {
		Retry retry = retry(config().build());
		assertThatThrownBy(() -> failAlways(retry, new Throttled(null))).isInstanceOf(Throttled.class);
		assertThat(this.ticker.read()).isEqualTo(300 * MS);
		this.attempts.set(0);
		assertThatThrownBy(() -> failAlways(retry, new Throttled(Duration.ofSeconds(-1))))
			.isInstanceOf(Throttled.class);
		assertThat(this.attempts).hasValue(3);
		assertThat(this.ticker.read()).isEqualTo(600 * MS);
	}

	@Test
	void hugeRetryAfterDoesNotOverflowAndGivesUp() {
		Retry retry = retry(config().build());
		assertThatThrownBy(() -> failAlways(retry, new Throttled(Duration.ofSeconds(Long.MAX_VALUE))))
			.isInstanceOf(Throttled.class);
		assertThat(this.attempts).hasValue(1);
	}

	@Test
	void nonRetryableFailureIsNotRetried() {
		Retry retry = retry(config().build());
		Overloaded failure = new Overloaded();
		assertThatThrownBy(() -> failAlways(retry, failure)).isSameAs(failure);
		assertThat(this.attempts).hasValue(1);
		assertThat(this.listener.events).containsExactly("finished payments FAILURE_WITHOUT_RETRY attempts=1");
	}

	@Test
	void nonRetryableFailureIsRetriedWhenRetryOnNamesIt() {
		Retry retry = retry(config().retryOn(List.of(Overloaded.class)).build());
		assertThatThrownBy(() -> failAlways(retry, new Overloaded())).isInstanceOf(Overloaded.class);
		assertThat(this.attempts).hasValue(3);
	}

	@Test
	void retryOnNamingAPlainSupertypeDoesNotRetryNonRetryableFailures() {
		Retry retry = retry(config().retryOn(List.of(RuntimeException.class)).build());
		assertThatThrownBy(() -> failAlways(retry, new Overloaded())).isInstanceOf(Overloaded.class);
		assertThat(this.attempts).hasValue(1);
	}

	@Test
	void successPathIgnoresRetryAfter() throws Throwable {
		Retry retry = retry(config().build());
		AtomicInteger calls = new AtomicInteger();
		Object result = retry.execute(() -> {
			if (calls.incrementAndGet() == 1) {
				throw new Throttled(Duration.ofMillis(700));
			}
			return "ok";
		});
		assertThat(result).isEqualTo("ok");
		assertThat(this.ticker.read()).isEqualTo(700 * MS);
	}

	/** A throttling answer that names its wait. */
	static final class Throttled extends RuntimeException implements RetryAfterAware {

		private static final long serialVersionUID = 1L;

		private final transient Duration retryAfter;

		Throttled(Duration retryAfter) {
			super("throttled", null, false, false);
			this.retryAfter = retryAfter;
		}

		@Override
		public Duration retryAfter() {
			return this.retryAfter;
		}

	}

	/** An answer that forbids retrying. */
	static final class Overloaded extends RuntimeException implements NonRetryable {

		private static final long serialVersionUID = 1L;

		Overloaded() {
			super("overloaded", null, false, false);
		}

	}

}

package dev.resilience.autoconfigure.aop;

import java.io.IOException;
import java.time.Duration;

import dev.resilience.core.retry.RetryMetrics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code @Retryable} on methods returning {@code CompletableFuture}, {@code CompletionStage},
 * {@code Mono} and {@code Flux}: an asynchronous failure is retried like a thrown one, and
 * the backoff is waited on the scheduler, never on a thread.
 */
class AsyncRetryableTests {

	@ParameterizedTest
	@EnumSource(AsyncType.class)
	void succeedsAtTheFirstAttempt(AsyncType type) {
		AsyncFixture.run(type, AsyncMethods.Retrying.class, (fixture) -> {
			AsyncType.Call call = fixture.call();
			assertThat(call.outcome()).isNotDone();
			fixture.dependency.call(1).complete("a,b");
			assertThat(call.outcome()).isCompletedWithValue("a,b");
			assertThat(metrics(fixture).calls()).isEqualTo(1);
			assertThat(metrics(fixture).attempts()).isEqualTo(1);
		});
	}

	@ParameterizedTest
	@EnumSource(AsyncType.class)
	void asynchronousFailureIsRetriedAfterABackoffWaitedOnTheScheduler(AsyncType type) {
		AsyncFixture.run(type, AsyncMethods.Retrying.class, (fixture) -> {
			AsyncType.Call call = fixture.call();
			fixture.dependency.call(1).completeExceptionally(new IOException("first"));
			assertThat(fixture.dependency.calls()).as("not retried before its backoff").isEqualTo(1);
			assertThat(fixture.scheduler.pendingTasks()).isEqualTo(1);
			fixture.scheduler.advance(Duration.ofMillis(99));
			assertThat(fixture.dependency.calls()).isEqualTo(1);
			fixture.scheduler.advance(Duration.ofMillis(1));
			assertThat(fixture.dependency.calls()).isEqualTo(2);
			fixture.dependency.call(2).complete("second");
			assertThat(call.outcome()).isCompletedWithValue("second");
			assertThat(metrics(fixture).retriedCalls()).isEqualTo(1);
		});
	}

	@ParameterizedTest
	@EnumSource(AsyncType.class)
	void lastFailurePropagatesUnchangedOnceAttemptsRunOut(AsyncType type) {
		AsyncFixture.run(type, AsyncMethods.Retrying.class, (fixture) -> {
			AsyncType.Call call = fixture.call();
			IOException first = new IOException("1");
			IOException second = new IOException("2");
			IOException last = new IOException("3");
			fixture.dependency.call(1).completeExceptionally(first);
			fixture.scheduler.advance(Duration.ofMillis(100));
			fixture.dependency.call(2).completeExceptionally(second);
			fixture.scheduler.advance(Duration.ofMillis(200));
			fixture.dependency.call(3).completeExceptionally(last);
			assertThatThrownBy(call.outcome()::join).cause().isSameAs(last);
			assertThat(last.getSuppressed()).containsExactly(first, second);
			assertThat(metrics(fixture).attempts()).isEqualTo(3);
		});
	}

	@ParameterizedTest
	@EnumSource(AsyncType.class)
	void cancellingWhileWaitingForTheBackoffDropsTheRetry(AsyncType type) {
		AsyncFixture.run(type, AsyncMethods.Retrying.class, (fixture) -> {
			AsyncType.Call call = fixture.call();
			fixture.dependency.call(1).completeExceptionally(new IOException("first"));
			assertThat(fixture.scheduler.pendingTasks()).isEqualTo(1);
			call.cancel().run();
			assertThat(fixture.scheduler.pendingTasks()).as("the wait is dropped").isZero();
			fixture.scheduler.advance(Duration.ofSeconds(1));
			assertThat(fixture.dependency.calls()).isEqualTo(1);
			assertThat(metrics(fixture).calls()).as("the call is counted once").isEqualTo(1);
		});
	}

	@ParameterizedTest
	@EnumSource(AsyncType.class)
	void fallbackOfTheSameTypeAnswersAFailureItHandles(AsyncType type) {
		AsyncFixture.run(type, AsyncMethods.Retrying.class, (fixture) -> {
			AsyncType.Call call = fixture.call();
			fixture.dependency.call(1).completeExceptionally(new IllegalStateException("not retried"));
			assertThat(call.outcome()).isCompletedWithValue("fallback:not retried");
			assertThat(fixture.dependency.calls()).isEqualTo(1);
		});
	}

	private static RetryMetrics metrics(AsyncFixture fixture) {
		return fixture.registry.retry("backend").metrics();
	}

}

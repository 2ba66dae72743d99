package dev.resilience.core.retry;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import java.util.stream.Stream;

import dev.resilience.core.bulkhead.BulkheadFullException;
import dev.resilience.core.time.ManualTicker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The step-by-step form of a retry, used by asynchronous calls, must decide exactly as the
 * blocking loop does: the same events, waits, counts and final outcome for the same attempts.
 */
class RetryExecutionTests {

	private static final long MS = 1_000_000L;

	private static final Object OK = "ok";

	private final ManualTicker ticker = ManualTicker.create();

	private static RetryConfig.Builder config() {
		return RetryConfig.builder()
			.maxAttempts(4)
			.initialBackoff(Duration.ofMillis(100))
			.multiplier(2.0)
			.maxBackoff(Duration.ofSeconds(10))
			.jitter(Jitter.NONE)
			.budget(RetryBudgetConfig.disabled());
	}

	static Stream<Arguments> scenarios() {
		return Stream.of(scenario("success at once", config().build(), () -> List.of(OK)),
				scenario("success after two failures", config().build(),
						() -> List.of(new IOException("1"), new IOException("2"), OK)),
				scenario("attempts run out", config().maxAttempts(3).build(),
						() -> List.of(new IOException("1"), new IllegalStateException("2"), new IOException("3"))),
				scenario("same failure every time", config().maxAttempts(3).build(), () -> {
					IOException same = new IOException("same");
					return List.of(same, same, same);
				}),
				scenario("ignored failure ends the call",
						config().ignore(List.of(IllegalArgumentException.class)).build(),
						() -> List.of(new IOException("retried"), new IllegalArgumentException("ignored"))),
				scenario("refusal is not retried", config().build(), () -> List.of(new BulkheadFullException("b", 1))),
				scenario("refusal named in retry-on is retried",
						config().retryOn(List.of(BulkheadFullException.class)).build(),
						() -> List.of(new BulkheadFullException("b", 1), OK)),
				scenario("budget denies the second retry",
						config().budget(new RetryBudgetConfig(true, 0.0, 1, Duration.ofSeconds(1))).build(),
						() -> List.of(new IOException("1"), new IOException("2"))),
				scenario("retried results until accepted",
						config().retryOnResult((result) -> "again".equals(result)).build(),
						() -> List.of("again", new IOException("between"), "again", OK)),
				scenario("retried result returned when attempts run out",
						config().maxAttempts(2).retryOnResult((result) -> true).build(), () -> List.of("r1", "r2")),
				scenario("decorrelated jitter waits", config().jitter(Jitter.DECORRELATED).build(),
						() -> List.of(new IOException("1"), new IOException("2"), OK)),
				scenario("a failure's Retry-After lengthens the wait", config().build(),
						() -> List.of(new Overloaded(Duration.ofSeconds(3)), OK)),
				scenario("a Retry-After past max-backoff ends the call", config().build(),
						() -> List.of(new Overloaded(Duration.ofMinutes(1)), OK)),
				scenario("a non-retryable failure ends the call", config().build(),
						() -> List.of(new IOException("1"), new Final("final"), OK)));
	}

	private static Arguments scenario(String name, RetryConfig config, Supplier<List<Object>> outcomes) {
		return Arguments.of(name, config, outcomes);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("scenarios")
	void decidesExactlyAsTheBlockingLoop(String scenario, RetryConfig config, Supplier<List<Object>> outcomes) {
		RecordingListener blockingEvents = new RecordingListener();
		Retry blocking = Retry.of("payments", config, ManualTicker.create(), ManualTicker.create(), EdgeRandom.HIGHEST,
				blockingEvents);
		Deque<Object> script = new ArrayDeque<>(outcomes.get());
		int scripted = script.size();
		Object blockingOutcome;
		try {
			blockingOutcome = blocking.execute(() -> {
				Object next = script.poll();
				if (next instanceof Throwable) {
					throw (Throwable) next;
				}
				return next;
			});
		}
		catch (Throwable ex) {
			blockingOutcome = ex;
		}
		int blockingAttempts = scripted - script.size();

		RecordingListener stepEvents = new RecordingListener();
		Retry stepwise = Retry.of("payments", config, ManualTicker.create(), ManualTicker.create(), EdgeRandom.HIGHEST,
				stepEvents);
		Driven driven = drive(stepwise.startExecution(), outcomes.get());

		assertThat(driven.attempts).isEqualTo(blockingAttempts);
		assertThat(describe(driven.outcome)).isEqualTo(describe(blockingOutcome));
		assertThat(stepEvents.events).isEqualTo(blockingEvents.events);
		assertThat(describeAll(stepEvents.causes)).isEqualTo(describeAll(blockingEvents.causes));
		assertThat(stepwise.metrics()).isEqualTo(blocking.metrics());
	}

	@Test
	void waitsGrowByTheBackoffAndTheAttemptNumberAdvancesOnlyWhenTheNextAttemptStarts() {
		RetryExecution execution = retry(config().build(), new RecordingListener()).startExecution();
		assertThat(execution.attemptNumber()).isEqualTo(1);
		assertThat(execution.onFailure(new IOException("1"))).isEqualTo(100 * MS);
		assertThat(execution.attemptNumber()).isEqualTo(1);
		execution.nextAttempt();
		assertThat(execution.attemptNumber()).isEqualTo(2);
		assertThat(execution.onFailure(new IOException("2"))).isEqualTo(200 * MS);
		execution.nextAttempt();
		assertThat(execution.onFailure(new IOException("3"))).isEqualTo(400 * MS);
	}

	@Test
	void reportingBeforeStartingTheDecidedAttemptIsAMistake() {
		RetryExecution execution = retry(config().build(), new RecordingListener()).startExecution();
		execution.onFailure(new IOException("1"));
		assertThatIllegalStateException().isThrownBy(() -> execution.onFailure(new IOException("2")))
			.withMessageContaining("nextAttempt()");
	}

	@Test
	void startingAnAttemptThatWasNotDecidedIsAMistake() {
		RetryExecution execution = retry(config().build(), new RecordingListener()).startExecution();
		assertThatIllegalStateException().isThrownBy(execution::nextAttempt).withMessageContaining("no retry");
	}

	@Test
	void abandonWhileWaitingCountsAFailedCallOnceWithTheAttemptsMade() {
		RecordingListener listener = new RecordingListener();
		Retry retry = retry(config().build(), listener);
		RetryExecution execution = retry.startExecution();
		IOException failure = new IOException("1");
		execution.onFailure(failure);
		assertThat(execution.abandon(null)).isTrue();
		assertThat(execution.abandon(null)).isFalse();
		assertThat(execution.isFinished()).isTrue();
		assertThat(listener.events).containsExactly("retry payments attempt=1 delay=100000000",
				"finished payments FAILURE_WITHOUT_RETRY attempts=1");
		assertThat(failure.getSuppressed()).as("a cancellation leaves the failures alone").isEmpty();
	}

	@Test
	void abandonWithAReasonAttachesItAndTheEarlierFailuresToTheLastFailure() {
		Retry retry = retry(config().build(), new RecordingListener());
		RetryExecution execution = retry.startExecution();
		IOException first = new IOException("1");
		IOException second = new IOException("2");
		execution.onFailure(first);
		execution.nextAttempt();
		execution.onFailure(second);
		RejectedExecutionException reason = new RejectedExecutionException("scheduler shut down");
		assertThat(execution.abandon(reason)).isTrue();
		assertThat(second.getSuppressed()).containsExactly(first, reason);
		assertThat(retry.metrics().retriedCalls()).isEqualTo(1);
		assertThat(retry.metrics().attempts()).isEqualTo(2);
	}

	@Test
	void anAttemptEndingAfterTheCallWasAbandonedIsNotCountedAgain() {
		RecordingListener listener = new RecordingListener();
		RetryExecution execution = retry(config().build(), listener).startExecution();
		execution.abandon(null);
		assertThat(execution.onFailure(new IOException("late"))).isEqualTo(RetryExecution.STOP);
		assertThat(listener.events).containsExactly("finished payments FAILURE_WITHOUT_RETRY attempts=1");
	}

	@Test
	void onSuccessEndsTheCallWithoutExaminingAResult() {
		RecordingListener listener = new RecordingListener();
		RetryExecution execution = retry(config().retryOnResult((result) -> true).build(), listener)
			.startExecution();
		execution.onFailure(new IOException("1"));
		execution.nextAttempt();
		execution.onSuccess();
		assertThat(listener.events).last().isEqualTo("finished payments SUCCESS_WITH_RETRY attempts=2");
	}

	@Test
	void startingAnExecutionCountsAFirstAttemptInTheBudget() {
		Retry retry = retry(config().budget(new RetryBudgetConfig(true, 0.5, 0, Duration.ofSeconds(10))).build(),
				new RecordingListener());
		retry.startExecution();
		retry.startExecution();
		assertThat(retry.budget().available()).isEqualTo(1.0);
	}

	private Retry retry(RetryConfig config, RetryListener listener) {
		return Retry.of("payments", config, ticker, (nanos) -> {
			throw new AssertionError("a step-by-step retry never sleeps");
		}, EdgeRandom.HIGHEST, listener);
	}

	private static Driven drive(RetryExecution execution, List<Object> outcomes) {
		int attempts = 0;
		for (Object outcome : outcomes) {
			attempts++;
			long delay = (outcome instanceof Throwable) ? execution.onFailure((Throwable) outcome)
					: execution.onResult(outcome);
			if (delay == RetryExecution.STOP) {
				return new Driven(outcome, attempts);
			}
			assertThat(delay).isNotNegative();
			execution.nextAttempt();
		}
		throw new AssertionError("the script ran out before the execution stopped");
	}

	/** The outcome with its suppressed failures, comparable across two runs of a script. */
	private static String describe(Object outcome) {
		if (!(outcome instanceof Throwable)) {
			return String.valueOf(outcome);
		}
		Throwable failure = (Throwable) outcome;
		return failure.getClass().getSimpleName() + ":" + failure.getMessage() + " suppressing "
				+ describeAll(Arrays.asList(failure.getSuppressed()));
	}

	private static List<String> describeAll(List<?> outcomes) {
		return outcomes.stream().map((outcome) -> (outcome != null) ? outcome.toString() : "null").toList();
	}

	private record Driven(Object outcome, int attempts) {
	}

	/** A failure that asks for a wait, as an HTTP 503 with Retry-After does. */
	private static final class Overloaded extends IOException implements RetryAfterAware {

		private final Duration retryAfter;

		Overloaded(Duration retryAfter) {
			super("retry after " + retryAfter);
			this.retryAfter = retryAfter;
		}

		@Override
		public Duration retryAfter() {
			return retryAfter;
		}

	}

	private static final class Final extends IOException implements NonRetryable {

		Final(String message) {
			super(message);
		}

	}

}

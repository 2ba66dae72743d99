package dev.resilience.core;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.resilience.core.bulkhead.AdaptiveLimitConfig;
import dev.resilience.core.bulkhead.Bulkhead;
import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.bulkhead.BulkheadFullException;
import dev.resilience.core.bulkhead.BulkheadListener;
import dev.resilience.core.circuitbreaker.CallNotPermittedException;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.circuitbreaker.CircuitBreakerState;
import dev.resilience.core.retry.Jitter;
import dev.resilience.core.retry.RetryBudgetConfig;
import dev.resilience.core.retry.RetryConfig;
import dev.resilience.core.time.ManualScheduler;
import dev.resilience.core.time.ManualTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ResiliencePipeline#executeAsync} on a manual ticker and scheduler: each stage is
 * completed by the test, so every intermediate state (an attempt in flight, a retry
 * waiting) can be observed without a thread or a sleep.
 */
class AsyncPipelineTests {

	private static final RetryConfig THREE_ATTEMPTS = RetryConfig.builder()
		.maxAttempts(3)
		.initialBackoff(Duration.ofMillis(100))
		.multiplier(2.0)
		.jitter(Jitter.NONE)
		.budget(RetryBudgetConfig.disabled())
		.build();

	private static final CircuitBreakerConfig SMALL_BREAKER = CircuitBreakerConfig.builder()
		.slidingWindowSize(2)
		.minimumCalls(2)
		.failureRateThreshold(50)
		.slowCallDuration(Duration.ofSeconds(1))
		.openDuration(Duration.ofSeconds(10))
		.halfOpenCalls(1)
		.build();

	private final ManualTicker ticker = ManualTicker.create();

	private final ManualScheduler scheduler = ManualScheduler.on(ticker);

	/** The stages handed out, one per attempt, for the test to complete. */
	private final List<CompletableFuture<String>> attempts = new CopyOnWriteArrayList<>();

	private ResiliencePipeline.Builder builder() {
		return ResiliencePipeline.builder("payments").ticker(ticker).scheduler(scheduler).sleeper((nanos) -> {
			throw new AssertionError("an asynchronous call must never sleep");
		});
	}

	private CompletableFuture<String> call() {
		CompletableFuture<String> stage = new CompletableFuture<>();
		attempts.add(stage);
		return stage;
	}

	private CompletableFuture<String> attempt(int number) {
		assertThat(attempts).as("attempts started").hasSizeGreaterThanOrEqualTo(number);
		return attempts.get(number - 1);
	}

	@AfterEach
	void nothingLeftScheduled() {
		assertThat(scheduler.pendingTasks()).as("tasks left on the scheduler").isZero();
	}

	@Test
	void successCompletesWithTheStageValueAndIsRecordedWhenTheStageCompletes() {
		ResiliencePipeline pipeline = builder().circuitBreaker(SMALL_BREAKER)
			.bulkhead(BulkheadConfig.ofMaxConcurrentCalls(1))
			.build();
		CompletableFuture<String> result = pipeline.executeAsync(this::call);
		assertThat(result).isNotDone();
		assertThat(pipeline.bulkhead().availableConcurrentCalls()).as("held while in flight").isZero();
		assertThat(pipeline.circuitBreaker().metrics().bufferedCalls()).isZero();
		ticker.advance(Duration.ofSeconds(2));
		attempt(1).complete("paid");
		assertThat(result).isCompletedWithValue("paid");
		assertThat(pipeline.bulkhead().availableConcurrentCalls()).isEqualTo(1);
		assertThat(pipeline.circuitBreaker().metrics().bufferedCalls()).isEqualTo(1);
		assertThat(pipeline.circuitBreaker().metrics().slowCalls()).as("measured until the stage completed")
			.isEqualTo(1);
	}

	@Test
	void asynchronousFailureCountsLikeAThrownOneAndPropagatesUnchanged() {
		ResiliencePipeline pipeline = builder().circuitBreaker(SMALL_BREAKER)
			.bulkhead(BulkheadConfig.ofMaxConcurrentCalls(1))
			.build();
		IOException failure = new IOException("down");
		CompletableFuture<String> first = pipeline.executeAsync(this::call);
		attempt(1).completeExceptionally(failure);
		assertThatThrownBy(first::join).isInstanceOf(CompletionException.class).hasCause(failure);
		// A failure wrapped by a dependent stage is unwrapped before it is judged.
		CompletableFuture<String> second = pipeline
			.executeAsync(() -> call().thenApply((value) -> value.substring(99)));
		attempt(2).complete("short");
		assertThat(second).isCompletedExceptionally();
		assertThatThrownBy(second::join).hasCauseInstanceOf(StringIndexOutOfBoundsException.class);
		assertThat(pipeline.circuitBreaker().metrics().failedCalls()).isEqualTo(2);
		assertThat(pipeline.circuitBreaker().state()).isEqualTo(CircuitBreakerState.OPEN);
		assertThat(pipeline.bulkhead().availableConcurrentCalls()).isEqualTo(1);
	}

	@Test
	void callThatThrowsInsteadOfReturningAStageFailsTheFuture() {
		ResiliencePipeline pipeline = builder().retry(THREE_ATTEMPTS)
			.circuitBreaker(CircuitBreakerConfig.defaults())
			.build();
		IOException failure = new IOException("thrown");
		CompletableFuture<String> result = pipeline.executeAsync(() -> {
			throw failure;
		});
		assertThat(result).as("waiting for the backoff, not thrown at the caller").isNotDone();
		scheduler.advance(Duration.ofMillis(300));
		assertThatThrownBy(result::join).hasCause(failure);
		assertThat(pipeline.retry().metrics().attempts()).isEqualTo(3);
		assertThat(pipeline.circuitBreaker().metrics().failedCalls()).isEqualTo(3);
	}

	@Test
	void nullStageIsAFailureNamingTheMistake() {
		ResiliencePipeline pipeline = builder().build();
		CompletableFuture<String> result = pipeline.executeAsync(() -> null);
		assertThatThrownBy(result::join).hasCauseInstanceOf(NullPointerException.class)
			.hasMessageContaining("returned null instead of a CompletionStage");
	}

	@Test
	void retryWaitsItsBackoffOnTheSchedulerWithoutHoldingAThread() {
		ResiliencePipeline pipeline = builder().retry(THREE_ATTEMPTS).build();
		CompletableFuture<String> result = pipeline.executeAsync(this::call);
		attempt(1).completeExceptionally(new IOException("first"));
		assertThat(attempts).hasSize(1);
		assertThat(scheduler.nextDue()).hasValue(Duration.ofMillis(100).toNanos());
		scheduler.advance(Duration.ofMillis(99));
		assertThat(attempts).as("still waiting").hasSize(1);
		scheduler.advance(Duration.ofMillis(1));
		assertThat(attempts).hasSize(2);
		attempt(2).completeExceptionally(new IOException("second"));
		scheduler.advance(Duration.ofMillis(199));
		assertThat(attempts).hasSize(2);
		scheduler.advance(Duration.ofMillis(1));
		attempt(3).complete("third time lucky");
		assertThat(result).isCompletedWithValue("third time lucky");
		assertThat(pipeline.retry().metrics().retriedCalls()).isEqualTo(1);
		assertThat(pipeline.retry().metrics().attempts()).isEqualTo(3);
	}

	@Test
	void exhaustedRetriesCompleteWithTheLastFailureAndTheEarlierOnesSuppressed() {
		ResiliencePipeline pipeline = builder().retry(THREE_ATTEMPTS).build();
		CompletableFuture<String> result = pipeline.executeAsync(this::call);
		IOException first = new IOException("1");
		IOException second = new IOException("2");
		IOException last = new IOException("3");
		attempt(1).completeExceptionally(first);
		scheduler.advance(Duration.ofMillis(100));
		attempt(2).completeExceptionally(second);
		scheduler.advance(Duration.ofMillis(200));
		attempt(3).completeExceptionally(last);
		assertThatThrownBy(result::join).cause().isSameAs(last);
		assertThat(last.getSuppressed()).containsExactly(first, second);
	}

	@Test
	void zeroBackoffRetriesAtOnceWithoutTheScheduler() {
		RetryConfig noWait = RetryConfig.builder()
			.maxAttempts(3)
			.initialBackoff(Duration.ZERO)
			.budget(RetryBudgetConfig.disabled())
			.build();
		ResiliencePipeline pipeline = builder().retry(noWait).build();
		AtomicInteger calls = new AtomicInteger();
		CompletableFuture<String> result = pipeline.executeAsync(
				() -> (calls.incrementAndGet() < 3) ? CompletableFuture.failedFuture(new IOException("again")) : call());
		assertThat(calls).as("both failures retried before executeAsync returned").hasValue(3);
		attempt(1).complete("third");
		assertThat(result).isCompletedWithValue("third");
	}

	@Test
	void retriedResultIsRetriedAsynchronously() {
		RetryConfig retryEmpty = RetryConfig.builder()
			.maxAttempts(3)
			.initialBackoff(Duration.ofMillis(10))
			.jitter(Jitter.NONE)
			.retryOnResult(""::equals)
			.budget(RetryBudgetConfig.disabled())
			.build();
		ResiliencePipeline pipeline = builder().retry(retryEmpty).build();
		CompletableFuture<String> result = pipeline.executeAsync(this::call);
		attempt(1).complete("");
		scheduler.advance(Duration.ofMillis(10));
		attempt(2).complete("full");
		assertThat(result).isCompletedWithValue("full");
	}

	@Test
	void cancellingDuringAnAttemptReleasesItsPermitsAtOnceAndCancelsTheStage() {
		ResiliencePipeline pipeline = builder().retry(THREE_ATTEMPTS)
			.circuitBreaker(SMALL_BREAKER)
			.bulkhead(BulkheadConfig.ofMaxConcurrentCalls(1))
			.build();
		pipeline.circuitBreaker().transitionTo(CircuitBreakerState.HALF_OPEN);
		CompletableFuture<String> result = pipeline.executeAsync(this::call);
		assertThat(pipeline.bulkhead().availableConcurrentCalls()).isZero();
		assertThat(result.cancel(true)).isTrue();
		assertThat(attempt(1)).as("cancellation reaches the dependency").isCancelled();
		assertThat(pipeline.bulkhead().availableConcurrentCalls()).isEqualTo(1);
		assertThat(pipeline.circuitBreaker().metrics().bufferedCalls()).as("nothing recorded").isZero();
		// The half-open probe slot came back: another probe is admitted.
		CompletableFuture<String> probe = pipeline.executeAsync(this::call);
		attempt(2).complete("probe");
		assertThat(probe).isCompletedWithValue("probe");
		assertThat(pipeline.circuitBreaker().state()).isEqualTo(CircuitBreakerState.CLOSED);
		assertThat(pipeline.retry().metrics().calls()).isEqualTo(2);
	}

	@Test
	void cancellingWhileWaitingForTheBackoffDropsTheRetry() {
		ResiliencePipeline pipeline = builder().retry(THREE_ATTEMPTS)
			.bulkhead(BulkheadConfig.ofMaxConcurrentCalls(1))
			.build();
		CompletableFuture<String> result = pipeline.executeAsync(this::call);
		attempt(1).completeExceptionally(new IOException("first"));
		assertThat(scheduler.pendingTasks()).isEqualTo(1);
		result.cancel(false);
		assertThat(scheduler.pendingTasks()).as("the wait is dropped").isZero();
		scheduler.advance(Duration.ofSeconds(10));
		assertThat(attempts).hasSize(1);
		assertThat(pipeline.bulkhead().availableConcurrentCalls()).isEqualTo(1);
		assertThat(pipeline.retry().metrics().calls()).as("counted once, as failed").isEqualTo(1);
		assertThatThrownBy(result::join).isInstanceOf(CancellationException.class);
	}

	@Test
	void stageThatCannotBeCancelledStillGivesItsPermitBackOnCancellation() {
		ResiliencePipeline pipeline = builder().bulkhead(BulkheadConfig.ofMaxConcurrentCalls(1)).build();
		CompletableFuture<String> dependency = new CompletableFuture<>();
		CompletionStage<String> readOnly = dependency.minimalCompletionStage();
		CompletableFuture<String> result = pipeline.executeAsync(() -> readOnly);
		result.cancel(true);
		assertThat(pipeline.bulkhead().availableConcurrentCalls()).isEqualTo(1);
		dependency.complete("late");
		assertThat(pipeline.bulkhead().availableConcurrentCalls()).as("not released twice").isEqualTo(1);
	}

	@Test
	void adaptiveBulkheadGetsEveryTimedPermitBackWhateverTheOutcome() {
		BulkheadConfig config = BulkheadConfig.adaptive(AdaptiveLimitConfig.of(3, 1, 10), Duration.ZERO);
		Bulkhead adaptive = Bulkhead.of("payments", config, ticker, BulkheadListener.NOOP);
		ResiliencePipeline pipeline = builder().bulkhead(adaptive).build();
		CompletableFuture<String> succeeds = pipeline.executeAsync(this::call);
		CompletableFuture<String> fails = pipeline.executeAsync(this::call);
		CompletableFuture<String> cancelled = pipeline.executeAsync(this::call);
		assertThat(adaptive.availableConcurrentCalls()).isZero();
		ticker.advance(Duration.ofMillis(5));
		attempt(1).complete("ok");
		attempt(2).completeExceptionally(new IOException("down"));
		cancelled.cancel(true);
		assertThat(succeeds).isCompletedWithValue("ok");
		assertThat(fails).isCompletedExceptionally();
		assertThat(adaptive.availableConcurrentCalls()).isEqualTo(adaptive.maxConcurrentCalls()).isPositive();
	}

	@Test
	void openBreakerFailsTheFutureWithoutCallingOrRetrying() {
		ResiliencePipeline pipeline = builder().retry(THREE_ATTEMPTS).circuitBreaker(SMALL_BREAKER).build();
		pipeline.circuitBreaker().transitionTo(CircuitBreakerState.OPEN);
		CompletableFuture<String> result = pipeline.executeAsync(this::call);
		assertThatThrownBy(result::join).hasCauseInstanceOf(CallNotPermittedException.class);
		assertThat(attempts).isEmpty();
	}

	@Test
	void fullBulkheadWithoutMaxWaitRejectsAtOnce() {
		ResiliencePipeline pipeline = builder().bulkhead(BulkheadConfig.ofMaxConcurrentCalls(1))
			.circuitBreaker(SMALL_BREAKER)
			.build();
		CompletableFuture<String> holder = pipeline.executeAsync(this::call);
		CompletableFuture<String> rejected = pipeline.executeAsync(this::call);
		assertThatThrownBy(rejected::join).hasCauseInstanceOf(BulkheadFullException.class);
		assertThat(pipeline.bulkhead().rejectedCalls()).isEqualTo(1);
		assertThat(attempts).hasSize(1);
		attempt(1).complete("done");
		assertThat(holder).isCompletedWithValue("done");
		assertThat(pipeline.circuitBreaker().metrics().bufferedCalls()).as("the rejection is not recorded")
			.isEqualTo(1);
	}

	@Test
	void cancellationWhileTheCallIsStartingCancelsItsStageBeforeThePermitGoesBack() {
		ResiliencePipeline pipeline = builder().bulkhead(new BulkheadConfig(1, Duration.ofSeconds(5))).build();
		CompletableFuture<String> holder = pipeline.executeAsync(this::call);
		AtomicReference<CompletableFuture<String>> result = new AtomicReference<>();
		AtomicInteger availableWhileStarting = new AtomicInteger(-1);
		CompletableFuture<String> stage = new CompletableFuture<>();
		result.set(pipeline.executeAsync(() -> {
			// The caller cancels while this call is still starting (it has not returned its stage).
			result.get().cancel(true);
			availableWhileStarting.set(pipeline.bulkhead().availableConcurrentCalls());
			return stage;
		}));
		// The second call waits; the first call's end hands it the permit and starts it.
		attempt(1).complete("first");
		assertThat(holder).isCompletedWithValue("first");
		assertThat(result.get()).isCancelled();
		assertThat(availableWhileStarting).as("the permit is held while the call starts").hasValue(0);
		assertThat(stage).as("the stage returned after the cancellation is cancelled").isCancelled();
		assertThat(pipeline.bulkhead().availableConcurrentCalls()).isEqualTo(1);
	}

	@Test
	void fullBulkheadWithAMaxWaitStartsTheCallWhenAPermitIsHandedOver() {
		ResiliencePipeline pipeline = builder().bulkhead(new BulkheadConfig(1, Duration.ofSeconds(5)))
			.circuitBreaker(SMALL_BREAKER)
			.build();
		CompletableFuture<String> holder = pipeline.executeAsync(this::call);
		CompletableFuture<String> waiting = pipeline.executeAsync(this::call);
		assertThat(waiting).isNotDone();
		assertThat(attempts).as("not started while it waits").hasSize(1);
		assertThat(pipeline.bulkhead().waitingCalls()).isEqualTo(1);
		// The wait is not the call's duration: 4 s of waiting, then a fast call, is no slow call.
		scheduler.advance(Duration.ofSeconds(4));
		attempt(1).complete("first");
		assertThat(holder).isCompletedWithValue("first");
		assertThat(attempts).as("started on the thread that gave the permit back").hasSize(2);
		assertThat(pipeline.bulkhead().availableConcurrentCalls()).isZero();
		attempt(2).complete("second");
		assertThat(waiting).isCompletedWithValue("second");
		assertThat(pipeline.bulkhead().availableConcurrentCalls()).isEqualTo(1);
		assertThat(pipeline.bulkhead().rejectedCalls()).isZero();
		assertThat(pipeline.circuitBreaker().metrics().slowCalls()).as("only the first call, which ran 4 s")
			.isEqualTo(1);
		assertThat(pipeline.circuitBreaker().metrics().bufferedCalls()).isEqualTo(2);
	}

	@Test
	void waitingCallIsRejectedAfterMaxWaitAndFreesItsBreakerPermit() {
		ResiliencePipeline pipeline = builder().bulkhead(new BulkheadConfig(1, Duration.ofSeconds(1)))
			.circuitBreaker(SMALL_BREAKER)
			.retry(THREE_ATTEMPTS)
			.build();
		pipeline.circuitBreaker().transitionTo(CircuitBreakerState.HALF_OPEN);
		Bulkhead.Permit held = pipeline.bulkhead().acquire();
		CompletableFuture<String> waiting = pipeline.executeAsync(this::call);
		scheduler.advance(Duration.ofMillis(999));
		assertThat(waiting).isNotDone();
		scheduler.advance(Duration.ofMillis(1));
		assertThatThrownBy(waiting::join).hasCauseInstanceOf(BulkheadFullException.class);
		assertThat(attempts).as("a refusal is not retried").isEmpty();
		assertThat(pipeline.bulkhead().waitingCalls()).isZero();
		assertThat(pipeline.bulkhead().rejectedCalls()).isEqualTo(1);
		held.release();
		// The only half-open slot is free again: the breaker admits the next attempt.
		assertThat(pipeline.circuitBreaker().acquirePermission()).isNotNull();
	}

	@Test
	void cancellingAWaitingCallLeavesTheQueueAndNeverStartsIt() {
		ResiliencePipeline pipeline = builder().bulkhead(new BulkheadConfig(1, Duration.ofSeconds(5)))
			.circuitBreaker(SMALL_BREAKER)
			.retry(THREE_ATTEMPTS)
			.build();
		CompletableFuture<String> holder = pipeline.executeAsync(this::call);
		CompletableFuture<String> waiting = pipeline.executeAsync(this::call);
		waiting.cancel(true);
		assertThat(pipeline.bulkhead().waitingCalls()).isZero();
		attempt(1).complete("first");
		assertThat(holder).isCompletedWithValue("first");
		assertThat(attempts).hasSize(1);
		assertThat(pipeline.bulkhead().availableConcurrentCalls()).isEqualTo(1);
		assertThat(pipeline.circuitBreaker().metrics().bufferedCalls()).isEqualTo(1);
		assertThat(pipeline.retry().metrics().calls()).as("each call counted once").isEqualTo(2);
	}

	@Test
	void waitingCallsStartInArrivalOrder() {
		ResiliencePipeline pipeline = builder().bulkhead(new BulkheadConfig(1, Duration.ofSeconds(5))).build();
		List<String> started = new CopyOnWriteArrayList<>();
		CompletableFuture<String> holder = pipeline.executeAsync(this::call);
		for (String name : List.of("a", "b", "c")) {
			pipeline.executeAsync(() -> {
				started.add(name);
				return CompletableFuture.completedFuture(name);
			});
		}
		assertThat(started).isEmpty();
		attempt(1).complete("first");
		assertThat(holder).isCompleted();
		assertThat(started).as("each completes at once and hands its permit on").containsExactly("a", "b", "c");
		assertThat(pipeline.bulkhead().availableConcurrentCalls()).isEqualTo(1);
	}

	@Test
	void acquireAttemptPermitAsyncWaitsAndCanBeCancelled() {
		ResiliencePipeline pipeline = builder().bulkhead(new BulkheadConfig(1, Duration.ofSeconds(5)))
			.circuitBreaker(SMALL_BREAKER)
			.build();
		pipeline.circuitBreaker().transitionTo(CircuitBreakerState.HALF_OPEN);
		AttemptPermit first = pipeline.acquireAttemptPermitAsync().join();
		pipeline.circuitBreaker().transitionTo(CircuitBreakerState.CLOSED);
		CompletableFuture<AttemptPermit> second = pipeline.acquireAttemptPermitAsync();
		CompletableFuture<AttemptPermit> third = pipeline.acquireAttemptPermitAsync();
		assertThat(second).isNotDone();
		second.cancel(false);
		first.onSuccess();
		assertThat(third).isCompleted();
		assertThat(third.join().onSuccess()).isTrue();
		assertThat(pipeline.bulkhead().availableConcurrentCalls()).isEqualTo(1);
		assertThat(pipeline.bulkhead().waitingCalls()).isZero();
	}

	@Test
	void schedulerThatRefusesTheRetryEndsTheCallWithTheLastFailure() {
		ResiliencePipeline pipeline = builder().retry(THREE_ATTEMPTS).scheduler((task, delay) -> {
			throw new RejectedExecutionException("shut down");
		}).build();
		IOException failure = new IOException("first");
		CompletableFuture<String> result = pipeline.executeAsync(this::call);
		attempt(1).completeExceptionally(failure);
		assertThatThrownBy(result::join).cause().isSameAs(failure);
		assertThat(failure.getSuppressed()).singleElement().isInstanceOf(RejectedExecutionException.class);
		assertThat(pipeline.retry().metrics().calls()).isEqualTo(1);
	}

	@Test
	void attemptPermitCountsOnlyTheFirstReport() {
		ResiliencePipeline pipeline = builder().circuitBreaker(SMALL_BREAKER)
			.bulkhead(BulkheadConfig.ofMaxConcurrentCalls(1))
			.build();
		AttemptPermit permit = pipeline.acquireAttemptPermit();
		assertThat(pipeline.bulkhead().availableConcurrentCalls()).isZero();
		assertThat(permit.onError(new IOException("x"))).isTrue();
		assertThat(permit.onCancel()).isFalse();
		assertThat(permit.onSuccess()).isFalse();
		assertThat(permit.isEnded()).isTrue();
		assertThat(pipeline.bulkhead().availableConcurrentCalls()).isEqualTo(1);
		assertThat(pipeline.circuitBreaker().metrics().failedCalls()).isEqualTo(1);
		assertThat(pipeline.circuitBreaker().metrics().bufferedCalls()).isEqualTo(1);
	}

	@Test
	void attemptPermitRefusedByAFullBulkheadFreesTheBreakerPermit() {
		ResiliencePipeline pipeline = builder().circuitBreaker(SMALL_BREAKER)
			.bulkhead(BulkheadConfig.ofMaxConcurrentCalls(1))
			.build();
		pipeline.circuitBreaker().transitionTo(CircuitBreakerState.HALF_OPEN);
		pipeline.bulkhead().acquire();
		assertThatThrownBy(pipeline::acquireAttemptPermit).isInstanceOf(BulkheadFullException.class);
		// The only half-open slot is free again: the breaker admits the next attempt.
		assertThat(pipeline.circuitBreaker().acquirePermission()).isNotNull();
	}

	@Test
	void registryPipelinesUseTheRegistryScheduler() {
		ResilienceRegistry registry = ResilienceRegistry.builder(ResilienceConfigSource.defaults())
			.ticker(ticker)
			.scheduler(scheduler)
			.build();
		assertThat(registry.scheduler()).isSameAs(scheduler);
		assertThat(registry.pipeline("payments", true, false, false).scheduler()).isSameAs(scheduler);
	}

}

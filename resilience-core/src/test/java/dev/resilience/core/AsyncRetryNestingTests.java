package dev.resilience.core;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.resilience.core.retry.Jitter;
import dev.resilience.core.retry.NestedRetryMode;
import dev.resilience.core.retry.Retry;
import dev.resilience.core.retry.RetryBudgetConfig;
import dev.resilience.core.retry.RetryConfig;
import dev.resilience.core.retry.RetryContext;
import dev.resilience.core.retry.RetryExecution;
import dev.resilience.core.retry.RetryListener;
import dev.resilience.core.time.ManualScheduler;
import dev.resilience.core.time.ManualTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Nested retrying calls on the asynchronous path ({@link ResiliencePipeline#executeAsync}),
 * among themselves and mixed with blocking ones, on a manual ticker and scheduler: the nest
 * travels with each call from where it starts, so that attempts do not multiply.
 */
class AsyncRetryNestingTests {

	private final ManualTicker ticker = ManualTicker.create();

	private final ManualScheduler scheduler = ManualScheduler.on(ticker);

	private final AtomicInteger calls = new AtomicInteger();

	/** What the failing call saw of the retry context: depth and attempt. */
	private final List<String> seen = new CopyOnWriteArrayList<>();

	@AfterEach
	void nothingLeft() {
		assertThat(scheduler.pendingTasks()).as("tasks left on the scheduler").isZero();
		assertThat(RetryContext.depth()).as("no context left on the test thread").isZero();
	}

	private static RetryConfig config(NestedRetryMode mode) {
		return RetryConfig.builder()
			.maxAttempts(3)
			.initialBackoff(Duration.ofMillis(10))
			.jitter(Jitter.NONE)
			.nested(mode)
			.budget(RetryBudgetConfig.disabled())
			.build();
	}

	private ResiliencePipeline pipeline(String name, NestedRetryMode mode) {
		return ResiliencePipeline.builder(name).ticker(ticker).scheduler(scheduler).sleeper((nanos) -> {
			throw new AssertionError("an asynchronous call must never sleep");
		}).retry(config(mode)).build();
	}

	private Retry blockingRetry(String name, NestedRetryMode mode) {
		// The ticker is the sleeper too: a blocking backoff moves time on.
		return Retry.of(name, config(mode), ticker, ticker, new SplittableRandom(1), RetryListener.NOOP);
	}

	/**
	 * The dependency: always fails, at once or a millisecond later (completed by the
	 * scheduler, so that the failure travels up through completions on another stack).
	 */
	private CompletableFuture<String> failing(boolean later) {
		int call = calls.incrementAndGet();
		seen.add(RetryContext.depth() + "@" + RetryContext.currentAttempt());
		IOException failure = new IOException("call " + call);
		if (!later) {
			return CompletableFuture.failedFuture(failure);
		}
		CompletableFuture<String> stage = new CompletableFuture<>();
		scheduler.schedule(() -> stage.completeExceptionally(failure), Duration.ofMillis(1).toNanos());
		return stage;
	}

	/** Three asynchronous layers, the first outermost, each starting the next inside its attempt. */
	private CompletableFuture<String> threeLayers(List<ResiliencePipeline> layers, boolean later) {
		return layers.get(0)
			.executeAsync(() -> layers.get(1).executeAsync(() -> layers.get(2).executeAsync(() -> failing(later))));
	}

	private List<ResiliencePipeline> layers(NestedRetryMode outer, NestedRetryMode inner) {
		List<ResiliencePipeline> layers = new ArrayList<>();
		layers.add(pipeline("outer", outer));
		layers.add(pipeline("middle", inner));
		layers.add(pipeline("inner", inner));
		return layers;
	}

	private void drain() {
		while (scheduler.nextDue().isPresent()) {
			scheduler.advance(Duration.ofMillis(1));
		}
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void innermostThreeAsyncLayersMakeThreeCalls(boolean later) {
		List<ResiliencePipeline> layers = layers(NestedRetryMode.INNERMOST, NestedRetryMode.INNERMOST);
		CompletableFuture<String> result = threeLayers(layers, later);
		drain();
		assertThatThrownBy(result::join).isInstanceOf(CompletionException.class)
			.cause()
			.isInstanceOf(IOException.class)
			.hasMessage("call 3");
		assertThat(calls).hasValue(3);
		assertThat(seen).as("depth@attempt: the innermost layer's attempts").containsExactly("3@1", "3@2", "3@3");
		assertThat(layers.get(2).retry().metrics().attempts()).isEqualTo(3);
		assertThat(layers.get(1).retry().metrics().attempts()).as("the middle layer did not retry").isEqualTo(1);
		assertThat(layers.get(0).retry().metrics().attempts()).as("nor did the outer").isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void allModeMultipliesAcrossAsyncLayers(boolean later) {
		CompletableFuture<String> result = threeLayers(layers(NestedRetryMode.ALL, NestedRetryMode.ALL), later);
		drain();
		assertThatThrownBy(result::join).hasCauseInstanceOf(IOException.class);
		assertThat(calls).hasValue(27);
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void outermostModeLetsOnlyTheOuterAsyncLayerRetry(boolean later) {
		// The outer layer's mode governs, whatever the inner ones say.
		List<ResiliencePipeline> layers = layers(NestedRetryMode.OUTERMOST, NestedRetryMode.ALL);
		CompletableFuture<String> result = threeLayers(layers, later);
		drain();
		assertThatThrownBy(result::join).hasCauseInstanceOf(IOException.class);
		assertThat(calls).hasValue(3);
		assertThat(seen).as("the outer layer's attempt numbers").containsExactly("3@1", "3@2", "3@3");
		assertThat(layers.get(0).retry().metrics().attempts()).isEqualTo(3);
		assertThat(layers.get(1).retry().metrics().attempts()).as("one attempt per outer attempt").isEqualTo(3);
		assertThat(layers.get(1).retry().metrics().retriedCalls()).isZero();
		assertThat(layers.get(2).retry().metrics().retriedCalls()).isZero();
	}

	@Test
	void innermostModeStillRetriesAFailureOfTheOuterLayersOwn() {
		List<ResiliencePipeline> layers = layers(NestedRetryMode.INNERMOST, NestedRetryMode.INNERMOST);
		AtomicInteger outerAttempts = new AtomicInteger();
		// After the inner call gave up, the outer layer's own code fails with a new failure:
		// that one did not come out of a nested call, so the outer layer retries it.
		CompletableFuture<String> result = layers.get(0).executeAsync(() -> {
			outerAttempts.incrementAndGet();
			return layers.get(2)
				.executeAsync(() -> failing(false))
				.exceptionallyCompose((error) -> CompletableFuture.failedFuture(new IOException("outer's own")));
		});
		drain();
		assertThatThrownBy(result::join).cause().hasMessage("outer's own");
		assertThat(outerAttempts).hasValue(3);
		assertThat(calls).hasValue(9);
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void aBlockingOuterRetryDoesNotRetryWhatAnAsyncInnerOneGaveUpOn(boolean later) throws Throwable {
		Retry outer = blockingRetry("outer", NestedRetryMode.INNERMOST);
		ResiliencePipeline inner = pipeline("inner", NestedRetryMode.INNERMOST);
		assertThatThrownBy(() -> outer.execute(() -> {
			CompletableFuture<String> stage = inner.executeAsync(() -> failing(later));
			drain();
			return stage.join();
		})).isInstanceOf(CompletionException.class).cause().hasMessage("call 3");
		assertThat(calls).hasValue(3);
		assertThat(seen).containsExactly("2@1", "2@2", "2@3");
		assertThat(outer.metrics().attempts()).isEqualTo(1);
	}

	@Test
	void aBlockingOuterRetryInAllModeMultipliesWithAnAsyncInnerOne() {
		Retry outer = blockingRetry("outer", NestedRetryMode.ALL);
		ResiliencePipeline inner = pipeline("inner", NestedRetryMode.INNERMOST);
		assertThatThrownBy(() -> outer.execute(() -> {
			CompletableFuture<String> stage = inner.executeAsync(() -> failing(true));
			drain();
			return stage.join();
		})).isInstanceOf(CompletionException.class);
		assertThat(calls).hasValue(9);
	}

	@Test
	void aBlockingOuterRetryInOutermostModeMakesAnAsyncInnerOneAttemptOnce() {
		Retry outer = blockingRetry("outer", NestedRetryMode.OUTERMOST);
		ResiliencePipeline inner = pipeline("inner", NestedRetryMode.INNERMOST);
		assertThatThrownBy(() -> outer.execute(() -> {
			CompletableFuture<String> stage = inner.executeAsync(() -> failing(true));
			drain();
			return stage.join();
		})).isInstanceOf(CompletionException.class);
		assertThat(calls).hasValue(3);
		assertThat(seen).as("the outer call's attempts").containsExactly("2@1", "2@2", "2@3");
		assertThat(inner.retry().metrics().retriedCalls()).isZero();
	}

	@Test
	void anAsyncOuterRetryDoesNotRetryWhatABlockingInnerOneGaveUpOn() {
		ResiliencePipeline outer = pipeline("outer", NestedRetryMode.INNERMOST);
		Retry inner = blockingRetry("inner", NestedRetryMode.INNERMOST);
		CompletableFuture<String> result = outer.executeAsync(() -> {
			try {
				return CompletableFuture.completedFuture(inner.execute(() -> failing(false).join()));
			}
			catch (Throwable ex) {
				return CompletableFuture.failedFuture(ex);
			}
		});
		drain();
		// The inner call gave up on the wrapper its join() threw; the outer one sees the failure
		// inside it, and knows it as final too.
		assertThatThrownBy(result::join).cause().isInstanceOf(IOException.class).hasMessage("call 3");
		assertThat(calls).hasValue(3);
		assertThat(seen).containsExactly("2@1", "2@2", "2@3");
		assertThat(outer.retry().metrics().attempts()).isEqualTo(1);
	}

	@Test
	void anExecutionStartedFromAnotherExecutionsContextIsNestedInIt() {
		Retry outer = blockingRetry("outer", NestedRetryMode.OUTERMOST);
		Retry inner = blockingRetry("inner", NestedRetryMode.ALL);
		RetryExecution outerExecution = outer.startExecution();
		// Started elsewhere, later: a reactive subscription that carries the outer call's context.
		RetryExecution innerExecution = inner.startExecution(outerExecution.context());
		assertThat(innerExecution.onFailure(new IOException("inner"))).as("one attempt under outermost")
			.isEqualTo(RetryExecution.STOP);
		assertThat(outerExecution.onFailure(new IOException("outer"))).isPositive();
		outerExecution.nextAttempt();
		assertThat(outerExecution.context().currentAttempt()).isEqualTo(2);
		assertThat(outerExecution.context().depth()).isEqualTo(1);
		try (RetryContext.Scope scope = outerExecution.context().apply()) {
			assertThat(RetryContext.depth()).isEqualTo(1);
			assertThat(RetryContext.currentAttempt()).isEqualTo(2);
		}
		assertThat(RetryContext.depth()).isZero();
		outerExecution.abandon(null);
	}

	@Test
	void aFailureGivenUpOnByANestedExecutionIsFinalForItsEnclosingExecution() {
		Retry outer = blockingRetry("outer", NestedRetryMode.INNERMOST);
		Retry inner = blockingRetry("inner", NestedRetryMode.INNERMOST);
		RetryExecution outerExecution = outer.startExecution();
		RetryExecution innerExecution = inner.startExecution(outerExecution.context());
		IOException failure = new IOException("down");
		for (int attempt = 1; attempt < 3; attempt++) {
			assertThat(innerExecution.onFailure(failure)).isPositive();
			innerExecution.nextAttempt();
		}
		assertThat(innerExecution.onFailure(failure)).as("exhausted").isEqualTo(RetryExecution.STOP);
		assertThat(outerExecution.onFailure(new CompletionException(failure)))
			.as("wrapped, and given up on by the inner call")
			.isEqualTo(RetryExecution.STOP);
		RetryExecution unrelated = outer.startExecution();
		assertThat(unrelated.onFailure(failure)).as("a call that did not enclose the inner one retries it")
			.isPositive();
		unrelated.abandon(null);
	}

}

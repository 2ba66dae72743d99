package dev.resilience.core.retry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.resilience.core.time.ManualTicker;
import dev.resilience.core.time.Sleeper;
import dev.resilience.core.time.Ticker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class RetryTests {

	private static final long MS = 1_000_000L;

	private final ManualTicker ticker = ManualTicker.create();

	private final RecordingListener listener = new RecordingListener();

	private final AtomicInteger attempts = new AtomicInteger();

	@AfterEach
	void clearInterrupt() {
		Thread.interrupted();
	}

	/** No jitter, 100ms doubling, 4 attempts, no budget limit unless the test sets one. */
	private static RetryConfig.Builder config() {
		return RetryConfig.builder()
			.maxAttempts(4)
			.initialBackoff(Duration.ofMillis(100))
			.multiplier(2.0)
			.maxBackoff(Duration.ofSeconds(10))
			.jitter(Jitter.NONE)
			.budget(RetryBudgetConfig.disabled());
	}

	private Retry retry(RetryConfig config) {
		return retry(config, this.ticker);
	}

	private Retry retry(RetryConfig config, Sleeper sleeper) {
		return Retry.of("payments", config, this.ticker, sleeper, EdgeRandom.NEVER, this.listener);
	}

	/** An attempt that throws the queued exceptions, one per attempt, then returns "ok". */
	private <T> T run(Retry retry, Throwable... failures) throws Throwable {
		Deque<Throwable> queue = new ArrayDeque<>(List.of(failures));
		@SuppressWarnings("unchecked")
		T result = (T) retry.execute(() -> {
			this.attempts.incrementAndGet();
			Throwable next = queue.poll();
			if (next != null) {
				throw next;
			}
			return "ok";
		});
		return result;
	}

	@Test
	void firstSuccessMakesOneAttemptAndNeitherWaitsNorRetries() throws Throwable {
		Retry retry = retry(config().build());
		assertThat((String) run(retry)).isEqualTo("ok");
		assertThat(this.attempts).hasValue(1);
		assertThat(this.ticker.read()).isZero();
		assertThat(this.listener.events).containsExactly("finished payments SUCCESS_WITHOUT_RETRY attempts=1");
		// The disabled budget still counts: a floor of 10 tokens, more than one deposit of 0.1 earns.
		assertThat(retry.metrics()).isEqualTo(new RetryMetrics(1, 0, 1, 10.0, 0.1, 0));
	}

	@Test
	void retriesUntilSuccessWaitingTheBackoffBetweenAttempts() throws Throwable {
		Retry retry = retry(config().build());
		IOException first = new IOException("first");
		IOException second = new IOException("second");
		assertThat((String) run(retry, first, second)).isEqualTo("ok");
		assertThat(this.attempts).hasValue(3);
		assertThat(this.ticker.read()).isEqualTo(300 * MS);
		assertThat(this.listener.events).containsExactly("retry payments attempt=1 delay=100000000",
				"retry payments attempt=2 delay=200000000", "finished payments SUCCESS_WITH_RETRY attempts=3");
		assertThat(this.listener.causes).containsExactly(first, second);
	}

	@Test
	void maxAttemptsCountsTheFirstAttempt() throws Throwable {
		Retry retry = retry(config().maxAttempts(3).build());
		assertThatThrownBy(() -> run(retry, new IOException("1"), new IOException("2"), new IOException("3"),
				new IOException("4")))
			.hasMessage("3");
		assertThat(this.attempts).hasValue(3);
		assertThat(this.listener.events).last().isEqualTo("finished payments FAILURE_WITH_RETRY attempts=3");
	}

	@Test
	void maxAttemptsOfOneNeverRetries() throws Throwable {
		Retry retry = retry(config().maxAttempts(1).build());
		IOException failure = new IOException("once");
		assertThatThrownBy(() -> run(retry, failure)).isSameAs(failure);
		assertThat(this.attempts).hasValue(1);
		assertThat(this.listener.events).containsExactly("finished payments FAILURE_WITHOUT_RETRY attempts=1");
	}

	@Test
	void lastExceptionPropagatesUnchangedWithEarlierOnesSuppressedInOrder() {
		Retry retry = retry(config().maxAttempts(3).build());
		IOException first = new IOException("first");
		IllegalStateException second = new IllegalStateException("second");
		IOException last = new IOException("last");
		assertThatThrownBy(() -> run(retry, first, second, last)).isSameAs(last)
			.satisfies((thrown) -> assertThat(thrown.getSuppressed()).containsExactly(first, second));
		assertThat(first.getSuppressed()).isEmpty();
		assertThat(second.getSuppressed()).isEmpty();
	}

	@Test
	void sameInstanceThrownByEveryAttemptIsNotSuppressedIntoItself() {
		Retry retry = retry(config().maxAttempts(3).build());
		IOException again = new IOException("again");
		IOException other = new IOException("other");
		assertThatThrownBy(() -> run(retry, again, other, again)).isSameAs(again)
			.satisfies((thrown) -> assertThat(thrown.getSuppressed()).containsExactly(other));
		IOException always = new IOException("always");
		assertThatThrownBy(() -> run(retry, always, always, always)).isSameAs(always)
			.satisfies((thrown) -> assertThat(thrown.getSuppressed()).isEmpty());
	}

	@Test
	void exceptionWithSuppressionDisabledStillPropagatesUnchanged() {
		Retry retry = retry(config().maxAttempts(2).build());
		IOException first = new IOException("first");
		RuntimeException last = new RuntimeException("no suppression", null, false, false) {
		};
		assertThatThrownBy(() -> run(retry, first, last)).isSameAs(last)
			.satisfies((thrown) -> assertThat(thrown.getSuppressed()).isEmpty());
	}

	@Test
	void ignoredExceptionIsNotRetried() {
		Retry retry = retry(config().ignore(List.of(IllegalArgumentException.class)).build());
		IOException retried = new IOException("retried");
		NumberFormatException ignored = new NumberFormatException("ignored");
		assertThatThrownBy(() -> run(retry, retried, ignored)).isSameAs(ignored)
			.satisfies((thrown) -> assertThat(thrown.getSuppressed()).containsExactly(retried));
		assertThat(this.attempts).hasValue(2);
	}

	@Test
	void onlyListedExceptionsAreRetriedWhenRetryOnIsSet() throws Throwable {
		Retry retry = retry(config().retryOn(List.of(IOException.class))
			.ignore(List.of(java.io.FileNotFoundException.class))
			.build());
		assertThat((String) run(retry, new java.net.SocketTimeoutException("subclass is retried"))).isEqualTo("ok");
		this.attempts.set(0);
		IllegalStateException unlisted = new IllegalStateException("unlisted");
		assertThatThrownBy(() -> run(retry, unlisted)).isSameAs(unlisted);
		assertThat(this.attempts).hasValue(1);
		this.attempts.set(0);
		java.io.FileNotFoundException ignored = new java.io.FileNotFoundException("ignored wins");
		assertThatThrownBy(() -> run(retry, ignored)).isSameAs(ignored);
		assertThat(this.attempts).hasValue(1);
	}

	@Test
	void interruptedExceptionFromAnAttemptIsNeverRetried() {
		Retry retry = retry(config().build());
		InterruptedException interrupted = new InterruptedException("stop");
		assertThatThrownBy(() -> run(retry, interrupted)).isSameAs(interrupted);
		assertThat(this.attempts).hasValue(1);
	}

	@Test
	void resultAcceptedByPredicateIsRetried() throws Throwable {
		Retry retry = retry(config().retryOnResult((result) -> ((Integer) result) < 3).build());
		int result = retry.execute(this.attempts::incrementAndGet);
		assertThat(result).isEqualTo(3);
		assertThat(this.listener.causes).containsExactly(null, null);
		assertThat(this.listener.events).last().isEqualTo("finished payments SUCCESS_WITH_RETRY attempts=3");
	}

	@Test
	void lastResultIsReturnedWhenAttemptsRunOutOnARetriedResult() throws Throwable {
		Retry retry = retry(config().retryOnResult((result) -> true).build());
		int result = retry.execute(this.attempts::incrementAndGet);
		assertThat(result).isEqualTo(4);
		assertThat(this.listener.events).last().isEqualTo("finished payments FAILURE_WITH_RETRY attempts=4");
	}

	@Test
	void resultsAreNotRetriedByDefault() throws Throwable {
		Retry retry = retry(config().build());
		assertThat((Object) retry.execute(() -> null)).isNull();
		assertThat(this.listener.events).containsExactly("finished payments SUCCESS_WITHOUT_RETRY attempts=1");
	}

	@Test
	void exceptionAfterARetriedResultCarriesEarlierExceptions() {
		Retry retry = retry(config().retryOnResult("retry me"::equals).build());
		IOException first = new IOException("first");
		IOException last = new IOException("last");
		AtomicInteger call = new AtomicInteger();
		assertThatThrownBy(() -> retry.execute(() -> {
			switch (call.incrementAndGet()) {
				case 1:
					throw first;
				case 2:
					return "retry me";
				default:
					throw last;
			}
		})).isSameAs(last).satisfies((thrown) -> assertThat(thrown.getSuppressed()).containsExactly(first));
		assertThat(call).hasValue(4);
	}

	@Test
	void retryDeniedByBudgetEndsAtOnceWithoutSleeping() {
		RetryConfig noBudget = config().budget(new RetryBudgetConfig(true, 0.0, 0, Duration.ofSeconds(10))).build();
		Retry retry = retry(noBudget);
		IOException failure = new IOException("denied");
		assertThatThrownBy(() -> run(retry, failure, new IOException("never thrown"))).isSameAs(failure);
		assertThat(this.attempts).hasValue(1);
		assertThat(this.ticker.read()).as("no time slept").isZero();
		assertThat(this.listener.events).containsExactly("denied payments",
				"finished payments FAILURE_WITHOUT_RETRY attempts=1");
		assertThat(retry.budget().deniedRetries()).isEqualTo(1);
		assertThat(retry.metrics().budgetDenied()).isEqualTo(1);
	}

	@Test
	void budgetDeniedMidwayRethrowsTheLastFailureWithEarlierSuppressed() {
		// A floor of 1 token: the first retry is granted, the second denied.
		RetryConfig oneRetry = config().budget(new RetryBudgetConfig(true, 0.0, 1, Duration.ofSeconds(1))).build();
		Retry retry = retry(oneRetry);
		IOException first = new IOException("first");
		IOException second = new IOException("second");
		assertThatThrownBy(() -> run(retry, first, second, new IOException("never thrown"))).isSameAs(second)
			.satisfies((thrown) -> assertThat(thrown.getSuppressed()).containsExactly(first));
		assertThat(this.attempts).hasValue(2);
		assertThat(this.ticker.read()).as("only the granted retry slept").isEqualTo(100 * MS);
		assertThat(this.listener.events).containsExactly("retry payments attempt=1 delay=100000000", "denied payments",
				"finished payments FAILURE_WITH_RETRY attempts=2");
	}

	@Test
	void retryDeniedOnAResultReturnsThatResult() throws Throwable {
		RetryConfig noBudget = config().retryOnResult((result) -> true)
			.budget(new RetryBudgetConfig(true, 0.0, 0, Duration.ofSeconds(10)))
			.build();
		Retry retry = retry(noBudget);
		int result = retry.execute(this.attempts::incrementAndGet);
		assertThat(result).isEqualTo(1);
		assertThat(this.listener.events).containsExactly("denied payments",
				"finished payments FAILURE_WITHOUT_RETRY attempts=1");
	}

	@Test
	void callThatFailsDespiteRetryingSuspendsTheFloorForLaterCallsUntilOneSucceeds() throws Throwable {
		// The default budget: ratio 0.1, floor 1/s over 10 s. A quiet instance's first failing
		// call keeps all its attempts on the floor.
		Retry retry = retry(config().maxAttempts(3).budget(RetryBudgetConfig.defaults()).build());
		assertThatThrownBy(() -> run(retry, new IOException("1"), new IOException("2"), new IOException("3")))
			.hasMessage("3");
		assertThat(this.attempts).hasValue(3);
		assertThat(retry.budget().isFloorSuspended()).isTrue();
		// The next failing call gets only what 2 first attempts earn (0.2 tokens): no retry.
		assertThatThrownBy(() -> run(retry, new IOException("4"), new IOException("never thrown")))
			.hasMessage("4");
		assertThat(this.attempts).hasValue(4);
		// A success restores the floor: the failing call after it retries again (in the next
		// slice: the first call took this slice's 2 retries).
		this.ticker.advance(Duration.ofSeconds(1));
		run(retry);
		assertThat(retry.budget().isFloorSuspended()).isFalse();
		this.attempts.set(0);
		assertThat((String) run(retry, new IOException("5"))).isEqualTo("ok");
		assertThat(this.attempts).hasValue(2);
		assertThat(retry.budget().isFloorSuspended()).isFalse();
	}

	@Test
	void failureWithoutRetryLeavesTheFloorInForce() {
		Retry retry = retry(config().maxAttempts(1).budget(RetryBudgetConfig.defaults()).build());
		assertThatThrownBy(() -> run(retry, new IOException("1"))).hasMessage("1");
		assertThat(retry.budget().isFloorSuspended()).isFalse();
	}

	@Test
	void everyLogicalCallDepositsOnceWhateverItsAttempts() throws Throwable {
		RetryConfig budgeted = config().budget(new RetryBudgetConfig(true, 0.5, 0, Duration.ofSeconds(10))).build();
		Retry retry = retry(budgeted);
		run(retry);
		run(retry);
		assertThat(retry.budget().available()).isEqualTo(1.0);
		run(retry, new IOException("retried once"));
		assertThat(retry.budget().available()).as("0.5 x 3 deposits - 1 retry").isEqualTo(0.5);
	}

	@Test
	void interruptWhileWaitingStopsRetryingAndRestoresTheFlag() {
		InterruptedException wakeUp = new InterruptedException("wake up");
		Retry retry = retry(config().build(), (nanos) -> {
			throw wakeUp;
		});
		IOException failure = new IOException("failed");
		assertThatThrownBy(() -> run(retry, failure, new IOException("never thrown"))).isSameAs(failure)
			.satisfies((thrown) -> assertThat(thrown.getSuppressed()).containsExactly(wakeUp));
		assertThat(Thread.currentThread().isInterrupted()).isTrue();
		assertThat(this.attempts).hasValue(1);
		assertThat(this.listener.events).containsExactly("retry payments attempt=1 delay=100000000",
				"finished payments FAILURE_WITHOUT_RETRY attempts=1");
	}

	@Test
	void interruptWhileWaitingAfterARetriedResultReturnsThatResult() throws Throwable {
		Retry retry = retry(config().retryOnResult((result) -> true).build(), (nanos) -> {
			throw new InterruptedException();
		});
		int result = retry.execute(this.attempts::incrementAndGet);
		assertThat(result).isEqualTo(1);
		assertThat(Thread.currentThread().isInterrupted()).isTrue();
	}

	@Test
	void decorrelatedJitterIsGivenThePreviousDelay() throws Throwable {
		RetryConfig decorrelated = config().jitter(Jitter.DECORRELATED).maxBackoff(Duration.ofSeconds(2)).build();
		Retry retry = Retry.of("payments", decorrelated, this.ticker, this.ticker, EdgeRandom.HIGHEST, this.listener);
		run(retry, new IOException("1"), new IOException("2"), new IOException("3"));
		assertThat(this.listener.events).containsExactly("retry payments attempt=1 delay=300000000",
				"retry payments attempt=2 delay=900000000", "retry payments attempt=3 delay=2000000000",
				"finished payments SUCCESS_WITH_RETRY attempts=4");
		assertThat(this.ticker.read()).isEqualTo(3_200 * MS);
	}

	@Test
	void listenerExceptionsDoNotAffectTheCall() throws Throwable {
		RetryListener failing = new RetryListener() {
			@Override
			public void onRetry(String name, int attempt, long delayNanos, Throwable cause) {
				throw new IllegalStateException("onRetry");
			}

			@Override
			public void onBudgetDenied(String name) {
				throw new IllegalStateException("onBudgetDenied");
			}

			@Override
			public void onCallFinished(String name, RetryOutcome outcome, int attempts) {
				throw new IllegalStateException("onCallFinished");
			}
		};
		RetryConfig oneRetry = config().budget(new RetryBudgetConfig(true, 0.0, 1, Duration.ofSeconds(1))).build();
		Retry retry = Retry.of("payments", oneRetry, this.ticker, this.ticker, EdgeRandom.NEVER, failing);
		assertThat((String) run(retry, new IOException("retried"))).isEqualTo("ok");
		IOException denied = new IOException("denied");
		assertThatThrownBy(() -> run(retry, denied)).isSameAs(denied);
		assertThat(retry.metrics().calls()).isEqualTo(2);
	}

	@Test
	void metricsCountCallsRetriedCallsAndAttempts() throws Throwable {
		Retry retry = retry(config().maxAttempts(3).build());
		run(retry);
		run(retry, new IOException("1"));
		assertThatThrownBy(() -> run(retry, new IOException("1"), new IOException("2"), new IOException("3")))
			.isInstanceOf(IOException.class);
		assertThat((String) run(retry, new UncheckedIOException(new IOException()))).isEqualTo("ok");
		RetryMetrics metrics = retry.metrics();
		assertThat(metrics.calls()).isEqualTo(4);
		assertThat(metrics.retriedCalls()).isEqualTo(3);
		assertThat(metrics.attempts()).isEqualTo(1 + 2 + 3 + 2);
		assertThat(metrics.budgetRatio()).isEqualTo(0.1);
	}

	@Test
	void argumentIsPassedToEveryAttempt() throws Throwable {
		Retry retry = retry(config().build());
		AtomicInteger failuresLeft = new AtomicInteger(2);
		String result = retry.execute((String argument) -> {
			if (failuresLeft.getAndDecrement() > 0) {
				throw new IOException(argument);
			}
			return argument + "!";
		}, "order-7");
		assertThat(result).isEqualTo("order-7!");
	}

	@Test
	void defaultFactoryUsesTheGivenNameAndConfig() {
		RetryConfig config = RetryConfig.defaults();
		Retry retry = Retry.of("inventory", config);
		assertThat(retry.name()).isEqualTo("inventory");
		assertThat(retry.config()).isSameAs(config);
		assertThat(retry.budget().config()).isEqualTo(config.budget());
		assertThat(retry.backoff().delayNanos(1, 0, EdgeRandom.HIGHEST)).isEqualTo(100 * MS);
	}

	@Test
	void timedAttemptReceivesTheTickerReadingAtTheStartOfEachAttempt() throws Throwable {
		Retry retry = retry(config().build());
		List<Long> starts = new ArrayList<>();
		Retry.TimedAttempt<String, String> failsTwice = (argument, startNanos) -> {
			starts.add(startNanos);
			this.ticker.advance(Duration.ofMillis(5));
			if (starts.size() < 3) {
				throw new IOException("attempt " + starts.size());
			}
			return argument;
		};
		assertThat(retry.execute(failsTwice, "ok")).isEqualTo("ok");
		// Each attempt takes 5 ms, then the loop waits 100 ms and 200 ms.
		assertThat(starts).containsExactly(0L, 105 * MS, 310 * MS);
		assertThat(retry.ticker()).isSameAs(this.ticker);
		assertThat(this.listener.events).containsExactly("retry payments attempt=1 delay=100000000",
				"retry payments attempt=2 delay=200000000", "finished payments SUCCESS_WITH_RETRY attempts=3");
	}

	@Test
	void timedAttemptDatesTheBudgetDepositWithItsFirstReading() throws Throwable {
		// No floor: the only tokens are what the first attempt deposits, 1 per call.
		RetryConfig budgeted = config().budget(new RetryBudgetConfig(true, 1.0, 0, Duration.ofSeconds(1))).build();
		AtomicInteger reads = new AtomicInteger();
		Ticker counting = () -> {
			reads.incrementAndGet();
			return this.ticker.read();
		};
		Retry retry = Retry.of("payments", budgeted, counting, this.ticker, EdgeRandom.NEVER, this.listener);
		Retry.TimedAttempt<String, String> succeeds = (argument, startNanos) -> argument;
		int readsBefore = reads.get();
		assertThat(retry.execute(succeeds, "ok")).isEqualTo("ok");
		assertThat(reads.get() - readsBefore).as("one reading for the attempt and the deposit").isEqualTo(1);
		assertThat(retry.budget().available()).isEqualTo(1.0);
	}

	@Test
	void timedAttemptFollowsTheSameRulesAsAPlainOne() {
		Retry retry = retry(config().build());
		IOException first = new IOException("first");
		IllegalStateException notRetried = new IllegalStateException("not retried");
		RetryConfig onlyIo = config().retryOn(List.of(IOException.class)).build();
		Retry selective = retry(onlyIo);
		AtomicInteger calls = new AtomicInteger();
		Retry.TimedAttempt<Void, String> failing = (argument, startNanos) -> {
			throw (calls.incrementAndGet() == 1) ? first : notRetried;
		};
		assertThatThrownBy(() -> selective.execute(failing, null)).isSameAs(notRetried)
			.satisfies((thrown) -> assertThat(thrown.getSuppressed()).containsExactly(first));
		assertThat(calls).hasValue(2);
		assertThatThrownBy(() -> retry.execute((Retry.TimedAttempt<Void, String>) null, null))
			.isInstanceOf(NullPointerException.class);
	}

	@Test
	void timedSuccessWithoutRetryAllocatesNothing() throws Throwable {
		java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		assumeTrue(threads instanceof com.sun.management.ThreadMXBean);
		com.sun.management.ThreadMXBean allocations = (com.sun.management.ThreadMXBean) threads;
		assumeTrue(allocations.isThreadAllocatedMemorySupported());
		Retry retry = Retry.of("hot", RetryConfig.defaults(), this.ticker, this.ticker, EdgeRandom.NEVER,
				RetryListener.NOOP);
		Retry.TimedAttempt<String, String> identity = (argument, startNanos) -> argument;
		for (int i = 0; i < 20_000; i++) {
			retry.execute(identity, "warm-up");
		}
		long threadId = Thread.currentThread().getId();
		long before = allocations.getThreadAllocatedBytes(threadId);
		for (int i = 0; i < 100_000; i++) {
			retry.execute(identity, "hot");
		}
		long allocated = allocations.getThreadAllocatedBytes(threadId) - before;
		assertThat(allocated).isLessThan(10_000);
	}

	@Test
	void successWithoutRetryAllocatesNothing() throws Throwable {
		java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		// JUnit's assumptions, not AssertJ's: those generate proxy classes and cost seconds.
		assumeTrue(threads instanceof com.sun.management.ThreadMXBean);
		com.sun.management.ThreadMXBean allocations = (com.sun.management.ThreadMXBean) threads;
		assumeTrue(allocations.isThreadAllocatedMemorySupported());
		Retry retry = Retry.of("hot", RetryConfig.defaults(), this.ticker, this.ticker, EdgeRandom.NEVER,
				RetryListener.NOOP);
		Retry.Attempt<String, String> identity = (argument) -> argument;
		for (int i = 0; i < 20_000; i++) {
			retry.execute(identity, "warm-up");
		}
		long threadId = Thread.currentThread().getId();
		long before = allocations.getThreadAllocatedBytes(threadId);
		for (int i = 0; i < 100_000; i++) {
			retry.execute(identity, "hot");
		}
		long allocated = allocations.getThreadAllocatedBytes(threadId) - before;
		// A few hundred bytes of slack for the measurement itself; one object per call would be >= 1.6 MB.
		assertThat(allocated).isLessThan(10_000);
	}

}

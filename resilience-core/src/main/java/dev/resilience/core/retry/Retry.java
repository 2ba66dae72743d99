package dev.resilience.core.retry;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

import dev.resilience.core.CheckedSupplier;
import dev.resilience.core.ExceptionClassifier;
import dev.resilience.core.ResilienceException;
import dev.resilience.core.internal.Randoms;
import dev.resilience.core.time.Sleeper;
import dev.resilience.core.time.Ticker;

/**
 * A named retry policy and the one loop that runs it: attempts up to {@code maxAttempts},
 * waits through a {@link Backoff} between them, and asks a {@link RetryBudget} before every
 * retry so that retries stay a bounded fraction of the traffic.
 * <p>
 * When an attempt fails the loop, in this order: classifies the failure (an exception is
 * retried if {@link RetryConfig#retryOn()}/{@link RetryConfig#ignore()} accept it, a result
 * if {@link RetryConfig#retryOnResult()} does); if attempts are left, asks the budget; computes
 * the wait; tells the listener; sleeps through the {@link Sleeper}; makes the next attempt.
 * A retry the budget refuses is counted and ends the call at once, without sleeping.
 * <p>
 * When retries end, the last exception propagates unchanged (the same instance), with the
 * earlier attempts' distinct exceptions attached via {@link Throwable#addSuppressed}; when
 * the last attempt returned a retried result, that result is returned. An
 * {@link InterruptedException} thrown by an attempt is never retried: retrying would swallow
 * the interrupt. Nor is a {@link VirtualMachineError}, nor a refusal by the library itself
 * (a {@link ResilienceException}: open circuit breaker, full bulkhead, idempotency conflict)
 * unless {@code retryOn} names its type: a refusal means "overloaded, do not retry". The
 * same holds for a failure marked {@link NonRetryable}. If the thread is interrupted while
 * waiting, the interrupt flag is restored,
 * no further attempt is made and the last failure is rethrown with the
 * {@code InterruptedException} attached as suppressed (or the last retried result returned).
 * <p>
 * A failure that is {@link RetryAfterAware} sets a floor under the next wait: the loop waits
 * the larger of the backoff and the failure's {@code retryAfter}, and gives up at once,
 * before asking the budget, when {@code retryAfter} exceeds {@code maxBackoff}.
 * <p>
 * A call that ends with a retried result counts as a failure in {@link RetryOutcome}.
 * <p>
 * A retrying call made inside another one (on the same thread, or on another thread that
 * applied a {@link RetryContext#capture() snapshot}) follows {@link RetryConfig#nested()}
 * of the outermost call, so that attempts do not multiply across layers: see
 * {@link NestedRetryMode} and {@link RetryContext}.
 * <p>
 * Asynchronous callers, which must not sleep, run the same rules one attempt at a time
 * through {@link #startExecution()}: the classification, budget, backoff, listener and
 * counting are the methods this loop uses. Nesting applies to them too: an execution
 * started inside a retrying call (on the starting thread, or from a snapshot carried to
 * where it starts) is nested in it, and retrying calls started by its attempts are
 * nested in it (see {@link RetryExecution#context()}).
 * <p>
 * Thread-safe; a call that succeeds at the first attempt allocates nothing.
 */
public final class Retry {

	private static final System.Logger LOGGER = System.getLogger(Retry.class.getName());

	private static final Attempt<CheckedSupplier<Object>, Object> CALL_SUPPLIER = CheckedSupplier::get;

	/** Returned by {@link #minDelayBeforeRetry} when the failure ends the call. */
	static final long NOT_RETRIED = -1;

	private final String name;

	private final RetryConfig config;

	private final Ticker ticker;

	private final RetryBudget budget;

	private final Backoff backoff;

	private final long maxBackoffNanos;

	private final ExceptionClassifier classifier;

	private final boolean retriesRefusals;

	private final Predicate<Object> retryOnResult;

	private final boolean retriesResults;

	private final Sleeper sleeper;

	private final RandomGenerator random;

	private final RetryListener listener;


	private final LongAdder retriedCalls = new LongAdder();

	/** Attempts beyond the first of every finished call. */
	private final LongAdder extraAttempts = new LongAdder();

	private Retry(String name, RetryConfig config, Ticker ticker, Sleeper sleeper, RandomGenerator random,
			RetryListener listener) {
		this.name = name;
		this.config = config;
		this.ticker = ticker;
		this.budget = RetryBudget.of(config.budget(), ticker, config.maxAttempts() - 1);
		this.backoff = Backoff.of(config);
		this.maxBackoffNanos = saturatedNanos(config.maxBackoff());
		this.classifier = ExceptionClassifier.of(config.retryOn(), config.ignore());
		this.retriesRefusals = config.retryOn()
			.stream()
			.anyMatch((type) -> ResilienceException.class.isAssignableFrom(type)
					|| NonRetryable.class.isAssignableFrom(type));
		this.retryOnResult = config.retryOnResult();
		this.retriesResults = config.retriesResults();
		this.sleeper = sleeper;
		this.random = random;
		this.listener = listener;
	}

	/**
	 * A retry on the system ticker and sleeper, drawing jitter from the calling thread's
	 * {@link java.util.concurrent.ThreadLocalRandom}, with no listener.
	 * @param name the instance name
	 * @param config the policy
	 * @return the retry
	 */
	public static Retry of(String name, RetryConfig config) {
		return of(name, config, Ticker.system(), Sleeper.system(), Randoms.threadLocal(), RetryListener.NOOP);
	}

	/**
	 * A retry with every collaborator given.
	 * @param name the instance name
	 * @param config the policy
	 * @param ticker the time source of the retry budget and of the start times given to a
	 * {@link TimedAttempt}
	 * @param sleeper how the loop waits between attempts
	 * @param random the source of jitter; must be safe for the threads that use this retry
	 * @param listener receives the retry's events
	 * @return the retry
	 */
	public static Retry of(String name, RetryConfig config, Ticker ticker, Sleeper sleeper, RandomGenerator random,
			RetryListener listener) {
		Objects.requireNonNull(name, "name must not be null");
		Objects.requireNonNull(config, "config must not be null");
		Objects.requireNonNull(ticker, "ticker must not be null");
		Objects.requireNonNull(sleeper, "sleeper must not be null");
		Objects.requireNonNull(random, "random must not be null");
		Objects.requireNonNull(listener, "listener must not be null");
		return new Retry(name, config, ticker, sleeper, random, listener);
	}

	/**
	 * @return the instance name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * @return the policy
	 */
	public RetryConfig config() {
		return this.config;
	}

	/**
	 * @return the time source of the budget and of the start times given to a
	 * {@link TimedAttempt}
	 */
	public Ticker ticker() {
		return this.ticker;
	}

	/**
	 * @return this instance's retry budget
	 */
	public RetryBudget budget() {
		return this.budget;
	}

	/**
	 * @return the backoff computed from the policy
	 */
	public Backoff backoff() {
		return this.backoff;
	}

	/**
	 * Runs a call through the retry loop. Taking the call's argument separately lets callers
	 * pass a non-capturing function, so the success path allocates nothing.
	 * @param <A> the argument type
	 * @param <T> the result type
	 * @param attempt one attempt of the call
	 * @param argument passed to every attempt
	 * @return the result of the first attempt that was not retried, or the last result
	 * @throws Throwable the last attempt's exception, unchanged
	 */
	public <A, T> T execute(Attempt<A, T> attempt, A argument) throws Throwable {
		// Checked here: inside the loop a null attempt would look like a failed attempt and be retried.
		Objects.requireNonNull(attempt, "attempt must not be null");
		return enter(attempt, null, argument);
	}

	/**
	 * Runs a call through the retry loop, reading {@link #ticker()} once at the start of each
	 * attempt and passing that reading to the attempt: a caller that times its attempts
	 * (a circuit breaker inside the retry) uses it instead of reading the ticker again. The
	 * first attempt's reading also dates its deposit in the budget. Otherwise the same as
	 * {@link #execute(Attempt, Object)}.
	 * @param <A> the argument type
	 * @param <T> the result type
	 * @param attempt one attempt of the call, given its start time
	 * @param argument passed to every attempt
	 * @return the result of the first attempt that was not retried, or the last result
	 * @throws Throwable the last attempt's exception, unchanged
	 */
	public <A, T> T execute(TimedAttempt<A, T> attempt, A argument) throws Throwable {
		// Checked here: inside the loop a null attempt would look like a failed attempt and be retried.
		Objects.requireNonNull(attempt, "attempt must not be null");
		return enter(null, attempt, argument);
	}

	// Exactly one of attempt and timed is given: one loop for both keeps their rules identical.
	private <A, T> T enter(Attempt<A, T> attempt, TimedAttempt<A, T> timed, A argument) throws Throwable {
		// The undated deposit comes before the nest lookup, so that its atomic increment does
		// not wait for that chain of loads; a timed call deposits in run(), dated by the
		// reading it takes for its first attempt.
		if (timed == null) {
			this.budget.recordFirstAttempt();
		}
		RetryNest nest = RetryContext.nest();
		RetryNest.Frame frame = nest.enter(this.config.nested());
		try {
			return run(attempt, timed, argument, nest, frame);
		}
		catch (Throwable ex) {
			// Whatever ends a nested call, exhaustion, a refused retry or a failure it does
			// not retry, is its final word: the enclosing calls must not retry it again.
			nest.reportFinal(frame, ex);
			throw ex;
		}
		finally {
			nest.leave(frame);
		}
	}

	// The first attempt, kept small so that the JIT inlines it into the caller: a call that
	// succeeds at once never enters the loop below.
	private <A, T> T run(Attempt<A, T> attempt, TimedAttempt<A, T> timed, A argument, RetryNest nest,
			RetryNest.Frame frame) throws Throwable {
		long start = 0;
		if (timed != null) {
			// One reading per attempt, shared: the first also dates the budget deposit.
			// Outside the try: the ticker is not the call, so its failure is not retried.
			start = this.ticker.read();
			this.budget.recordFirstAttempt(start);
		}
		T result;
		try {
			result = (timed == null) ? attempt.run(argument) : timed.run(argument, start);
		}
		catch (Throwable ex) {
			return retryLoop(attempt, timed, argument, nest, frame, null, ex);
		}
		if (!this.retriesResults || !this.retryOnResult.test(result)) {
			finished(1, true);
			return result;
		}
		return retryLoop(attempt, timed, argument, nest, frame, result, null);
	}

	// Decides on the outcome of the first attempt (a failure, or a result the retry retries)
	// and makes the further attempts.
	private <A, T> T retryLoop(Attempt<A, T> attempt, TimedAttempt<A, T> timed, A argument, RetryNest nest,
			RetryNest.Frame frame, T firstResult, Throwable firstError) throws Throwable {
		// A call nested in an OUTERMOST nest makes one attempt; its enclosing call retries.
		int maxAttempts = frame.mayRetry ? this.config.maxAttempts() : 1;
		// In an INNERMOST nest every call asks whether a failure is the final outcome of a
		// call nested in it; the question is only asked on the failure path.
		boolean checksFinal = frame.mode == NestedRetryMode.INNERMOST;
		int attemptNumber = 1;
		long previousDelay = 0;
		Throwable lastError = null;
		List<Throwable> earlierErrors = null;
		T result = firstResult;
		Throwable error = firstError;
		for (;;) {
			long minDelay = 0;
			if (error != null) {
				if (lastError != null && lastError != error) {
					earlierErrors = remember(earlierErrors, lastError);
				}
				lastError = error;
				minDelay = minDelayBeforeRetry(error, attemptNumber, maxAttempts);
				if (minDelay == NOT_RETRIED || (checksFinal && nest.isFinalFailure(error)) || !acquireRetry()) {
					throw failed(error, earlierErrors, null, attemptNumber);
				}
			}
			else if (!this.retriesResults || !this.retryOnResult.test(result)) {
				finished(attemptNumber, true);
				return result;
			}
			else if (attemptNumber >= maxAttempts || (checksFinal && nest.isFinal(result)) || !acquireRetry()) {
				finished(attemptNumber, false);
				nest.reportFinal(frame, result);
				return result;
			}
			long delay = delayNanos(attemptNumber, previousDelay, minDelay);
			notifyRetry(attemptNumber, delay, error);
			try {
				this.sleeper.sleep(delay);
			}
			catch (InterruptedException interrupted) {
				// Whoever interrupted us wants this thread to stop: keep the flag for them.
				Thread.currentThread().interrupt();
				if (error != null) {
					throw failed(error, earlierErrors, interrupted, attemptNumber);
				}
				finished(attemptNumber, false);
				nest.reportFinal(frame, result);
				return result;
			}
			previousDelay = delay;
			attemptNumber++;
			frame.attempt = attemptNumber;
			result = null;
			error = null;
			long start = (timed != null) ? this.ticker.read() : 0;
			try {
				result = (timed == null) ? attempt.run(argument) : timed.run(argument, start);
			}
			catch (Throwable ex) {
				error = ex;
			}
		}
	}

	/**
	 * Runs a call through the retry loop.
	 * @param <T> the result type
	 * @param call one attempt of the call
	 * @return the result of the first attempt that was not retried, or the last result
	 * @throws Throwable the last attempt's exception, unchanged
	 */
	@SuppressWarnings("unchecked")
	public <T> T execute(CheckedSupplier<T> call) throws Throwable {
		Objects.requireNonNull(call, "call must not be null");
		return (T) execute(CALL_SUPPLIER, (CheckedSupplier<Object>) call);
	}

	/**
	 * Starts one call for a caller that runs the attempts itself, typically asynchronously:
	 * the returned execution applies this retry's rules (classification, attempts, budget,
	 * backoff, listener, counters) to each attempt's outcome, and the caller waits the
	 * returned delays by scheduling rather than sleeping. Counts as a first attempt in the
	 * budget at once, as {@link #execute} does.
	 * <p>
	 * Started inside retrying calls active on the current thread (see {@link RetryContext}),
	 * the execution is nested in them, as {@link #execute} would be.
	 * @return the execution of one call
	 */
	public RetryExecution startExecution() {
		return startExecution(RetryContext.capture());
	}

	/**
	 * Starts one call, as {@link #startExecution()} does, nested in the retrying calls of
	 * a snapshot rather than those of the current thread: for a call that starts where
	 * its enclosing call is not on the thread, such as a reactive subscription that carries
	 * the enclosing call's {@link RetryExecution#context()}.
	 * @param enclosing the calls this one is started in; {@link RetryContext#capture()}
	 * outside any gives an empty snapshot
	 * @return the execution of one call
	 */
	public RetryExecution startExecution(RetryContext.Snapshot enclosing) {
		Objects.requireNonNull(enclosing, "enclosing must not be null");
		this.budget.recordFirstAttempt();
		return new RetryExecution(this, enclosing);
	}

	/**
	 * @return the counters and budget state now
	 */
	public RetryMetrics metrics() {
		// The budget counts every call as it starts: one counter serves both.
		long calls = this.budget.firstAttempts();
		return new RetryMetrics(calls, this.retriedCalls.sum(), calls + this.extraAttempts.sum(),
				this.budget.available(), this.config.budget().ratio(), this.budget.deniedRetries());
	}

	boolean isRetryable(Throwable error) {
		if (error instanceof InterruptedException || error instanceof VirtualMachineError) {
			return false;
		}
		if ((error instanceof ResilienceException || error instanceof NonRetryable) && !this.retriesRefusals) {
			// An open breaker, a full bulkhead, an idempotency conflict or a remote service's
			// "overloaded" answer says "do not retry"; retrying it would only spend the budget
			// on certain failure.
			return false;
		}
		return this.classifier.test(error);
	}

	/**
	 * @return the failure's {@link RetryAfterAware#retryAfter()} in nanoseconds, 0 when it
	 * names none; saturated, so that a huge value still exceeds any cap
	 */
	private static long retryAfterNanos(Throwable error) {
		if (!(error instanceof RetryAfterAware)) {
			return 0;
		}
		java.time.Duration retryAfter;
		try {
			retryAfter = ((RetryAfterAware) error).retryAfter();
		}
		catch (RuntimeException ex) {
			// A broken accessor must not turn a retryable failure into another one.
			return 0;
		}
		if (retryAfter == null || retryAfter.isNegative() || retryAfter.isZero()) {
			return 0;
		}
		return saturatedNanos(retryAfter);
	}

	private static long saturatedNanos(java.time.Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException tooLong) {
			return Long.MAX_VALUE;
		}
	}

	boolean acquireRetry() {
		if (this.budget.tryAcquireRetry()) {
			return true;
		}
		try {
			this.listener.onBudgetDenied(this.name);
		}
		catch (Throwable ex) {
			listenerFailed("onBudgetDenied", ex);
		}
		return false;
	}

	Throwable failed(Throwable error, List<Throwable> earlierErrors, Throwable interrupted, int attemptNumber) {
		if (earlierErrors != null) {
			for (Throwable earlier : earlierErrors) {
				// The same instance may come back from a later attempt; never suppress it into itself.
				if (earlier != error) {
					error.addSuppressed(earlier);
				}
			}
		}
		if (interrupted != null) {
			error.addSuppressed(interrupted);
		}
		finished(attemptNumber, false);
		return error;
	}

	static List<Throwable> remember(List<Throwable> errors, Throwable error) {
		if (errors == null) {
			errors = new ArrayList<>(4);
		}
		for (Throwable known : errors) {
			if (known == error) {
				return errors;
			}
		}
		errors.add(error);
		return errors;
	}

	void finished(int attemptNumber, boolean success) {
		boolean retried = attemptNumber > 1;
		if (retried) {
			// Attempts are the calls plus these extra ones: a call without retry adds nothing.
			this.extraAttempts.add(attemptNumber - 1);
			this.retriedCalls.increment();
		}
		if (success) {
			this.budget.recordSuccess();
		}
		else if (retried) {
			this.budget.recordFailureAfterRetry();
		}
		RetryOutcome outcome;
		if (success) {
			outcome = retried ? RetryOutcome.SUCCESS_WITH_RETRY : RetryOutcome.SUCCESS_WITHOUT_RETRY;
		}
		else {
			outcome = retried ? RetryOutcome.FAILURE_WITH_RETRY : RetryOutcome.FAILURE_WITHOUT_RETRY;
		}
		try {
			this.listener.onCallFinished(this.name, outcome, attemptNumber);
		}
		catch (Throwable ex) {
			listenerFailed("onCallFinished", ex);
		}
	}

	void notifyRetry(int attemptNumber, long delay, Throwable cause) {
		try {
			this.listener.onRetry(this.name, attemptNumber, delay, cause);
		}
		catch (Throwable ex) {
			listenerFailed("onRetry", ex);
		}
	}

	boolean retriesResult(Object result) {
		return this.retriesResults && this.retryOnResult.test(result);
	}

	/**
	 * The rules for a failed attempt that come before the budget, shared by the blocking loop
	 * and {@link RetryExecution}: the failure must be retryable, attempts must be left, and a
	 * wait the failure asks for ({@link RetryAfterAware}) must not exceed {@code maxBackoff}.
	 * Read before the budget is asked, so that a call ending here spends no retry.
	 * @return the least wait before the next attempt, or {@link #NOT_RETRIED}
	 */
	long minDelayBeforeRetry(Throwable error, int attemptNumber, int maxAttempts) {
		if (!isRetryable(error) || attemptNumber >= maxAttempts) {
			return NOT_RETRIED;
		}
		long minDelay = retryAfterNanos(error);
		return (minDelay > this.maxBackoffNanos) ? NOT_RETRIED : minDelay;
	}

	/**
	 * @return the wait before the next attempt: the backoff's, or longer if the failure
	 * asked for more
	 */
	long delayNanos(int attemptNumber, long previousDelay, long minDelay) {
		return Math.max(this.backoff.delayNanos(attemptNumber, previousDelay, this.random), minDelay);
	}

	private void listenerFailed(String event, Throwable ex) {
		if (ex instanceof VirtualMachineError) {
			throw (VirtualMachineError) ex;
		}
		LOGGER.log(System.Logger.Level.WARNING, "Retry listener failed on " + event + " of '" + this.name + "'", ex);
	}

	@Override
	public String toString() {
		return "Retry[" + this.name + "]";
	}

	/**
	 * One attempt of a call that takes an argument.
	 * @param <A> the argument type
	 * @param <T> the result type
	 */
	@FunctionalInterface
	public interface Attempt<A, T> {

		T run(A argument) throws Throwable;

	}

	/**
	 * One attempt of a call that takes an argument and the attempt's start time.
	 * @param <A> the argument type
	 * @param <T> the result type
	 */
	@FunctionalInterface
	public interface TimedAttempt<A, T> {

		/**
		 * @param argument the call's argument
		 * @param startNanos the reading of the retry's {@link Retry#ticker()} taken as this
		 * attempt started
		 * @return the attempt's result
		 * @throws Throwable the attempt's failure
		 */
		T run(A argument, long startNanos) throws Throwable;

	}

}

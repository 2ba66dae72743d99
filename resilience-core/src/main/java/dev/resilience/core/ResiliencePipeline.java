package dev.resilience.core;

import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import dev.resilience.core.bulkhead.Bulkhead;
import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.circuitbreaker.CircuitBreakerListener;
import dev.resilience.core.retry.Retry;
import dev.resilience.core.retry.RetryConfig;
import dev.resilience.core.internal.Randoms;
import dev.resilience.core.time.Scheduler;
import dev.resilience.core.time.Sleeper;
import dev.resilience.core.time.Ticker;

/**
 * Runs a call through a retry, a circuit breaker and a bulkhead, any of which may be
 * absent, in the one order the library uses everywhere ({@link #ORDER}): the retry
 * outermost, so that every attempt asks the breaker and the bulkhead afresh; the
 * bulkhead innermost, so that a call refused by an open breaker never holds a permit.
 * <p>
 * This is the programmatic API of the library and the executor behind the annotations.
 * On the success path it allocates nothing, through {@link #execute}, {@link #get},
 * {@link #call}, {@link #run} and a function from {@link #decorate} alike: the retry loop,
 * the breaker's permit and the bulkhead's permit are all reused. It reads the ticker twice
 * per successful call: the retry reads it as each attempt starts (the first reading also
 * dates the budget's deposit) and the breaker times the attempt from that reading.
 * <pre>{@code
 * ResiliencePipeline payments = ResiliencePipeline.builder("payments")
 *     .retry(RetryConfig.defaults())
 *     .circuitBreaker(CircuitBreakerConfig.defaults())
 *     .bulkhead(BulkheadConfig.ofMaxConcurrentCalls(10))
 *     .build();
 * Receipt receipt = payments.call(() -> gateway.charge(order));
 * CompletableFuture<Receipt> later = payments.executeAsync(() -> gateway.chargeAsync(order));
 * }</pre>
 * The asynchronous form ({@link #executeAsync}) applies the same policies in the same
 * order without blocking any thread: see there.
 */
public final class ResiliencePipeline {

	/**
	 * The composition order, outermost first. An SLO, when there is one, records each
	 * logical call once, outside all of them.
	 */
	public static final List<String> ORDER = List.of("idempotency", "retry", "circuit-breaker", "bulkhead");

	private final String name;

	private final Retry retry;

	private final CircuitBreaker circuitBreaker;

	private final Bulkhead bulkhead;

	private final Ticker ticker;

	private final Scheduler scheduler;

	// How the pipeline invokes each kind of call it accepts. Passing the caller's object
	// itself as the retry's argument, with a kind chosen here, lets get(Supplier),
	// call(Callable) and run(Runnable) allocate nothing, as execute(CheckedSupplier) does.
	private static final int CHECKED_SUPPLIER = 0;

	private static final int SUPPLIER = 1;

	private static final int CALLABLE = 2;

	private static final int RUNNABLE = 3;

	/** A function from {@link #decorate}: its {@code Attempts} holds it, the call object is its argument. */
	private static final int FUNCTION = 4;

	// One attempt per kind of call: breaker, then bulkhead, then the call. Held in fields so
	// the retry loop receives the same objects on every call instead of fresh lambdas.
	private final Attempts checkedSupplierAttempts = new Attempts(CHECKED_SUPPLIER);

	private final Attempts supplierAttempts = new Attempts(SUPPLIER);

	private final Attempts callableAttempts = new Attempts(CALLABLE);

	private final Attempts runnableAttempts = new Attempts(RUNNABLE);

	/**
	 * Whether the retry's per-attempt reading of the ticker can serve as the breaker's start:
	 * only when both read the same ticker, which holds for every pipeline a builder or a
	 * registry creates, and when there is a breaker to time.
	 */
	private final boolean timesAttemptsFromRetry;

	/**
	 * Whether the bulkhead may make an attempt wait for a permit: the breaker must then not
	 * count the wait as the call's duration, so the start is read again after the permit.
	 */
	private final boolean bulkheadMayWait;

	/**
	 * Whether the breaker reads the pipeline's ticker: its permits then hear the reading at
	 * each attempt's end, so that its listeners need not read a clock of their own.
	 */
	private final boolean breakerSharesTicker;

	private ResiliencePipeline(Builder builder) {
		this.name = builder.name;
		this.ticker = builder.ticker;
		this.scheduler = builder.scheduler;
		this.retry = builder.retry;
		this.circuitBreaker = builder.circuitBreaker;
		this.bulkhead = builder.bulkhead;
		this.timesAttemptsFromRetry = (this.retry != null) && (this.circuitBreaker != null)
				&& (this.retry.ticker() == this.ticker);
		this.bulkheadMayWait = (this.bulkhead != null) && this.bulkhead.config().maxWait().compareTo(Duration.ZERO) > 0;
		this.breakerSharesTicker = (this.circuitBreaker != null) && (this.circuitBreaker.ticker() == this.ticker);
	}

	/**
	 * @param name the name given to the instances the builder creates
	 * @return a builder of a pipeline with no policy yet
	 */
	public static Builder builder(String name) {
		return new Builder(name);
	}

	/**
	 * Runs the call through the pipeline. Exceptions of the call propagate unchanged; a
	 * refusal is a {@link ResilienceException}.
	 * @param <T> the result type
	 * @param call the call
	 * @return the call's result
	 * @throws Throwable what the last attempt threw
	 */
	@SuppressWarnings("unchecked")
	public <T> T execute(CheckedSupplier<T> call) throws Throwable {
		Objects.requireNonNull(call, "call must not be null");
		return (T) run(checkedSupplierAttempts, call);
	}

	private Object run(Attempts attempts, Object call) throws Throwable {
		if (retry == null) {
			return attempt(attempts, call, 0, false);
		}
		if (timesAttemptsFromRetry) {
			// The retry reads the ticker once per attempt (and dates its budget deposit with
			// the first reading); the breaker times the attempt from that same reading.
			return retry.execute((Retry.TimedAttempt<Object, Object>) attempts, call);
		}
		return retry.execute((Retry.Attempt<Object, Object>) attempts, call);
	}

	/**
	 * Decorates a call that takes an argument, once: applying the returned function to an
	 * argument runs {@code call} with that argument through the pipeline, as
	 * {@link #execute(CheckedSupplier)} would run {@code () -> call.apply(argument)}, but
	 * without that capturing lambda, so a caller that decorates its call when it is built
	 * (an interceptor, given each invocation) allocates nothing per call on the success path.
	 * Every attempt receives the same argument. The returned function is thread-safe when
	 * {@code call} is.
	 * @param <A> the argument type
	 * @param <T> the result type
	 * @param call the call
	 * @return the call through the pipeline
	 */
	@SuppressWarnings("unchecked")
	public <A, T> CheckedFunction<A, T> decorate(CheckedFunction<? super A, ? extends T> call) {
		Objects.requireNonNull(call, "call must not be null");
		Attempts attempts = new Attempts(FUNCTION, (CheckedFunction<Object, ?>) call);
		return (argument) -> (T) run(attempts, argument);
	}

	/**
	 * Runs a {@link Callable} through the pipeline.
	 * @param <T> the result type
	 * @param call the call
	 * @return the call's result
	 * @throws Exception what the last attempt threw
	 */
	@SuppressWarnings("unchecked")
	public <T> T call(Callable<T> call) throws Exception {
		Objects.requireNonNull(call, "call must not be null");
		try {
			return (T) run(callableAttempts, call);
		}
		catch (Exception | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new UndeclaredThrowableException(ex);
		}
	}

	/**
	 * Runs a {@link Supplier} through the pipeline.
	 * @param <T> the result type
	 * @param call the call
	 * @return the call's result
	 */
	@SuppressWarnings("unchecked")
	public <T> T get(Supplier<T> call) {
		Objects.requireNonNull(call, "call must not be null");
		try {
			return (T) run(supplierAttempts, call);
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			// a Supplier cannot throw a checked exception; only a sneaky throw gets here
			throw new UndeclaredThrowableException(ex);
		}
	}

	/**
	 * Runs a {@link Runnable} through the pipeline.
	 * @param call the call
	 */
	public void run(Runnable call) {
		Objects.requireNonNull(call, "call must not be null");
		try {
			run(runnableAttempts, call);
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			// a Runnable cannot throw a checked exception; only a sneaky throw gets here
			throw new UndeclaredThrowableException(ex);
		}
	}

	/**
	 * Runs an asynchronous call through the pipeline without blocking a thread at any point.
	 * Each attempt asks the breaker and then the bulkhead, which admits it at once if a
	 * permit is free and nobody waits, or else, with a {@code maxWait}, queues it without
	 * holding a thread until a permit is handed to it or {@code maxWait} is over (see
	 * {@link Bulkhead#acquireAsync()}); it then calls {@code call} and holds both permits
	 * until the returned stage completes. Then:
	 * <ul>
	 * <li>the breaker records the stage's outcome with the time from the attempt's start;
	 * a stage that fails, or a call that throws instead of returning a stage, counts
	 * exactly as a thrown exception does on the blocking path
	 * ({@code CompletionException} wrappers are removed);</li>
	 * <li>the bulkhead's permit is given back, on success, failure or cancellation;</li>
	 * <li>the retry decides by the same rules as on the blocking path; its backoff is
	 * waited by scheduling the next attempt on the pipeline's {@link Scheduler}, never by
	 * sleeping. The next attempt then starts on the scheduler's thread (at once, on the
	 * completing thread, when the backoff is zero).</li>
	 * </ul>
	 * The first attempt starts on the calling thread, before this method returns, unless
	 * it waits for a bulkhead permit: then it starts on the thread that hands the permit
	 * over. The returned future completes with the outcome: the result, or the last failure
	 * unchanged (earlier attempts' failures attached as suppressed), or a refusal
	 * ({@link ResilienceException}). Cancelling it (or completing it) stops the call: the
	 * stage in flight is cancelled and its permits given back at once (the breaker records
	 * nothing), the wait for a bulkhead permit is left, or the scheduled retry is dropped.
	 * <p>
	 * A call started inside an attempt of another retrying call, blocking or asynchronous,
	 * is nested in it as a blocking call would be (see
	 * {@link dev.resilience.core.retry.NestedRetryMode}): the retrying calls active on the
	 * calling thread are captured here, and each attempt's {@code call} runs with them and
	 * this call as its {@link dev.resilience.core.retry.RetryContext}.
	 * @param <T> the result type
	 * @param call starts one attempt and returns its stage
	 * @return the outcome of the call
	 */
	public <T> CompletableFuture<T> executeAsync(CheckedSupplier<? extends CompletionStage<? extends T>> call) {
		Objects.requireNonNull(call, "call must not be null");
		return AsyncCall.start(this, call, scheduler);
	}

	/**
	 * Admits one attempt through the breaker and the bulkhead without waiting, for callers
	 * that drive attempts themselves (a reactive operator): the caller runs the attempt and
	 * reports its end on the permit; retries, if any, through
	 * {@link Retry#startExecution()} and waits through {@link #scheduler()}.
	 * @return the attempt's permit
	 * @throws dev.resilience.core.circuitbreaker.CallNotPermittedException when the breaker
	 * refuses the attempt
	 * @throws dev.resilience.core.bulkhead.BulkheadFullException when no bulkhead permit is
	 * free now (the breaker's permit is then freed without an outcome)
	 */
	public AttemptPermit acquireAttemptPermit() {
		CircuitBreaker.Permit breakerPermit = (circuitBreaker != null) ? circuitBreaker.acquirePermission() : null;
		Bulkhead.Permit bulkheadPermit = null;
		if (bulkhead != null) {
			try {
				bulkheadPermit = bulkhead.acquireWithoutWaiting();
			}
			catch (Throwable ex) {
				// As on the blocking path: a full bulkhead says nothing about the dependency.
				if (breakerPermit != null) {
					breakerPermit.onCancel();
				}
				throw ex;
			}
		}
		return new AttemptPermit(breakerPermit, bulkheadPermit, ticker, breakerSharesTicker);
	}

	/**
	 * Admits one attempt through the breaker and the bulkhead, waiting for a bulkhead permit
	 * without blocking a thread when the bulkhead has a {@code maxWait} (see
	 * {@link Bulkhead#acquireAsync()}), for callers that drive attempts themselves. The
	 * breaker is asked first; its permit is held while the attempt waits, and freed without
	 * an outcome if the wait ends without a bulkhead permit. The attempt's duration is
	 * measured from the moment it is admitted, not from the start of its wait.
	 * @return the attempt's permit; already completed unless the attempt waits. It fails
	 * with {@link dev.resilience.core.circuitbreaker.CallNotPermittedException} when the
	 * breaker refuses the attempt, or with
	 * {@link dev.resilience.core.bulkhead.BulkheadFullException} when no bulkhead permit came
	 * free in time. Cancelling it stops the wait; a permit handed over at that moment is
	 * given back
	 */
	public CompletableFuture<AttemptPermit> acquireAttemptPermitAsync() {
		if (!bulkheadMayWait) {
			try {
				return CompletableFuture.completedFuture(acquireAttemptPermit());
			}
			catch (Throwable refusal) {
				return CompletableFuture.failedFuture(refusal);
			}
		}
		CircuitBreaker.Permit breakerPermit;
		try {
			breakerPermit = (circuitBreaker != null) ? circuitBreaker.acquirePermission() : null;
		}
		catch (Throwable refusal) {
			return CompletableFuture.failedFuture(refusal);
		}
		CompletableFuture<Bulkhead.Permit> waiting = bulkhead.acquireAsync();
		if (waiting.isDone() && !waiting.isCompletedExceptionally()) {
			return CompletableFuture.completedFuture(new AttemptPermit(breakerPermit, waiting.join(), ticker, breakerSharesTicker));
		}
		CompletableFuture<AttemptPermit> admitted = new CompletableFuture<>();
		waiting.whenComplete((bulkheadPermit, error) -> {
			if (error != null) {
				// Rejected, or the wait was cancelled: as on the blocking path, a full bulkhead
				// says nothing about the dependency.
				if (breakerPermit != null) {
					breakerPermit.onCancel();
				}
				admitted.completeExceptionally(AsyncCall.unwrap(error));
				return;
			}
			AttemptPermit permit = new AttemptPermit(breakerPermit, bulkheadPermit, ticker, breakerSharesTicker);
			if (!admitted.complete(permit)) {
				// Cancelled as the permit arrived: nobody will run the attempt.
				permit.onCancel();
			}
		});
		admitted.whenComplete((permit, error) -> {
			if (error != null) {
				// Cancelled while waiting: leave the bulkhead's queue (no-op once it is done).
				waiting.cancel(false);
			}
		});
		return admitted;
	}

	/**
	 * @return whether an attempt may have to wait for a bulkhead permit, so that
	 * {@link #acquireAttemptPermitAsync()} may return a future that is not yet done
	 */
	boolean attemptsMayWait() {
		return bulkheadMayWait;
	}

	/**
	 * One attempt: the breaker's permission, the bulkhead's permit, the call.
	 * @param started whether {@code start} is a reading of the pipeline's ticker taken as
	 * the attempt started; if not, the attempt reads the ticker itself
	 */
	private Object attempt(Attempts attempts, Object call, long start, boolean started) throws Throwable {
		CircuitBreaker.Permit breakerPermit = (circuitBreaker != null) ? circuitBreaker.acquirePermission() : null;
		Bulkhead.Permit bulkheadPermit = null;
		if (bulkhead != null) {
			try {
				bulkheadPermit = bulkhead.acquire();
			}
			catch (Throwable ex) {
				// A full bulkhead says nothing about the dependency's health: free the
				// breaker's permit without recording an outcome.
				if (breakerPermit != null) {
					breakerPermit.onCancel();
				}
				throw ex;
			}
		}
		try {
			if (breakerPermit == null) {
				return invoke(attempts, call);
			}
			if (!started || bulkheadMayWait) {
				// Read after the permits: a wait for the bulkhead is not the call's duration.
				start = ticker.read();
			}
			Object result;
			try {
				result = invoke(attempts, call);
			}
			catch (Throwable ex) {
				long end = ticker.read();
				breakerPermit.onError(end - start, breakerSharesTicker ? end : CircuitBreakerListener.NO_END, ex);
				throw ex;
			}
			long end = ticker.read();
			breakerPermit.onSuccess(end - start, breakerSharesTicker ? end : CircuitBreakerListener.NO_END);
			return result;
		}
		finally {
			if (bulkheadPermit != null) {
				bulkheadPermit.release();
			}
		}
	}

	private static Object invoke(Attempts attempts, Object call) throws Throwable {
		switch (attempts.kind) {
			case SUPPLIER:
				return ((Supplier<?>) call).get();
			case CALLABLE:
				return ((Callable<?>) call).call();
			case RUNNABLE:
				((Runnable) call).run();
				return null;
			case FUNCTION:
				return attempts.function.apply(call);
			default:
				return ((CheckedSupplier<?>) call).get();
		}
	}

	/**
	 * @return the pipeline's name
	 */
	public String name() {
		return name;
	}

	/**
	 * @return the retry, or {@code null} when the pipeline does not retry
	 */
	public Retry retry() {
		return retry;
	}

	/**
	 * @return the circuit breaker, or {@code null} when there is none
	 */
	public CircuitBreaker circuitBreaker() {
		return circuitBreaker;
	}

	/**
	 * @return the bulkhead, or {@code null} when there is none
	 */
	public Bulkhead bulkhead() {
		return bulkhead;
	}

	/**
	 * @return where asynchronous calls schedule their retries
	 */
	public Scheduler scheduler() {
		return scheduler;
	}

	@Override
	public String toString() {
		return "ResiliencePipeline[" + name + ": retry=" + (retry != null) + ", circuitBreaker="
				+ (circuitBreaker != null) + ", bulkhead=" + (bulkhead != null) + "]";
	}

	/**
	 * The attempts of one kind of call, in both forms the retry runs: timed, when the
	 * retry's reading of the ticker can serve as the breaker's start, and plain otherwise.
	 */
	private final class Attempts implements Retry.Attempt<Object, Object>, Retry.TimedAttempt<Object, Object> {

		private final int kind;

		/** The decorated call, for {@link #FUNCTION}; otherwise {@code null}. */
		private final CheckedFunction<Object, ?> function;

		Attempts(int kind) {
			this(kind, null);
		}

		Attempts(int kind, CheckedFunction<Object, ?> function) {
			this.kind = kind;
			this.function = function;
		}

		@Override
		public Object run(Object call) throws Throwable {
			return attempt(this, call, 0, false);
		}

		@Override
		public Object run(Object call, long startNanos) throws Throwable {
			return attempt(this, call, startNanos, true);
		}

	}

	/**
	 * Builds a {@link ResiliencePipeline}, from configurations or from existing instances
	 * (shared with other pipelines through a {@link ResilienceRegistry}).
	 */
	public static final class Builder {

		private final String name;

		private Ticker ticker = Ticker.system();

		private Sleeper sleeper = Sleeper.system();

		private Scheduler scheduler = Scheduler.system();

		private RetryConfig retryConfig;

		private CircuitBreakerConfig circuitBreakerConfig;

		private BulkheadConfig bulkheadConfig;

		private Retry retry;

		private CircuitBreaker circuitBreaker;

		private Bulkhead bulkhead;

		private Builder(String name) {
			this.name = Objects.requireNonNull(name, "name must not be null");
		}

		/**
		 * @param ticker time for the instances this builder creates and for measuring calls
		 * @return this builder
		 */
		public Builder ticker(Ticker ticker) {
			this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
			return this;
		}

		/**
		 * @param sleeper how the retry this builder creates waits between attempts
		 * @return this builder
		 */
		public Builder sleeper(Sleeper sleeper) {
			this.sleeper = Objects.requireNonNull(sleeper, "sleeper must not be null");
			return this;
		}

		/**
		 * @param scheduler where asynchronous calls schedule their retries, and where the
		 * bulkhead this builder creates times the waits of asynchronous calls; the shared
		 * {@link Scheduler#system()} by default
		 * @return this builder
		 */
		public Builder scheduler(Scheduler scheduler) {
			this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
			return this;
		}

		public Builder retry(RetryConfig config) {
			this.retryConfig = config;
			this.retry = null;
			return this;
		}

		public Builder retry(Retry retry) {
			this.retry = retry;
			this.retryConfig = null;
			return this;
		}

		public Builder circuitBreaker(CircuitBreakerConfig config) {
			this.circuitBreakerConfig = config;
			this.circuitBreaker = null;
			return this;
		}

		public Builder circuitBreaker(CircuitBreaker circuitBreaker) {
			this.circuitBreaker = circuitBreaker;
			this.circuitBreakerConfig = null;
			return this;
		}

		public Builder bulkhead(BulkheadConfig config) {
			this.bulkheadConfig = config;
			this.bulkhead = null;
			return this;
		}

		public Builder bulkhead(Bulkhead bulkhead) {
			this.bulkhead = bulkhead;
			this.bulkheadConfig = null;
			return this;
		}

		public ResiliencePipeline build() {
			if (retryConfig != null) {
				retry = Retry.of(name, retryConfig, ticker, sleeper, Randoms.threadLocal(),
						dev.resilience.core.retry.RetryListener.NOOP);
			}
			if (circuitBreakerConfig != null) {
				circuitBreaker = CircuitBreaker.of(name, circuitBreakerConfig, ticker,
						CircuitBreakerListener.NOOP);
			}
			if (bulkheadConfig != null) {
				bulkhead = Bulkhead.of(name, bulkheadConfig, ticker, scheduler,
						dev.resilience.core.bulkhead.BulkheadListener.NOOP);
			}
			return new ResiliencePipeline(this);
		}

	}

}

package dev.resilience.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import dev.resilience.core.retry.RetryContext;
import dev.resilience.core.retry.RetryExecution;
import dev.resilience.core.time.Scheduler;

/**
 * One asynchronous call through a {@link ResiliencePipeline}: the same order and rules as
 * the blocking path, with waits scheduled instead of slept. Each attempt takes an
 * {@link AttemptPermit} (breaker, then bulkhead, waiting for a bulkhead permit without a
 * thread when the bulkhead has a {@code maxWait}), starts the call and
 * reports its stage's outcome to the permit and then to the {@link RetryExecution}, which
 * says whether to schedule another attempt.
 * <p>
 * The result is the future handed to the caller. Completing it from outside, usually by
 * cancelling it, stops the call: the attempt in flight is cancelled and its permits given
 * back at once, or the scheduled retry is dropped.
 * @param <T> the result type
 */
final class AsyncCall<T> {

	private final ResiliencePipeline pipeline;

	private final CheckedSupplier<? extends CompletionStage<? extends T>> call;

	private final RetryExecution retry;

	private final Scheduler scheduler;

	private final CompletableFuture<T> result = new CompletableFuture<>();

	/**
	 * What a cancellation must stop: the wait for an attempt's permits (a
	 * {@code CompletableFuture}), the {@link Attempt} in flight or the
	 * {@link Scheduler.Cancellable} wait before the next one; {@code null} in between.
	 */
	private volatile Object pending;

	private AsyncCall(ResiliencePipeline pipeline, CheckedSupplier<? extends CompletionStage<? extends T>> call,
			Scheduler scheduler) {
		this.pipeline = pipeline;
		this.call = call;
		this.scheduler = scheduler;
		this.retry = (pipeline.retry() != null) ? pipeline.retry().startExecution() : null;
	}

	static <T> CompletableFuture<T> start(ResiliencePipeline pipeline,
			CheckedSupplier<? extends CompletionStage<? extends T>> call, Scheduler scheduler) {
		AsyncCall<T> asyncCall = new AsyncCall<>(pipeline, call, scheduler);
		asyncCall.result.whenComplete((value, error) -> asyncCall.resultCompleted());
		asyncCall.attempt();
		return asyncCall.result;
	}

	private void attempt() {
		if (result.isDone()) {
			// Cancelled while waiting for this attempt.
			return;
		}
		if (!pipeline.attemptsMayWait()) {
			AttemptPermit permit;
			try {
				permit = pipeline.acquireAttemptPermit();
			}
			catch (Throwable refusal) {
				// An open breaker or a full bulkhead fails the attempt, as a thrown refusal does
				// on the blocking path: the retry's rules decide (by default, not to retry it).
				attemptEnded(null, refusal);
				return;
			}
			run(permit);
			return;
		}
		CompletableFuture<AttemptPermit> admission = pipeline.acquireAttemptPermitAsync();
		pending = admission;
		if (result.isDone()) {
			// Cancelled as the wait began: the canceller may not have seen it. If a permit
			// arrived already, run() sees the cancellation and gives it back.
			admission.cancel(false);
		}
		admission.whenComplete(this::admitted);
	}

	/**
	 * The wait for the attempt's permits is over (at once, usually).
	 */
	private void admitted(AttemptPermit permit, Throwable refusal) {
		if (refusal != null) {
			if (result.isDone()) {
				// The call was cancelled, which cancelled the wait.
				return;
			}
			pending = null;
			attemptEnded(null, unwrap(refusal));
			return;
		}
		run(permit);
	}

	private void run(AttemptPermit permit) {
		Attempt attempt = new Attempt(permit);
		pending = attempt;
		if (result.isDone()) {
			// Cancelled while the attempt waited for its permit: do not start it.
			attempt.abandonBeforeStart();
			return;
		}
		CompletionStage<? extends T> stage;
		// Retrying calls that the attempt starts are nested in this one, and in the calls
		// this one was started in (captured when it started).
		try (RetryContext.Scope scope = (retry != null) ? retry.context().apply() : null) {
			stage = call.get();
			if (stage == null) {
				throw new NullPointerException("the call returned null instead of a CompletionStage");
			}
		}
		catch (Throwable ex) {
			// A call that throws instead of returning a failed stage fails the same way.
			attempt.failedToStart(ex);
			return;
		}
		if (attempt.started(stage)) {
			stage.whenComplete(attempt);
		}
	}

	private void attemptEnded(Object value, Throwable failure) {
		if (retry == null) {
			complete(value, failure);
			return;
		}
		long delay;
		try {
			delay = (failure != null) ? retry.onFailure(failure) : retry.onResult(value);
		}
		catch (Throwable ex) {
			// The policy's result predicate threw: that is the call's outcome.
			retry.abandon(null);
			result.completeExceptionally(ex);
			return;
		}
		if (delay == RetryExecution.STOP) {
			complete(value, failure);
			return;
		}
		if (result.isDone()) {
			retry.abandon(null);
			return;
		}
		if (delay == 0) {
			// No wait: no hop through the scheduler. The depth of this recursion through
			// synchronously completed stages is bounded by maxAttempts.
			retry.nextAttempt();
			attempt();
			return;
		}
		Scheduler.Cancellable waiting;
		try {
			waiting = scheduler.schedule(this::retryNow, delay);
		}
		catch (Throwable rejected) {
			// The scheduler is shut down: end with what the last attempt gave.
			retry.abandon(rejected);
			complete(value, failure);
			return;
		}
		pending = waiting;
		if (result.isDone()) {
			// Cancelled while scheduling: the canceller may not have seen the wait.
			waiting.cancel();
		}
	}

	private void retryNow() {
		pending = null;
		if (result.isDone()) {
			return;
		}
		retry.nextAttempt();
		attempt();
	}

	@SuppressWarnings("unchecked")
	private void complete(Object value, Throwable failure) {
		if (failure != null) {
			result.completeExceptionally(failure);
		}
		else {
			result.complete((T) value);
		}
	}

	/**
	 * Runs once, whoever completed the result. When it was not this call (the caller
	 * cancelled or completed it), whatever is pending is stopped.
	 */
	private void resultCompleted() {
		Object current = pending;
		if (current instanceof AsyncCall<?>.Attempt) {
			((AsyncCall<?>.Attempt) current).cancel();
		}
		else if (current instanceof CompletableFuture<?>) {
			// Waiting for a bulkhead permit: leave the queue.
			((CompletableFuture<?>) current).cancel(false);
		}
		else if (current instanceof Scheduler.Cancellable) {
			((Scheduler.Cancellable) current).cancel();
		}
		if (retry != null) {
			// No-op when the call ended by its own rules, which finished the execution first.
			retry.abandon(null);
		}
	}

	static Throwable unwrap(Throwable error) {
		Throwable current = error;
		while ((current instanceof CompletionException || current instanceof ExecutionException)
				&& current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	/**
	 * One attempt in flight: its permit and its stage. Until the call has returned its stage
	 * the attempt belongs to {@link #run}: a cancellation arriving then is only noted, and
	 * {@code run} carries it out once the stage exists, so the stage is always cancelled
	 * before the permits go back and no other call can take the permits while this one's
	 * work is still starting. From then on a compare-and-set decides between the stage's
	 * completion and a cancellation; the loser does nothing.
	 */
	private final class Attempt implements BiConsumer<Object, Throwable> {

		/** The call has not returned its stage yet; only {@code run} may settle the attempt. */
		private static final int STARTING = 0;

		/** Cancelled while {@link #STARTING}: {@code run} cancels the stage once it has it. */
		private static final int CANCEL_REQUESTED = 1;

		/** The stage is running; its completion and a cancellation race to settle it. */
		private static final int STARTED = 2;

		private static final int SETTLED = 3;

		private final AttemptPermit permit;

		private final AtomicInteger phase = new AtomicInteger(STARTING);

		private volatile CompletionStage<?> stage;

		Attempt(AttemptPermit permit) {
			this.permit = permit;
		}

		/** {@code run} gives the attempt up before starting the call: the permits go back. */
		void abandonBeforeStart() {
			phase.set(SETTLED);
			permit.onCancel();
		}

		/** The call threw instead of returning a stage. */
		void failedToStart(Throwable error) {
			if (phase.getAndSet(SETTLED) == CANCEL_REQUESTED) {
				// The caller cancelled meanwhile: nothing runs any more, the permits go back.
				permit.onCancel();
				return;
			}
			settle(null, error);
		}

		/**
		 * @return {@code true} if the stage may run on; {@code false} if a cancellation came
		 * while the call was starting, in which case the stage has been cancelled and the
		 * permits given back
		 */
		boolean started(CompletionStage<?> stage) {
			this.stage = stage;
			if (phase.compareAndSet(STARTING, STARTED)) {
				return true;
			}
			phase.set(SETTLED);
			cancelStageThenRelease(stage);
			return false;
		}

		@Override
		public void accept(Object value, Throwable error) {
			if (!phase.compareAndSet(STARTED, SETTLED)) {
				// Cancelled first: the cancellation has settled the call.
				return;
			}
			settle(value, error);
		}

		private void settle(Object value, Throwable error) {
			Throwable failure = (error != null) ? unwrap(error) : null;
			if (failure != null) {
				permit.onError(failure);
			}
			else {
				permit.onSuccess();
			}
			pending = null;
			attemptEnded(value, failure);
		}

		void cancel() {
			for (;;) {
				int current = phase.get();
				if (current == STARTING) {
					if (phase.compareAndSet(STARTING, CANCEL_REQUESTED)) {
						return; // run() carries it out when the call has returned
					}
				}
				else if (current == STARTED) {
					if (phase.compareAndSet(STARTED, SETTLED)) {
						cancelStageThenRelease(stage);
						return;
					}
				}
				else {
					return; // already requested or settled
				}
			}
		}

		private void cancelStageThenRelease(CompletionStage<?> current) {
			try {
				// Before the permits go back: the dependency hears of the cancellation
				// before another call can take its place.
				current.toCompletableFuture().cancel(true);
			}
			catch (UnsupportedOperationException ex) {
				// A stage that cannot be cancelled runs to its end; its permits go back now.
			}
			finally {
				permit.onCancel();
			}
		}

	}

}

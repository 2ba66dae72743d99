package dev.resilience.core.idempotency;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;

import dev.resilience.core.CheckedSupplier;

/**
 * One asynchronous idempotent call, from its first claim to its result: the decisions are
 * {@link Idempotency}'s (claim, replay, store, release, conflict), only the waiting and the
 * completion differ. A duplicate that finds the key in progress polls again from a task of
 * the instance's scheduler; the caller of a call that runs gets its outcome when the
 * call's stage completes.
 *
 * @param <T> the result type
 */
final class AsyncIdempotentCall<T> {

	private final Idempotency idempotency;

	private final IdempotencyKey key;

	private final String fingerprint;

	private final ResultCodec<T> codec;

	private final CheckedSupplier<? extends CompletionStage<? extends T>> call;

	private final CompletableFuture<IdempotencyResult<T>> result;

	/** Created at the first poll that finds the key in progress; polls never overlap. */
	private DuplicateWait wait;

	AsyncIdempotentCall(Idempotency idempotency, IdempotencyKey key, String fingerprint, ResultCodec<T> codec,
			CheckedSupplier<? extends CompletionStage<? extends T>> call,
			CompletableFuture<IdempotencyResult<T>> result) {
		this.idempotency = idempotency;
		this.key = key;
		this.fingerprint = fingerprint;
		this.codec = codec;
		this.call = call;
		this.result = result;
	}

	/** Claims the key and acts on what the claim found. */
	void poll() {
		if (result.isDone()) {
			// The caller cancelled while this duplicate waited: stop polling.
			return;
		}
		Claim claim;
		try {
			claim = idempotency.claim(key, fingerprint);
		}
		catch (RuntimeException ex) {
			result.completeExceptionally(ex);
			return;
		}
		switch (claim.status()) {
			case CLAIMED:
				run(claim.ownerToken());
				return;
			case COMPLETED:
				try {
					result.complete(idempotency.replay(key, claim.result(), codec));
				}
				catch (RuntimeException ex) {
					result.completeExceptionally(ex);
				}
				return;
			case FINGERPRINT_MISMATCH:
				result.completeExceptionally(idempotency.reused(key));
				return;
			case IN_PROGRESS:
			default:
				waitAndPollAgain();
		}
	}

	private void waitAndPollAgain() {
		if (wait == null) {
			wait = idempotency.startWaiting();
		}
		long pause = wait.nextPauseNanos();
		if (pause <= 0) {
			result.completeExceptionally(idempotency.conflict(key));
			return;
		}
		try {
			idempotency.scheduler().schedule(this::poll, pause);
		}
		catch (RejectedExecutionException ex) {
			// The scheduler is shut down: nobody will poll again, so stop waiting now.
			IdempotencyConflictException conflict = idempotency.conflict(key);
			conflict.addSuppressed(ex);
			result.completeExceptionally(conflict);
		}
	}

	private void run(String ownerToken) {
		if (result.isDone()) {
			// Cancelled between the check in poll() and the claim: give the key back unused.
			idempotency.releaseAfter(new CancellationException(), key, ownerToken);
			return;
		}
		CompletionStage<? extends T> stage;
		try {
			stage = call.get();
			if (stage == null) {
				throw new IllegalStateException("the call returned no CompletionStage");
			}
		}
		catch (Throwable failure) {
			idempotency.report(IdempotencyOutcome.EXECUTED);
			idempotency.releaseAfter(failure, key, ownerToken);
			result.completeExceptionally(failure);
			return;
		}
		stage.whenComplete((value, error) -> completed(ownerToken, value, error));
		result.whenComplete((value, error) -> {
			if (result.isCancelled()) {
				cancel(stage);
			}
		});
	}

	private void completed(String ownerToken, T value, Throwable error) {
		idempotency.report(IdempotencyOutcome.EXECUTED);
		if (error != null) {
			// Failed or cancelled: free the key so that the next try runs again.
			Throwable failure = unwrap(error);
			idempotency.releaseAfter(failure, key, ownerToken);
			result.completeExceptionally(failure);
			return;
		}
		try {
			idempotency.store(key, ownerToken, codec, value);
		}
		catch (RuntimeException | Error ex) {
			// The key is released; the caller learns why its result is not stored.
			result.completeExceptionally(ex);
			return;
		}
		result.complete(new IdempotencyResult<>(value, false));
	}

	private static void cancel(CompletionStage<?> stage) {
		try {
			stage.toCompletableFuture().cancel(true);
		}
		catch (UnsupportedOperationException ex) {
			// A stage that cannot be cancelled runs to its end; its outcome still settles the key.
		}
	}

	private static Throwable unwrap(Throwable error) {
		return (error instanceof CompletionException && error.getCause() != null) ? error.getCause() : error;
	}

}

package dev.resilience.core.idempotency;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.resilience.core.CheckedSupplier;
import dev.resilience.core.internal.Checks;
import dev.resilience.core.time.Scheduler;
import dev.resilience.core.time.Sleeper;
import dev.resilience.core.time.Ticker;

/**
 * Runs a call at most once per key: the first caller claims the key in the
 * {@link IdempotencyStore}, runs the call and stores its result; a duplicate gets the
 * stored result without running the call, waits up to {@code maxWait} while the first is in
 * progress and then gets {@link IdempotencyConflictException}, and is rejected with
 * {@link IdempotencyKeyReuseException} when it carries another fingerprint. A call that
 * fails releases its claim, so the next try runs again.
 * <p>
 * If the store cannot be reached the call does not run and the caller gets
 * {@link IdempotencyStoreException}. If the store fails only after the call succeeded,
 * the caller still gets the result: the call has happened and cannot be taken back.
 * <p>
 * {@link #executeAsync} applies the same rules to a call that returns a
 * {@link CompletionStage}: the claim is completed when the stage completes, and a duplicate
 * waits for the first call through the {@link Scheduler}, without holding a thread.
 */
public final class Idempotency {

	private final String name;

	private final IdempotencyConfig config;

	private final IdempotencyStore store;

	private final IdempotencyListener listener;

	private final Ticker ticker;

	private final Sleeper sleeper;

	private final Scheduler scheduler;

	private final long maxWaitNanos;

	private Idempotency(Builder builder) {
		this.name = builder.name;
		this.config = builder.config;
		this.store = builder.store;
		this.listener = builder.listener;
		this.ticker = builder.ticker;
		this.sleeper = builder.sleeper;
		this.scheduler = builder.scheduler;
		this.maxWaitNanos = saturatedNanos(config.maxWait());
	}

	private static long saturatedNanos(Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
	}

	/**
	 * @param name the instance name; it scopes every key
	 * @param config the settings
	 * @param store where keys live
	 * @return an instance on the system ticker and sleeper, without a listener
	 */
	public static Idempotency of(String name, IdempotencyConfig config, IdempotencyStore store) {
		return builder(name, store).config(config).build();
	}

	/**
	 * @param name the instance name; it scopes every key
	 * @param store where keys live
	 * @return a builder starting from the default settings
	 */
	public static Builder builder(String name, IdempotencyStore store) {
		return new Builder(name, store);
	}

	/**
	 * @return the instance name
	 */
	public String name() {
		return name;
	}

	/**
	 * @return the settings
	 */
	public IdempotencyConfig config() {
		return config;
	}

	/**
	 * @return where keys live
	 */
	public IdempotencyStore store() {
		return store;
	}

	/**
	 * Runs the call once per key, or returns the stored result of the run that came first.
	 * @param <T> the result type
	 * @param request the key, fingerprint and principal
	 * @param codec stores and restores the result
	 * @param call what to run
	 * @return the call's result, run now or replayed
	 * @throws IdempotencyKeyMissingException when the request has no key
	 * @throws IdempotencyKeyInvalidException when the key is longer than allowed
	 * @throws IdempotencyConflictException when the key stayed in progress for {@code maxWait}
	 * @throws IdempotencyKeyReuseException when the key was used with another fingerprint
	 * @throws IdempotencyStoreException when the store failed before the call ran
	 * @throws IdempotencySerializationException when the result could not be stored or a
	 * stored one could not be read
	 * @throws Throwable whatever the call threw, unchanged
	 */
	public <T> T execute(IdempotencyRequest request, ResultCodec<T> codec, CheckedSupplier<T> call) throws Throwable {
		return executeWithOutcome(request, codec, call).value();
	}

	/**
	 * Like {@link #execute}, and also tells whether the result was replayed.
	 * @param <T> the result type
	 * @param request the key, fingerprint and principal
	 * @param codec stores and restores the result
	 * @param call what to run
	 * @return the call's result and whether it was replayed
	 * @throws Throwable as {@link #execute} does
	 */
	public <T> IdempotencyResult<T> executeWithOutcome(IdempotencyRequest request, ResultCodec<T> codec,
			CheckedSupplier<T> call) throws Throwable {
		IdempotencyKey key = scopedKey(request);
		DuplicateWait wait = null;
		while (true) {
			Claim claim = claim(key, request.fingerprint());
			switch (claim.status()) {
				case CLAIMED:
					return run(key, claim.ownerToken(), codec, call);
				case COMPLETED:
					return replay(key, claim.result(), codec);
				case FINGERPRINT_MISMATCH:
					throw reused(key);
				case IN_PROGRESS:
				default:
					wait = (wait != null) ? wait : startWaiting();
					long pause = wait.nextPauseNanos();
					if (pause <= 0) {
						throw conflict(key);
					}
					pauseBeforePolling(pause, key);
			}
		}
	}

	/**
	 * Runs a call that completes later once per key, or answers with the stored result of
	 * the run that came first. The rules are those of {@link #execute}; every outcome,
	 * including a missing key or a store failure, arrives through the returned future.
	 * <p>
	 * The store is called on whichever thread is at hand: the first claim on the caller's
	 * thread (a store over the network blocks it for one round trip, as the synchronous
	 * call does), later claims of a duplicate that waits on the {@link Scheduler}'s thread,
	 * and the completion or release of the claim on the thread that completes the call's
	 * stage. A duplicate that finds the key in progress waits for up to {@code maxWait} by
	 * polling the store from scheduled tasks, never by sleeping.
	 * <p>
	 * Cancelling the returned future while the call runs cancels the call's stage, whose
	 * cancellation then releases the key; a stage that completes normally all the same has
	 * its result stored, since the call has happened.
	 * @param <T> the result type
	 * @param request the key, fingerprint and principal
	 * @param codec stores and restores the result
	 * @param call starts the call; called at most once, on the thread that claimed the key
	 * @return the call's result, run now or replayed, and whether it was replayed; failed
	 * with the exceptions {@link #execute} throws, or with the call's own failure unchanged
	 */
	public <T> CompletableFuture<IdempotencyResult<T>> executeAsyncWithOutcome(IdempotencyRequest request,
			ResultCodec<T> codec, CheckedSupplier<? extends CompletionStage<? extends T>> call) {
		Checks.notNull("codec", codec);
		Checks.notNull("call", call);
		CompletableFuture<IdempotencyResult<T>> result = new CompletableFuture<>();
		IdempotencyKey key;
		try {
			key = scopedKey(request);
		}
		catch (RuntimeException ex) {
			result.completeExceptionally(ex);
			return result;
		}
		new AsyncIdempotentCall<>(this, key, request.fingerprint(), codec, call, result).poll();
		return result;
	}

	/**
	 * Like {@link #executeAsyncWithOutcome}, with the result alone.
	 * @param <T> the result type
	 * @param request the key, fingerprint and principal
	 * @param codec stores and restores the result
	 * @param call starts the call
	 * @return the call's result, run now or replayed
	 */
	public <T> CompletableFuture<T> executeAsync(IdempotencyRequest request, ResultCodec<T> codec,
			CheckedSupplier<? extends CompletionStage<? extends T>> call) {
		CompletableFuture<IdempotencyResult<T>> outcome = executeAsyncWithOutcome(request, codec, call);
		CompletableFuture<T> result = outcome.thenApply(IdempotencyResult::value);
		// thenApply does not pass a cancellation upstream; the caller's must reach the call.
		result.whenComplete((value, error) -> {
			if (result.isCancelled()) {
				outcome.cancel(false);
			}
		});
		return result;
	}

	/** A duplicate starts waiting for the call in progress now. */
	DuplicateWait startWaiting() {
		return new DuplicateWait(ticker, maxWaitNanos);
	}

	Scheduler scheduler() {
		return scheduler;
	}

	IdempotencyKey scopedKey(IdempotencyRequest request) {
		String key = request.key();
		if (key == null || key.isBlank()) {
			throw new IdempotencyKeyMissingException(name);
		}
		if (key.length() > config.maxKeyLength()) {
			throw new IdempotencyKeyInvalidException(name,
					"it has " + key.length() + " characters, more than the maximum of " + config.maxKeyLength());
		}
		return IdempotencyKey.of(name, request.principal(), key);
	}

	/** @throws IdempotencyStoreException when the store fails; the call must not run */
	Claim claim(IdempotencyKey key, String fingerprint) {
		Claim claim;
		try {
			claim = store.claim(key, fingerprint, config.lease());
		}
		catch (RuntimeException ex) {
			throw storeFailure("claim", ex);
		}
		if (claim == null) {
			throw storeFailure("claim", new IllegalStateException(store + " returned no claim"));
		}
		return claim;
	}

	private void pauseBeforePolling(long nanos, IdempotencyKey key) {
		try {
			sleeper.sleep(nanos);
		}
		catch (InterruptedException ex) {
			// Stop waiting for the other call, and let the code above us see the interrupt.
			Thread.currentThread().interrupt();
			throw conflict(key);
		}
	}

	private <T> IdempotencyResult<T> run(IdempotencyKey key, String ownerToken, ResultCodec<T> codec,
			CheckedSupplier<T> call) throws Throwable {
		T value;
		try {
			value = call.get();
		}
		catch (Throwable failure) {
			report(IdempotencyOutcome.EXECUTED);
			releaseAfter(failure, key, ownerToken);
			throw failure;
		}
		report(IdempotencyOutcome.EXECUTED);
		store(key, ownerToken, codec, value);
		return new IdempotencyResult<>(value, false);
	}

	/**
	 * Stores the result of a call that ran and completes its claim.
	 * @throws IdempotencySerializationException when the result cannot be encoded; the key
	 * is released first
	 */
	<T> void store(IdempotencyKey key, String ownerToken, ResultCodec<T> codec, T value) {
		StoredResult stored;
		try {
			stored = codec.encode(value);
			if (stored == null) {
				throw new IllegalStateException(codec + " encoded the result as null");
			}
		}
		catch (Exception ex) {
			// Without a stored result a duplicate would wait for nothing: free the key.
			IdempotencySerializationException failure = new IdempotencySerializationException(
					"The result of '" + name + "' could not be serialized for storage: " + ex.getMessage(), ex);
			releaseAfter(failure, key, ownerToken);
			throw failure;
		}
		catch (Error err) {
			releaseAfter(err, key, ownerToken);
			throw err;
		}
		try {
			store.complete(key, ownerToken, stored, config.ttl());
		}
		catch (RuntimeException ex) {
			// The call has happened; failing now would make the caller retry a done deed.
			// The key stays in progress, so duplicates get conflicts until the lease ends.
			IdempotencyStoreException failure = (ex instanceof IdempotencyStoreException storeException)
					? storeException : new IdempotencyStoreException(describe("complete"), ex);
			notifyStoreFailure(failure);
		}
	}

	<T> IdempotencyResult<T> replay(IdempotencyKey key, StoredResult stored, ResultCodec<T> codec) {
		T value;
		try {
			value = codec.decode(stored);
		}
		catch (Exception ex) {
			throw new IdempotencySerializationException("The stored result of key '" + key.key() + "' of '" + name
					+ "' could not be read: " + ex.getMessage(), ex);
		}
		report(IdempotencyOutcome.REPLAYED);
		return new IdempotencyResult<>(value, true);
	}

	void releaseAfter(Throwable failure, IdempotencyKey key, String ownerToken) {
		try {
			store.release(key, ownerToken);
		}
		catch (RuntimeException ex) {
			// The caller must see the call's own failure; the key frees itself when the lease ends.
			IdempotencyStoreException storeFailure = (ex instanceof IdempotencyStoreException storeException)
					? storeException : new IdempotencyStoreException(describe("release"), ex);
			failure.addSuppressed(storeFailure);
			notifyStoreFailure(storeFailure);
		}
	}

	private IdempotencyStoreException storeFailure(String operation, RuntimeException ex) {
		IdempotencyStoreException failure = (ex instanceof IdempotencyStoreException storeException) ? storeException
				: new IdempotencyStoreException(describe(operation) + ": " + ex.getMessage(), ex);
		notifyStoreFailure(failure);
		return failure;
	}

	private String describe(String operation) {
		return "The idempotency store of '" + name + "' failed to " + operation + " a key";
	}

	/** @return the exception for a key used with another fingerprint, counted */
	IdempotencyKeyReuseException reused(IdempotencyKey key) {
		report(IdempotencyOutcome.REUSED_KEY);
		return new IdempotencyKeyReuseException(name, key.key());
	}

	/** @return the exception for a key that stayed in progress, counted */
	IdempotencyConflictException conflict(IdempotencyKey key) {
		report(IdempotencyOutcome.CONFLICT);
		return new IdempotencyConflictException(name, key.key());
	}

	void report(IdempotencyOutcome outcome) {
		try {
			listener.onOutcome(name, outcome);
		}
		catch (RuntimeException ignored) {
			// A listener must not change the outcome of the call.
		}
	}

	private void notifyStoreFailure(IdempotencyStoreException failure) {
		try {
			listener.onStoreFailure(name, failure);
		}
		catch (RuntimeException ignored) {
			// A listener must not change the outcome of the call.
		}
	}

	@Override
	public String toString() {
		return "Idempotency[" + name + ", " + store + "]";
	}

	/**
	 * Builds an {@link Idempotency}; every setting starts at its default.
	 */
	public static final class Builder {

		private final String name;

		private final IdempotencyStore store;

		private IdempotencyConfig config = IdempotencyConfig.defaults();

		private IdempotencyListener listener = IdempotencyListener.NOOP;

		private Ticker ticker = Ticker.system();

		private Sleeper sleeper = Sleeper.system();

		private Scheduler scheduler = Scheduler.system();

		private Builder(String name, IdempotencyStore store) {
			this.name = Checks.notNull("name", name);
			this.store = Checks.notNull("store", store);
		}

		/**
		 * @param config the settings
		 * @return this builder
		 */
		public Builder config(IdempotencyConfig config) {
			this.config = Checks.notNull("config", config);
			return this;
		}

		/**
		 * @param listener receives outcomes and store failures
		 * @return this builder
		 */
		public Builder listener(IdempotencyListener listener) {
			this.listener = Checks.notNull("listener", listener);
			return this;
		}

		/**
		 * @param ticker measures how long a duplicate has waited
		 * @return this builder
		 */
		public Builder ticker(Ticker ticker) {
			this.ticker = Checks.notNull("ticker", ticker);
			return this;
		}

		/**
		 * @param sleeper pauses between polls of a key in progress
		 * @return this builder
		 */
		public Builder sleeper(Sleeper sleeper) {
			this.sleeper = Checks.notNull("sleeper", sleeper);
			return this;
		}

		/**
		 * @param scheduler runs the polls of a key in progress for asynchronous calls, which
		 * wait without holding a thread
		 * @return this builder
		 */
		public Builder scheduler(Scheduler scheduler) {
			this.scheduler = Checks.notNull("scheduler", scheduler);
			return this;
		}

		/**
		 * @return the instance
		 */
		public Idempotency build() {
			return new Idempotency(this);
		}

	}

}

package dev.resilience.core.idempotency;

import java.time.Duration;

import dev.resilience.core.CheckedSupplier;
import dev.resilience.core.internal.Checks;
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
 */
public final class Idempotency {

	/** First pause while polling a key in progress; doubles up to the cap. */
	private static final long FIRST_POLL_NANOS = Duration.ofMillis(10).toNanos();

	private static final long MAX_POLL_NANOS = Duration.ofMillis(250).toNanos();

	private final String name;

	private final IdempotencyConfig config;

	private final IdempotencyStore store;

	private final IdempotencyListener listener;

	private final Ticker ticker;

	private final Sleeper sleeper;

	private final long maxWaitNanos;

	private Idempotency(Builder builder) {
		this.name = builder.name;
		this.config = builder.config;
		this.store = builder.store;
		this.listener = builder.listener;
		this.ticker = builder.ticker;
		this.sleeper = builder.sleeper;
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
		long waitStart = 0;
		long pause = FIRST_POLL_NANOS;
		boolean waiting = false;
		while (true) {
			Claim claim = claim(key, request.fingerprint());
			switch (claim.status()) {
				case CLAIMED:
					return run(key, claim.ownerToken(), codec, call);
				case COMPLETED:
					return replay(key, claim.result(), codec);
				case FINGERPRINT_MISMATCH:
					report(IdempotencyOutcome.REUSED_KEY);
					throw new IdempotencyKeyReuseException(name, key.key());
				case IN_PROGRESS:
				default:
					long now = ticker.read();
					if (!waiting) {
						waiting = true;
						waitStart = now;
					}
					long remaining = maxWaitNanos - (now - waitStart);
					if (remaining <= 0) {
						report(IdempotencyOutcome.CONFLICT);
						throw new IdempotencyConflictException(name, key.key());
					}
					pauseBeforePolling(Math.min(pause, remaining), key);
					pause = Math.min(pause * 2, MAX_POLL_NANOS);
			}
		}
	}

	private IdempotencyKey scopedKey(IdempotencyRequest request) {
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

	private Claim claim(IdempotencyKey key, String fingerprint) {
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
			report(IdempotencyOutcome.CONFLICT);
			throw new IdempotencyConflictException(name, key.key());
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
		return new IdempotencyResult<>(value, false);
	}

	private <T> IdempotencyResult<T> replay(IdempotencyKey key, StoredResult stored, ResultCodec<T> codec) {
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

	private void releaseAfter(Throwable failure, IdempotencyKey key, String ownerToken) {
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

	private void report(IdempotencyOutcome outcome) {
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
		 * @return the instance
		 */
		public Idempotency build() {
			return new Idempotency(this);
		}

	}

}

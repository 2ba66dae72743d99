package dev.resilience.core.idempotency;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.resilience.core.internal.Checks;
import dev.resilience.core.time.Ticker;

/**
 * Keeps keys in this process's memory: the default store, right for a single instance.
 * Bounded by {@code maxEntries}; when full, expired keys are evicted first, and when every
 * key is live a new claim fails with {@link IdempotencyStoreException} rather than
 * forgetting a live key (which would let its duplicates run). Time comes from a
 * {@link Ticker}. Each key changes only inside {@link ConcurrentHashMap#compute}, which
 * makes every operation atomic per key.
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {

	/** The default bound. */
	public static final int DEFAULT_MAX_ENTRIES = 10_000;

	private final ConcurrentHashMap<IdempotencyKey, Entry> entries = new ConcurrentHashMap<>();

	/** Entries held, counted apart from the map so that the bound holds under races. */
	private final AtomicInteger size = new AtomicInteger();

	private final AtomicLong tokens = new AtomicLong();

	private final int maxEntries;

	private final Ticker ticker;

	private InMemoryIdempotencyStore(int maxEntries, Ticker ticker) {
		this.maxEntries = Checks.atLeast("maxEntries", 1, maxEntries);
		this.ticker = Checks.notNull("ticker", ticker);
	}

	/**
	 * @return a store of {@value #DEFAULT_MAX_ENTRIES} entries on the system ticker
	 */
	public static InMemoryIdempotencyStore create() {
		return new InMemoryIdempotencyStore(DEFAULT_MAX_ENTRIES, Ticker.system());
	}

	/**
	 * @param maxEntries how many keys, live or expired, it holds at most
	 * @param ticker the source of time for leases and ttls
	 * @return an empty store
	 */
	public static InMemoryIdempotencyStore create(int maxEntries, Ticker ticker) {
		return new InMemoryIdempotencyStore(maxEntries, ticker);
	}

	@Override
	public Claim claim(IdempotencyKey key, String fingerprint, Duration lease) {
		Claim claim = tryClaim(key, fingerprint, lease);
		if (claim == null) {
			evictExpired();
			claim = tryClaim(key, fingerprint, lease);
			if (claim == null) {
				throw new IdempotencyStoreException("The in-memory idempotency store is full: " + maxEntries
						+ " keys are in progress or completed within their ttl; raise the limit, shorten the ttl"
						+ " or use a shared store");
			}
		}
		return claim;
	}

	/** @return the claim, or {@code null} when a new key would exceed the bound */
	private Claim tryClaim(IdempotencyKey key, String fingerprint, Duration lease) {
		long now = ticker.read();
		Claim[] outcome = new Claim[1];
		entries.compute(key, (k, current) -> {
			if (current != null && current.isLive(now)) {
				if (!current.fingerprint.equals(fingerprint)) {
					outcome[0] = Claim.fingerprintMismatch();
				}
				else {
					outcome[0] = current.isCompleted() ? Claim.completed(current.result) : Claim.inProgress();
				}
				return current;
			}
			// A new key takes a place first; an expired one is replaced in its place.
			if (current == null && size.incrementAndGet() > maxEntries) {
				size.decrementAndGet();
				return null;
			}
			String token = Long.toString(tokens.incrementAndGet());
			outcome[0] = Claim.claimed(token);
			return new Entry(token, fingerprint, deadline(now, lease), null);
		});
		return outcome[0];
	}

	@Override
	public boolean complete(IdempotencyKey key, String ownerToken, StoredResult result, Duration ttl) {
		Checks.notNull("result", result);
		long now = ticker.read();
		boolean[] stored = new boolean[1];
		entries.computeIfPresent(key, (k, current) -> {
			if (!current.isOwnedBy(ownerToken)) {
				return current;
			}
			stored[0] = true;
			return new Entry(null, current.fingerprint, deadline(now, ttl), result);
		});
		return stored[0];
	}

	@Override
	public boolean release(IdempotencyKey key, String ownerToken) {
		boolean[] released = new boolean[1];
		entries.computeIfPresent(key, (k, current) -> {
			if (!current.isOwnedBy(ownerToken)) {
				return current;
			}
			released[0] = true;
			size.decrementAndGet();
			return null;
		});
		return released[0];
	}

	@Override
	public Optional<StoredResult> find(IdempotencyKey key) {
		Entry entry = entries.get(key);
		if (entry == null || !entry.isCompleted() || !entry.isLive(ticker.read())) {
			return Optional.empty();
		}
		return Optional.of(entry.result);
	}

	/**
	 * Removes every expired key. Claims do this on their own when the store is full.
	 * @return how many keys were removed
	 */
	public int evictExpired() {
		long now = ticker.read();
		int[] evicted = new int[1];
		entries.forEach((key, entry) -> {
			// Removes only the entry seen expired: a key claimed again meanwhile stays.
			if (!entry.isLive(now) && entries.remove(key, entry)) {
				size.decrementAndGet();
				evicted[0]++;
			}
		});
		return evicted[0];
	}

	/**
	 * @return how many keys are held, including expired ones not yet evicted
	 */
	public int size() {
		return size.get();
	}

	/**
	 * @return the bound
	 */
	public int maxEntries() {
		return maxEntries;
	}

	private static long deadline(long now, Duration duration) {
		long nanos;
		try {
			nanos = duration.toNanos();
		}
		catch (ArithmeticException ex) {
			nanos = Long.MAX_VALUE / 2;
		}
		// Capped so that now + nanos cannot wrap past the comparison in isLive.
		return now + Math.min(nanos, Long.MAX_VALUE / 2);
	}

	@Override
	public String toString() {
		return "InMemoryIdempotencyStore[" + size() + "/" + maxEntries + "]";
	}

	/** One key's state; replaced, never changed. A null owner token means completed. */
	private static final class Entry {

		final String ownerToken;

		final String fingerprint;

		final long expiresAtNanos;

		final StoredResult result;

		Entry(String ownerToken, String fingerprint, long expiresAtNanos, StoredResult result) {
			this.ownerToken = ownerToken;
			this.fingerprint = fingerprint;
			this.expiresAtNanos = expiresAtNanos;
			this.result = result;
		}

		boolean isCompleted() {
			return result != null;
		}

		boolean isLive(long now) {
			return expiresAtNanos - now > 0;
		}

		boolean isOwnedBy(String token) {
			return !isCompleted() && ownerToken.equals(token);
		}

	}

}

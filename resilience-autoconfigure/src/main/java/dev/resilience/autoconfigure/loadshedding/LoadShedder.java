package dev.resilience.autoconfigure.loadshedding;

import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

import dev.resilience.autoconfigure.properties.LoadSheddingSettings;
import dev.resilience.core.bulkhead.Bulkhead;
import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.bulkhead.BulkheadFullException;
import dev.resilience.core.bulkhead.BulkheadListener;
import dev.resilience.core.time.Ticker;

/**
 * Decides which inbound requests run: an adaptive bulkhead (never waiting) holds the
 * limit, and each {@link RequestPriority} may fill only its share of it, so sheddable
 * requests are refused first and critical ones last.
 * <p>
 * The share check reads the bulkhead's free permits without taking one: two requests may
 * both pass it as the last share slot fills, which lets one extra lower-priority request
 * in and never more than the whole limit, since the bulkhead itself still decides.
 */
public final class LoadShedder {

	private static final RequestPriority[] PRIORITIES = RequestPriority.values();

	private final LoadSheddingSettings settings;

	private final Bulkhead bulkhead;

	private final LongAdder admitted = new LongAdder();

	private final LongAdder[] shed = new LongAdder[PRIORITIES.length];

	private LoadShedder(LoadSheddingSettings settings, Ticker ticker) {
		this.settings = settings;
		this.bulkhead = Bulkhead.of("load-shedding", BulkheadConfig.adaptive(settings.limit(), java.time.Duration.ZERO),
				ticker, BulkheadListener.NOOP);
		for (int i = 0; i < this.shed.length; i++) {
			this.shed[i] = new LongAdder();
		}
	}

	/**
	 * @param settings the validated settings
	 * @param ticker times requests for the adaptive limit
	 * @return a load shedder with nothing in flight
	 */
	public static LoadShedder of(LoadSheddingSettings settings, Ticker ticker) {
		Objects.requireNonNull(settings, "settings must not be null");
		Objects.requireNonNull(ticker, "ticker must not be null");
		return new LoadShedder(settings, ticker);
	}

	/**
	 * Admits a request or sheds it.
	 * @param priority the request's priority
	 * @return the request's permit, to be released exactly once when it ends; {@code null}
	 * when the request is shed
	 */
	public Bulkhead.Permit tryAdmit(RequestPriority priority) {
		if (priority != RequestPriority.CRITICAL) {
			int limit = this.bulkhead.maxConcurrentCalls();
			int inFlight = limit - this.bulkhead.availableConcurrentCalls();
			int share = Math.max(1, (int) (limit * priority.share()));
			if (inFlight >= share) {
				this.shed[priority.ordinal()].increment();
				return null;
			}
		}
		try {
			Bulkhead.Permit permit = this.bulkhead.acquire();
			this.admitted.increment();
			return permit;
		}
		catch (BulkheadFullException full) {
			this.shed[priority.ordinal()].increment();
			return null;
		}
	}

	/**
	 * @return the settings
	 */
	public LoadSheddingSettings settings() {
		return this.settings;
	}

	/**
	 * @return the concurrency limit now
	 */
	public int limit() {
		return this.bulkhead.maxConcurrentCalls();
	}

	/**
	 * @return the requests running now
	 */
	public int inFlight() {
		return Math.max(0, this.bulkhead.maxConcurrentCalls() - this.bulkhead.availableConcurrentCalls());
	}

	/**
	 * @return requests admitted since start
	 */
	public long admittedRequests() {
		return this.admitted.sum();
	}

	/**
	 * @param priority a priority
	 * @return requests of that priority shed since start
	 */
	public long shedRequests(RequestPriority priority) {
		return this.shed[priority.ordinal()].sum();
	}

	@Override
	public String toString() {
		return "LoadShedder[" + inFlight() + "/" + limit() + " in flight]";
	}

}

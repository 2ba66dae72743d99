package dev.resilience.core.slo;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A wall clock that moves only when told to, either way, as a real one may.
 */
final class TestClock implements InstantSource {

	/** Midnight: a start aligned to every bucket size. */
	static final Instant MIDNIGHT = Instant.parse("2026-01-01T00:00:00Z");

	private final AtomicLong millis;

	private TestClock(long millis) {
		this.millis = new AtomicLong(millis);
	}

	static TestClock atMidnight() {
		return new TestClock(MIDNIGHT.toEpochMilli());
	}

	@Override
	public Instant instant() {
		return Instant.ofEpochMilli(millis.get());
	}

	@Override
	public long millis() {
		return millis.get();
	}

	TestClock advance(Duration amount) {
		millis.addAndGet(amount.toMillis());
		return this;
	}

	TestClock rewind(Duration amount) {
		millis.addAndGet(-amount.toMillis());
		return this;
	}

	TestClock setTo(Instant instant) {
		millis.set(instant.toEpochMilli());
		return this;
	}

}

package dev.resilience.autoconfigure.idempotency;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A wall clock that moves only when told to, for stores that compare epoch times. */
final class MutableClock extends Clock {

	private final AtomicLong millis;

	MutableClock(long startMillis) {
		this.millis = new AtomicLong(startMillis);
	}

	static MutableClock startingNow() {
		return new MutableClock(System.currentTimeMillis());
	}

	void advance(Duration duration) {
		millis.addAndGet(duration.toMillis());
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException();
	}

	@Override
	public long millis() {
		return millis.get();
	}

	@Override
	public Instant instant() {
		return Instant.ofEpochMilli(millis());
	}

}

package dev.resilience.autoconfigure.slo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A wall clock that tests set and advance, and that counts its readings.
 */
final class MutableClock extends Clock {

	private final AtomicLong millis;

	private final AtomicLong readings = new AtomicLong();

	MutableClock(Instant start) {
		this.millis = new AtomicLong(start.toEpochMilli());
	}

	/** A clock at a round instant, so that tests know where buckets start. */
	static MutableClock atNoon() {
		return new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));
	}

	void advance(Duration duration) {
		this.millis.addAndGet(duration.toMillis());
	}

	long readings() {
		return this.readings.get();
	}

	@Override
	public long millis() {
		this.readings.incrementAndGet();
		return this.millis.get();
	}

	@Override
	public Instant instant() {
		return Instant.ofEpochMilli(millis());
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException();
	}

}

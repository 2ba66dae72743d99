package dev.resilience.core.circuitbreaker.internal;

/**
 * The mutable fields of a {@link CountSlidingWindow}, fenced off by padding.
 * <p>
 * Every recorded call does an atomic read-modify-write on {@link Hot#cursor}, so the cache
 * line holding it moves between the cores of the recording threads on every call. Anything
 * else on that line (the window's final fields, its ring's header, the breaker's state
 * reference, or whatever object the allocator or the garbage collector put next to it)
 * would be dragged along and missed in the other cores' caches: false sharing, which can make
 * the breaker's cost under two threads depend on where its objects happened to land.
 * <p>
 * The classes below put 128 bytes of unused {@code long}s before and after the hot fields
 * (two 64-byte lines each side: adjacent-line prefetchers fetch lines in pairs). HotSpot
 * lays a superclass's fields out before its subclass's, so the chain
 * {@code PadBefore, Hot, PadAfter, CountSlidingWindow} keeps the hot fields in the middle.
 * {@code @Contended} would do the same, but the JVM ignores it outside the JDK unless it runs
 * with {@code -XX:-RestrictContended}.
 * <p>
 * The cursor and the packed counts share their line on purpose: a call that changes the
 * counts writes both, and a call that does not only reads the counts right after its
 * write of the cursor brought the line to its core.
 */
final class CountWindowFields {

	private CountWindowFields() {
	}

	abstract static class PadBefore {

		long p00, p01, p02, p03, p04, p05, p06, p07;

		long p08, p09, p0a, p0b, p0c, p0d, p0e, p0f;

	}

	abstract static class Hot extends PadBefore {

		/** How many calls were ever recorded; the next slot is {@code cursor % size}. */
		volatile long cursor;

		/** The aggregate counts, packed as {@link CountSlidingWindow#pack} describes. */
		volatile long packedCounts;

	}

	abstract static class PadAfter extends Hot {

		long p10, p11, p12, p13, p14, p15, p16, p17;

		long p18, p19, p1a, p1b, p1c, p1d, p1e, p1f;

	}

}

package dev.resilience.core.circuitbreaker.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;

/**
 * The last {@code size} calls, lock-free.
 * <p>
 * Algorithm: a ring of {@code size} one-byte slots holding outcome codes ({@code 0} =
 * empty), a cursor, and the aggregate counts packed into one {@code long}. Recording
 * takes the next slot from the cursor ({@code getAndAdd}), swaps the new outcome into it
 * ({@code getAndSet}, which hands back the outcome it evicts), and adds
 * {@code contribution(new) - contribution(evicted)} to the aggregate in one
 * {@code getAndAdd}. Because every swap of a slot returns exactly the value the previous
 * swap stored, the deltas of one slot telescope to its current value: once writers
 * quiesce the aggregate equals the ring's contents exactly. While writers are in flight it
 * may lag the ring by their not-yet-added deltas, an error bounded by the number of
 * concurrent writers.
 * <p>
 * Two shortcuts leave out writes that change nothing. When the slot already holds the new
 * outcome (a success evicting a success, the common case), the swap is a volatile read of
 * the slot: a swap that would have returned that outcome and stored it again, so the
 * telescoping above is untouched. When the delta is zero, the aggregate is read instead of
 * added to: adding zero returns what a read returns. A closed breaker whose calls keep
 * succeeding thus writes only the cursor per call, instead of three contended locations.
 * <p>
 * Cost: O(1) per call (one to three atomic read-modify-writes, no allocation, no lock);
 * memory {@code size} bytes plus about 570 for fields, padding and headers (see
 * {@link CountWindowFields}), whatever the traffic.
 * <p>
 * Packing: calls, failed and slow each take 21 bits of the aggregate, read as signed
 * fields so that the transient negative value a lagging delta can produce decodes
 * correctly instead of borrowing from its neighbour. The window size is at most
 * {@link CircuitBreakerConfig#MAX_SLIDING_WINDOW_SIZE}, far below the 2^20 a field holds.
 */
public final class CountSlidingWindow extends CountWindowFields.PadAfter implements SlidingWindow {

	private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(byte[].class);

	private static final VarHandle CURSOR;

	private static final VarHandle PACKED_COUNTS;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			CURSOR = lookup.findVarHandle(CountWindowFields.Hot.class, "cursor", long.class);
			PACKED_COUNTS = lookup.findVarHandle(CountWindowFields.Hot.class, "packedCounts", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/**
	 * Unused bytes before and after the ring's slots: slot writes never touch the line
	 * holding the array's length, read by every bounds check, nor a neighbouring object.
	 */
	private static final int SLOT_PADDING = 128;

	private static final int FIELD_BITS = 21;

	/** Contribution of each outcome code to the packed aggregate, indexed by code. */
	private static final long[] CONTRIBUTION = new long[8];

	static {
		for (int code = 0; code < CONTRIBUTION.length; code++) {
			CONTRIBUTION[code] = pack(code & CALL, (code & FAILED) != 0 ? 1 : 0, (code & SLOW) != 0 ? 1 : 0);
		}
	}

	/** The ring, slot {@code i} at index {@code SLOT_PADDING + i}. */
	private final byte[] slots;

	private final int size;

	private final RateThresholds thresholds;

	/**
	 * @param size how many of the last calls the window holds
	 * @param thresholds when the window trips the breaker
	 */
	public CountSlidingWindow(int size, RateThresholds thresholds) {
		if (size < 1 || size > CircuitBreakerConfig.MAX_SLIDING_WINDOW_SIZE) {
			throw new IllegalArgumentException("size must be in [1, "
					+ CircuitBreakerConfig.MAX_SLIDING_WINDOW_SIZE + "] but was " + size);
		}
		this.slots = new byte[SLOT_PADDING + size + SLOT_PADDING];
		this.size = size;
		this.thresholds = thresholds;
	}

	@Override
	public boolean record(int outcome) {
		int index = SLOT_PADDING + (int) ((long) CURSOR.getAndAdd(this, 1L) % size);
		int evicted = (byte) SLOTS.getVolatile(slots, index);
		if (evicted != outcome) {
			// getAndSet, not a plain write: two writers a full lap apart may race for the same
			// slot, and each must subtract exactly the outcome it replaced.
			evicted = (byte) SLOTS.getAndSet(slots, index, (byte) outcome);
		}
		long delta = CONTRIBUTION[outcome] - CONTRIBUTION[evicted];
		long packed = (delta == 0) ? packedCounts : (long) PACKED_COUNTS.getAndAdd(this, delta) + delta;
		return thresholds.exceeded(calls(packed), failed(packed), slow(packed));
	}

	@Override
	public WindowCounts counts() {
		long packed = packedCounts;
		// A lagging delta can leave a field briefly negative; never report that.
		return new WindowCounts(Math.max(0, calls(packed)), Math.max(0, failed(packed)), Math.max(0, slow(packed)));
	}

	/**
	 * Counts the ring slot by slot instead of reading the aggregate: O(size), for tests
	 * and diagnostics that check the aggregate against what the ring holds.
	 * @return the counts of the outcomes in the ring
	 */
	public WindowCounts countSlots() {
		int calls = 0;
		int failed = 0;
		int slow = 0;
		for (int i = 0; i < size; i++) {
			int code = (byte) SLOTS.getVolatile(slots, SLOT_PADDING + i);
			calls += code & CALL;
			failed += (code & FAILED) != 0 ? 1 : 0;
			slow += (code & SLOW) != 0 ? 1 : 0;
		}
		return new WindowCounts(calls, failed, slow);
	}

	/**
	 * @return how many calls the window holds at most
	 */
	public int size() {
		return size;
	}

	static long pack(int calls, int failed, int slow) {
		return calls + ((long) failed << FIELD_BITS) + ((long) slow << (2 * FIELD_BITS));
	}

	static int calls(long packed) {
		return lowField(packed);
	}

	static int failed(long packed) {
		return lowField((packed - lowField(packed)) >> FIELD_BITS);
	}

	static int slow(long packed) {
		long rest = (packed - lowField(packed)) >> FIELD_BITS;
		return (int) ((rest - lowField(rest)) >> FIELD_BITS);
	}

	/** The lowest field, sign-extended; subtracting it before shifting undoes any borrow it caused. */
	private static int lowField(long packed) {
		return (int) ((packed << (64 - FIELD_BITS)) >> (64 - FIELD_BITS));
	}

}

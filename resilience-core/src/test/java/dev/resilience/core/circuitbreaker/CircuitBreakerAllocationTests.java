package dev.resilience.core.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.resilience.core.CheckedSupplier;
import dev.resilience.core.time.ManualTicker;

/**
 * The success path of a closed breaker is on every protected call: it must not allocate.
 */
class CircuitBreakerAllocationTests {

	private static final CheckedSupplier<String> CALL = () -> "ok";

	private static final int CALLS = 20_000;

	@ParameterizedTest
	@EnumSource(SlidingWindowType.class)
	void closedSuccessPathAllocatesNothingPerCall(SlidingWindowType type) throws Throwable {
		assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
				"needs per-thread allocation counters");
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
			.getThreadMXBean();
		assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
				"needs per-thread allocation counters");
		ManualTicker ticker = ManualTicker.create();
		CircuitBreaker breaker = CircuitBreaker.of("hot",
				CircuitBreakerConfig.builder().slidingWindowType(type).build(), ticker,
				CircuitBreakerListener.NOOP);
		runCalls(breaker, ticker);

		long before = threads.getCurrentThreadAllocatedBytes();
		runCalls(breaker, ticker);
		long allocated = threads.getCurrentThreadAllocatedBytes() - before;

		// A few hundred bytes of slack for the measurement itself; one object per call
		// would be at least 16 bytes times 40,000 calls.
		assertThat(allocated).as("bytes allocated by %d calls", 2 * CALLS).isLessThan(1_000);
		assertThat(breaker.metrics().bufferedCalls()).isPositive();
	}

	private static void runCalls(CircuitBreaker breaker, ManualTicker ticker) throws Throwable {
		for (int i = 0; i < CALLS; i++) {
			breaker.acquirePermission().onSuccess(1_000);
			breaker.execute(CALL);
			ticker.advance(1_000_000);
		}
	}

}

package dev.resilience.autoconfigure.slo;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.resilience.core.ExceptionClassifier;
import dev.resilience.core.slo.ErrorBudget;
import dev.resilience.core.slo.SloConfig;
import dev.resilience.core.time.ManualTicker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SloCallRecorderTests {

	private final ManualTicker ticker = ManualTicker.create();

	private final ErrorBudgetRegistry registry = ErrorBudgetRegistry.create(MutableClock.atNoon());

	private final ErrorBudget budget = this.registry.errorBudget("payments",
			SloConfig.builder().latencyThreshold(Duration.ofMillis(100)).build());

	@Test
	void aQuickReturnIsGoodAndASlowOneIsBad() {
		SloCallRecorder recorder = recorder(ExceptionClassifier.all());

		long start = recorder.start();
		this.ticker.advance(Duration.ofMillis(100));
		recorder.succeeded(start);
		start = recorder.start();
		this.ticker.advance(Duration.ofMillis(101));
		recorder.succeeded(start);

		assertThat(this.budget.report().events()).isEqualTo(2);
		assertThat(this.budget.report().badEvents()).isEqualTo(1);
	}

	@Test
	void anExceptionIsBadUnlessItsClassifierLetsItPass() {
		SloCallRecorder recorder = recorder(ExceptionClassifier.of(List.of(), List.of(IllegalArgumentException.class)));

		recorder.failed(recorder.start(), new IOException("down"));
		recorder.failed(recorder.start(), new IllegalArgumentException("bad input, a good event"));

		assertThat(this.budget.report().events()).isEqualTo(2);
		assertThat(this.budget.report().badEvents()).isEqualTo(1);
	}

	@Test
	void anExceptionLetThroughIsStillBadWhenSlow() {
		SloCallRecorder recorder = recorder(ExceptionClassifier.of(List.of(), List.of(IllegalArgumentException.class)));

		long start = recorder.start();
		this.ticker.advance(Duration.ofSeconds(1));
		recorder.failed(start, new IllegalArgumentException("slow"));

		assertThat(this.budget.report().badEvents()).isEqualTo(1);
	}

	@Test
	void recordsEveryBudgetWithItsOwnClassifier() {
		ErrorBudget strict = this.registry.errorBudget("strict", SloConfig.defaults());
		SloCallRecorder recorder = SloCallRecorder.of(List.of(this.budget, strict),
				List.of(ExceptionClassifier.of(List.of(), List.of(IOException.class)), ExceptionClassifier.all()),
				this.ticker);

		recorder.failed(recorder.start(), new IOException("down"));

		assertThat(this.budget.report().badEvents()).isZero();
		assertThat(strict.report().badEvents()).isEqualTo(1);
	}

	@Test
	void noneRecordsNothingAndReadsNoClock() {
		assertThat(SloCallRecorder.of(List.of(), List.of(), this.ticker)).isSameAs(SloCallRecorder.NONE);
		this.ticker.advance(Duration.ofSeconds(5));

		assertThat(SloCallRecorder.NONE.start()).isZero();
		SloCallRecorder.NONE.failed(0, new IOException());
		assertThat(SloCallRecorder.NONE.isRecording()).isFalse();
	}

	@Test
	void rejectsBudgetsAndClassifiersOfDifferentCounts() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SloCallRecorder.of(List.of(this.budget), List.of(), this.ticker))
			.withMessageContaining("one classifier per budget");
	}

	@Test
	void recordingACallAndCountingItsMeterAllocatesNothing() {
		java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		assumeTrue(threads instanceof com.sun.management.ThreadMXBean);
		com.sun.management.ThreadMXBean allocations = (com.sun.management.ThreadMXBean) threads;
		assumeTrue(allocations.isThreadAllocatedMemorySupported());
		ErrorBudgetRegistry onSystemClock = ErrorBudgetRegistry.create();
		// The meters count every event too: they must not allocate either.
		ErrorBudgetMeters.bind(new SimpleMeterRegistry(), onSystemClock, ErrorBudgetReports.ofProcess(onSystemClock),
				this.ticker);
		SloCallRecorder recorder = SloCallRecorder.of(
				List.of(onSystemClock.errorBudget("hot", SloConfig.defaults())), List.of(ExceptionClassifier.all()),
				this.ticker);
		IOException failure = new IOException("down");
		for (int i = 0; i < 20_000; i++) {
			recorder.succeeded(recorder.start());
			recorder.failed(recorder.start(), failure);
		}
		long threadId = Thread.currentThread().getId();
		long before = allocations.getThreadAllocatedBytes(threadId);
		for (int i = 0; i < 100_000; i++) {
			recorder.succeeded(recorder.start());
			recorder.failed(recorder.start(), failure);
		}
		long allocated = allocations.getThreadAllocatedBytes(threadId) - before;
		// Slack for the measurement itself; one object per call would be >= 3.2 MB.
		assertThat(allocated).isLessThan(10_000);
	}

	private SloCallRecorder recorder(ExceptionClassifier failures) {
		return SloCallRecorder.of(List.of(this.budget), List.of(failures), this.ticker);
	}

}

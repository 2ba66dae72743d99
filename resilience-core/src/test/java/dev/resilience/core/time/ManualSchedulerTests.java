package dev.resilience.core.time;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ManualSchedulerTests {

	private static final long MS = 1_000_000L;

	private final ManualTicker ticker = ManualTicker.create();

	private final ManualScheduler scheduler = ManualScheduler.on(ticker);

	private final List<String> ran = new ArrayList<>();

	@Test
	void nothingRunsUntilItsTimeIsReached() {
		scheduler.schedule(() -> ran.add("a"), 100 * MS);
		assertThat(scheduler.runDue()).isZero();
		assertThat(scheduler.advance(Duration.ofMillis(99))).isZero();
		assertThat(ran).isEmpty();
		assertThat(scheduler.pendingTasks()).isEqualTo(1);
		assertThat(scheduler.advance(Duration.ofMillis(1))).isEqualTo(1);
		assertThat(ran).containsExactly("a");
		assertThat(scheduler.pendingTasks()).isZero();
	}

	@Test
	void advanceRunsTasksInTimeOrderAtTheirOwnInstant() {
		List<Long> seenAt = new ArrayList<>();
		scheduler.schedule(() -> seenAt.add(ticker.read()), 30 * MS);
		scheduler.schedule(() -> seenAt.add(ticker.read()), 10 * MS);
		scheduler.schedule(() -> seenAt.add(ticker.read()), 20 * MS);
		assertThat(scheduler.advance(Duration.ofMillis(50))).isEqualTo(3);
		assertThat(seenAt).containsExactly(10 * MS, 20 * MS, 30 * MS);
		assertThat(ticker.read()).isEqualTo(50 * MS);
	}

	@Test
	void tasksDueAtTheSameInstantRunInTheOrderTheyWereScheduled() {
		scheduler.schedule(() -> ran.add("first"), 5 * MS);
		scheduler.schedule(() -> ran.add("second"), 5 * MS);
		scheduler.advance(Duration.ofMillis(5));
		assertThat(ran).containsExactly("first", "second");
	}

	@Test
	void aTaskScheduledByATaskRunsWithinTheSameAdvanceWhenItFallsInside() {
		scheduler.schedule(() -> {
			ran.add("outer");
			scheduler.schedule(() -> ran.add("inner"), 10 * MS);
			scheduler.schedule(() -> ran.add("later"), 100 * MS);
		}, 10 * MS);
		assertThat(scheduler.advance(Duration.ofMillis(50))).isEqualTo(2);
		assertThat(ran).containsExactly("outer", "inner");
		assertThat(scheduler.nextDue()).hasValue(110 * MS);
	}

	@Test
	void zeroAndNegativeDelaysAreDueAtOnceButStillWaitForRunDue() {
		scheduler.schedule(() -> ran.add("zero"), 0);
		scheduler.schedule(() -> ran.add("negative"), -5);
		assertThat(ran).isEmpty();
		assertThat(scheduler.runDue()).isEqualTo(2);
		assertThat(ran).containsExactly("zero", "negative");
	}

	@Test
	void cancelledTaskNeverRunsAndCancellingTwiceReportsFalse() {
		Scheduler.Cancellable task = scheduler.schedule(() -> ran.add("cancelled"), MS);
		assertThat(task.cancel()).isTrue();
		assertThat(task.cancel()).isFalse();
		scheduler.advance(Duration.ofSeconds(1));
		assertThat(ran).isEmpty();
		assertThat(scheduler.nextDue()).isEmpty();
	}

	@Test
	void cancellingATaskThatRanReportsFalse() {
		Scheduler.Cancellable task = scheduler.schedule(() -> ran.add("ran"), 0);
		scheduler.runDue();
		assertThat(task.cancel()).isFalse();
	}

	@Test
	void hugeDelaySaturatesInsteadOfWrappingIntoThePast() {
		ticker.advance(Duration.ofSeconds(1));
		scheduler.schedule(() -> ran.add("never"), Long.MAX_VALUE);
		assertThat(scheduler.runDue()).isZero();
		assertThat(scheduler.nextDue()).hasValue(Long.MAX_VALUE);
	}

	@Test
	void advanceRejectsANegativeAmount() {
		assertThatIllegalArgumentException().isThrownBy(() -> scheduler.advance(Duration.ofMillis(-1)))
			.withMessageContaining("amount must be >= 0");
	}

}

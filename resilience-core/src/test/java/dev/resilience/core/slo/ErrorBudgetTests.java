package dev.resilience.core.slo;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.within;

class ErrorBudgetTests {

	private static final double EPSILON = 1e-9;

	private final TestClock clock = TestClock.atMidnight();

	@Test
	void burnRateIsTheBadRatioOverTheAllowedRatio() {
		ErrorBudget budget = budget(SloConfig.ofObjective(99.9));
		budget.record(997, 3);

		ErrorBudgetReport report = budget.report();

		assertThat(report.burnRates()).containsOnlyKeys("5m", "30m", "1h", "2h", "6h", "1d", "3d");
		assertThat(report.burnRates().keySet()).containsExactly("5m", "30m", "1h", "2h", "6h", "1d", "3d");
		assertThat(report.burnRates().values()).allSatisfy(rate -> assertThat(rate).isCloseTo(3.0, within(EPSILON)));
		assertThat(report.events()).isEqualTo(1000);
		assertThat(report.badEvents()).isEqualTo(3);
		assertThat(report.budgetConsumed()).isCloseTo(3.0, within(EPSILON));
		assertThat(report.budgetRemaining()).isCloseTo(-2.0, within(EPSILON));
		assertThat(report.policy()).isEqualTo(ReleasePolicy.FREEZE);
	}

	@Test
	void consumesNothingAndBurnsNothingWithoutEvents() {
		ErrorBudgetReport report = budget(SloConfig.defaults()).report();

		assertThat(report.events()).isZero();
		assertThat(report.budgetConsumed()).isZero();
		assertThat(report.budgetRemaining()).isEqualTo(1.0);
		assertThat(report.burnRates().values()).containsOnly(0.0);
		assertThat(report.alerts()).noneMatch(BurnRateAlert::firing);
		assertThat(report.policy()).isEqualTo(ReleasePolicy.NORMAL);
		assertThat(report.objective()).isEqualTo(99.9);
		assertThat(report.window()).isEqualTo(Duration.ofDays(30));
	}

	@Test
	void thirtyDayStreamGivesExactBudgetAndBurnRates() {
		ErrorBudget budget = budget(SloConfig.ofObjective(99.9));
		// Fifteen days at a bad ratio of 0.02 % (burn 0.2), then fifteen at 0.05 % (burn 0.5).
		everyMinute(budget, 15 * 1440, 9998, 2);

		ErrorBudgetReport firstHalf = reportAtEndOfLastMinute(budget);
		assertThat(firstHalf.events()).isEqualTo(216_000_000L);
		assertThat(firstHalf.badEvents()).isEqualTo(43_200L);
		assertThat(firstHalf.budgetConsumed()).isCloseTo(0.2, within(EPSILON));
		assertThat(firstHalf.burnRates().values()).allSatisfy(rate -> assertThat(rate).isCloseTo(0.2, within(EPSILON)));

		everyMinute(budget, 60, 9995, 5);
		ErrorBudgetReport oneHourIn = reportAtEndOfLastMinute(budget);
		assertThat(oneHourIn.burnRate(BurnWindow.FIVE_MINUTES)).isCloseTo(0.5, within(EPSILON));
		assertThat(oneHourIn.burnRate(BurnWindow.THIRTY_MINUTES)).isCloseTo(0.5, within(EPSILON));
		assertThat(oneHourIn.burnRate(BurnWindow.ONE_HOUR)).isCloseTo(0.5, within(EPSILON));
		assertThat(oneHourIn.burnRate(BurnWindow.TWO_HOURS)).isCloseTo(burn(60 * 5 + 60 * 2, 120), within(EPSILON));
		assertThat(oneHourIn.burnRate(BurnWindow.SIX_HOURS)).isCloseTo(burn(60 * 5 + 300 * 2, 360), within(EPSILON));
		assertThat(oneHourIn.burnRate(BurnWindow.ONE_DAY)).isCloseTo(burn(60 * 5 + 1380 * 2, 1440), within(EPSILON));
		assertThat(oneHourIn.burnRate(BurnWindow.THREE_DAYS)).isCloseTo(burn(60 * 5 + 4260 * 2, 4320),
				within(EPSILON));
		assertThat(oneHourIn.budgetConsumed()).isCloseTo(43_500 / (0.001 * 216_600_000L), within(EPSILON));

		everyMinute(budget, 15 * 1440 - 60, 9995, 5);
		ErrorBudgetReport end = reportAtEndOfLastMinute(budget);
		assertThat(end.events()).isEqualTo(432_000_000L);
		assertThat(end.badEvents()).isEqualTo(151_200L);
		assertThat(end.budgetConsumed()).isCloseTo(0.35, within(EPSILON));
		assertThat(end.budgetRemaining()).isCloseTo(0.65, within(EPSILON));
		assertThat(end.burnRates().values()).allSatisfy(rate -> assertThat(rate).isCloseTo(0.5, within(EPSILON)));
		assertThat(end.alerts()).noneMatch(BurnRateAlert::firing);
		assertThat(end.policy()).isEqualTo(ReleasePolicy.NORMAL);
	}

	@Test
	void dropsEventsOnceTheyLeaveEachWindow() {
		ErrorBudget budget = budget(SloConfig.ofObjective(99.9));
		everyMinute(budget, 30 * 1440, 9998, 2);

		clock.advance(Duration.ofDays(1));
		ErrorBudgetReport dayLater = reportAtEndOfLastMinute(budget);

		assertThat(dayLater.events()).isEqualTo(29 * 1440 * 10_000L);
		assertThat(dayLater.badEvents()).isEqualTo(29 * 1440 * 2L);
		assertThat(dayLater.budgetConsumed()).isCloseTo(0.2, within(EPSILON));
		assertThat(dayLater.burnRate(BurnWindow.ONE_DAY)).isZero();
		assertThat(dayLater.burnRate(BurnWindow.FIVE_MINUTES)).isZero();
		assertThat(dayLater.burnRate(BurnWindow.THREE_DAYS)).isCloseTo(0.2, within(EPSILON));

		clock.advance(Duration.ofDays(29));
		assertThat(budget.report().events()).isZero();
	}

	@Test
	void countsAnEventUntilItsBucketLeavesTheWindow() {
		ErrorBudget budget = budget(SloConfig.ofObjective(99.9));
		budget.record(false);

		clock.advance(Duration.ofMinutes(5).minusMillis(1));
		assertThat(budget.report().burnRate(BurnWindow.FIVE_MINUTES)).isPositive();
		clock.advance(Duration.ofMillis(1));
		assertThat(budget.report().burnRate(BurnWindow.FIVE_MINUTES)).isZero();
		assertThat(budget.report().burnRate(BurnWindow.THIRTY_MINUTES)).isPositive();

		clock.setTo(TestClock.MIDNIGHT.plus(Duration.ofDays(30)).minusMillis(1));
		assertThat(budget.report().badEvents()).isEqualTo(1);
		clock.advance(Duration.ofMillis(1));
		assertThat(budget.report().badEvents()).isZero();
	}

	@Test
	void leavesAWindowWithItsBucketAtMostOneBucketEarly() {
		ErrorBudget budget = budget(SloConfig.ofObjective(99.9));
		clock.advance(Duration.ofSeconds(10).minusMillis(1));
		budget.record(false);

		// Only 290.001 s later, but the event's 10 s bucket is now the 31st newest.
		clock.setTo(TestClock.MIDNIGHT.plus(Duration.ofMinutes(5)));

		assertThat(budget.report().burnRate(BurnWindow.FIVE_MINUTES)).isZero();
	}

	@Test
	void pageFiresDuringASpikeAndClearsSoonAfterIt() {
		ErrorBudget budget = budget(SloConfig.ofObjective(99.9));
		everyMinute(budget, 1440, 9995, 5);

		everyMinute(budget, 40, 9800, 200);
		ErrorBudgetReport fortyMinutes = reportAtEndOfLastMinute(budget);
		assertThat(fortyMinutes.burnRate(BurnWindow.FIVE_MINUTES)).isCloseTo(20, within(EPSILON));
		assertThat(fortyMinutes.burnRate(BurnWindow.ONE_HOUR)).isCloseTo(13.5, within(EPSILON));
		assertThat(fastPage(fortyMinutes).firing()).isFalse();

		everyMinute(budget, 5, 9800, 200);
		assertThat(reportAtEndOfLastMinute(budget).burnRate(BurnWindow.ONE_HOUR)).isCloseTo(15.125, within(EPSILON));
		assertThat(fastPage(reportAtEndOfLastMinute(budget)).firing()).isTrue();

		everyMinute(budget, 15, 9800, 200);
		everyMinute(budget, 1, 9995, 5);
		assertThat(fastPage(reportAtEndOfLastMinute(budget)).firing()).isTrue();

		everyMinute(budget, 1, 9995, 5);
		ErrorBudgetReport after = reportAtEndOfLastMinute(budget);
		assertThat(after.burnRate(BurnWindow.ONE_HOUR)).isGreaterThan(14.4);
		assertThat(after.burnRate(BurnWindow.FIVE_MINUTES)).isCloseTo(12.2, within(EPSILON));
		assertThat(fastPage(after).firing()).isFalse();
	}

	@Test
	void policyFollowsTheBudgetConsumedBothWays() {
		// 1000 events an hour over a 3-day window: 72,000 events, 720 of them may be bad.
		ErrorBudget budget = budget(SloConfig.builder().objective(99).window(Duration.ofDays(3)).build());
		Map<Integer, ReleasePolicy> policyAtHour = new HashMap<>();
		for (int hour = 0; hour < 148; hour++) {
			long bad = Map.of(72, 350L, 73, 10L, 74, 359L, 75, 1L).getOrDefault(hour, 0L);
			budget.record(1000 - bad, bad);
			policyAtHour.put(hour, budget.report().policy());
			clock.advance(Duration.ofHours(1));
		}

		assertThat(policyAtHour.get(71)).isEqualTo(ReleasePolicy.NORMAL);
		// 350 of 720: below 50 %
		assertThat(policyAtHour.get(72)).isEqualTo(ReleasePolicy.NORMAL);
		// 360 of 720: exactly slowDownAt
		assertThat(policyAtHour.get(73)).isEqualTo(ReleasePolicy.SLOW_DOWN);
		assertThat(policyAtHour.get(74)).isEqualTo(ReleasePolicy.SLOW_DOWN);
		// 720 of 720: exactly freezeAt
		assertThat(policyAtHour.get(75)).isEqualTo(ReleasePolicy.FREEZE);
		assertThat(policyAtHour.get(143)).isEqualTo(ReleasePolicy.FREEZE);
		// hour 72 has left the window: 370 of 720
		assertThat(policyAtHour.get(144)).isEqualTo(ReleasePolicy.SLOW_DOWN);
		assertThat(policyAtHour.get(145)).isEqualTo(ReleasePolicy.SLOW_DOWN);
		assertThat(policyAtHour.get(146)).isEqualTo(ReleasePolicy.NORMAL);
		assertThat(policyAtHour.get(147)).isEqualTo(ReleasePolicy.NORMAL);
	}

	@Test
	void scalesAlertThresholdsToTheSloWindow() {
		ErrorBudget week = budget(SloConfig.builder().objective(99.9).window(Duration.ofDays(7)).build());
		ErrorBudget month = budget(SloConfig.ofObjective(99.9));
		for (int minute = 0; minute < 120; minute++) {
			// a bad ratio of 0.4 %: burn 4 everywhere
			week.record(9960, 40);
			month.record(9960, 40);
			clock.advance(Duration.ofMinutes(1));
		}
		clock.rewind(Duration.ofMillis(1));

		ErrorBudgetReport weekly = week.report();
		assertThat(weekly.alerts()).extracting(BurnRateAlert::burnRateThreshold)
			.satisfiesExactly(rate -> assertThat(rate).isCloseTo(3.36, within(EPSILON)),
					rate -> assertThat(rate).isCloseTo(1.4, within(EPSILON)),
					rate -> assertThat(rate).isCloseTo(0.7, within(EPSILON)),
					rate -> assertThat(rate).isCloseTo(7 / 30.0, within(EPSILON)));
		assertThat(weekly.alerts()).allMatch(BurnRateAlert::firing);

		ErrorBudgetReport monthly = month.report();
		assertThat(monthly.alerts()).extracting(BurnRateAlert::burnRateThreshold).containsExactly(14.4, 6.0, 3.0, 1.0);
		assertThat(monthly.alerts()).extracting(BurnRateAlert::firing).containsExactly(false, false, true, true);
		assertThat(monthly.alerts()).extracting(BurnRateAlert::severity)
			.containsExactly(AlertSeverity.PAGE, AlertSeverity.PAGE, AlertSeverity.TICKET, AlertSeverity.TICKET);
		assertThat(monthly.alerts()).extracting(BurnRateAlert::longWindow)
			.containsExactly(BurnWindow.ONE_HOUR, BurnWindow.SIX_HOURS, BurnWindow.ONE_DAY, BurnWindow.THREE_DAYS);
		assertThat(monthly.alerts()).extracting(BurnRateAlert::shortWindow)
			.containsExactly(BurnWindow.FIVE_MINUTES, BurnWindow.THIRTY_MINUTES, BurnWindow.TWO_HOURS,
					BurnWindow.SIX_HOURS);
	}

	@Test
	void alertNeedsABurnStrictlyAboveItsThreshold() {
		ErrorBudget budget = budget(SloConfig.ofObjective(99.9));
		budget.record(999, 1);

		ErrorBudgetReport report = budget.report();

		// 0.1 % bad at objective 99.9: exactly 1, the slow ticket's threshold, in every window
		assertThat(report.burnRates().values()).containsOnly(1.0);
		assertThat(report.alerts().get(3).burnRateThreshold()).isEqualTo(1.0);
		assertThat(report.alerts()).noneMatch(BurnRateAlert::firing);

		budget.record(0, 1);
		assertThat(budget.report().alerts().get(3).firing()).isTrue();
	}

	@Test
	void latencyThresholdMakesSlowCallsBad() {
		ErrorBudget budget = budget(SloConfig.builder().latencyThreshold(Duration.ofMillis(200)).build());
		budget.recordCall(Duration.ofMillis(200).toNanos(), false);
		budget.recordCall(Duration.ofMillis(200).toNanos() + 1, false);
		budget.recordCall(Duration.ofMillis(1).toNanos(), true);

		assertThat(budget.report().events()).isEqualTo(3);
		assertThat(budget.report().badEvents()).isEqualTo(2);
	}

	@Test
	void withoutLatencyThresholdOnlyFailuresAreBad() {
		ErrorBudget budget = budget(SloConfig.defaults());
		budget.recordCall(Duration.ofHours(1).toNanos(), false);
		budget.recordCall(1, true);

		assertThat(budget.report().badEvents()).isEqualTo(1);
		assertThat(budget.report().events()).isEqualTo(2);
	}

	@Test
	void countsTakeAtMost64KiBWhateverTheWindowAndTraffic() {
		ErrorBudget longest = budget(SloConfig.builder().window(SloConfig.MAX_WINDOW).build());
		// 360 ten-second slots, 360 one-minute slots and one one-hour slot per hour of window
		assertThat(longest.countingBytes()).isEqualTo((360 + 360 + 2400) * 16L).isLessThanOrEqualTo(64 * 1024);
		assertThat(budget(SloConfig.defaults()).countingBytes()).isEqualTo((360 + 360 + 720) * 16L);

		for (int i = 0; i < 20_000; i++) {
			clock.advance(Duration.ofSeconds(7));
			longest.record(i % 3 != 0);
		}
		BucketSnapshot snapshot = longest.snapshot();
		assertThat(snapshot.series()).extracting(BucketSeries::bucketSize)
			.containsExactly(Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofHours(1));
		assertThat(snapshot.series()).extracting(series -> series.buckets().size()).containsExactly(360, 360, 39);
	}

	@Test
	void listenerHearsEveryRecordingAndCannotBreakIt() {
		AtomicLong good = new AtomicLong();
		AtomicLong bad = new AtomicLong();
		ErrorBudget counted = ErrorBudget.create("payments", SloConfig.defaults(), clock, new ErrorBudgetListener() {
			@Override
			public void onRecorded(String name, long goodEvents, long badEvents) {
				good.addAndGet(goodEvents);
				bad.addAndGet(badEvents);
			}
		});
		counted.record(true);
		counted.recordCall(1, true);
		counted.record(5, 7);
		assertThat(good).hasValue(6);
		assertThat(bad).hasValue(8);

		ErrorBudget faulty = ErrorBudget.create("payments", SloConfig.defaults(), clock, new ErrorBudgetListener() {
			@Override
			public void onRecorded(String name, long goodEvents, long badEvents) {
				throw new IllegalStateException("listener bug");
			}
		});
		assertThatNoException().isThrownBy(() -> faulty.record(false));
		assertThat(faulty.report().badEvents()).isEqualTo(1);
	}

	private ErrorBudget budget(SloConfig config) {
		return ErrorBudget.create("payments", config, clock, ErrorBudgetListener.NOOP);
	}

	/** Records at the start of each of the next minutes; leaves the clock at the start of the minute after. */
	private void everyMinute(ErrorBudget budget, int minutes, long good, long bad) {
		for (int i = 0; i < minutes; i++) {
			budget.record(good, bad);
			clock.advance(Duration.ofMinutes(1));
		}
	}

	/** The report at the last millisecond of the minute just recorded: each window then holds whole buckets. */
	private ErrorBudgetReport reportAtEndOfLastMinute(ErrorBudget budget) {
		clock.rewind(Duration.ofMillis(1));
		try {
			return budget.report();
		}
		finally {
			clock.advance(Duration.ofMillis(1));
		}
	}

	/** Burn rate at objective 99.9 of minutes of 10,000 events. */
	private static double burn(long badEvents, long minutes) {
		return badEvents / (minutes * 10_000.0) / 0.001;
	}

	private static BurnRateAlert fastPage(ErrorBudgetReport report) {
		return report.alerts().get(0);
	}

}

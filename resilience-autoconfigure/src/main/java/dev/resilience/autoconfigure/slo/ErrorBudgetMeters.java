package dev.resilience.autoconfigure.slo;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.resilience.autoconfigure.metrics.ResilienceMeterNames;
import dev.resilience.core.slo.BurnWindow;
import dev.resilience.core.slo.ErrorBudget;
import dev.resilience.core.slo.ErrorBudgetListener;
import dev.resilience.core.time.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Publishes the error budgets as Micrometer meters:
 * <ul>
 * <li>{@code resilience.slo.events} (counter; tags {@code name}, {@code outcome} =
 * {@code good} or {@code bad}): this process's events, registered with both outcomes as
 * soon as a budget exists, so that a rate over them is defined before the first bad
 * event;</li>
 * <li>{@code resilience.slo.budget.remaining} (gauge; {@code name}) and
 * {@code resilience.slo.burn.rate} (gauge; {@code name}, {@code window}): the same numbers
 * as the endpoint, hence the fleet's when the budgets are shared. One scrape reads the
 * eight gauges of a budget, and one report serves them all: a report is reused for up to
 * {@value #REPORT_REUSE_MILLIS} ms.</li>
 * </ul>
 */
public final class ErrorBudgetMeters {

	static final long REPORT_REUSE_MILLIS = 1000;

	private static final String GOOD = "good";

	private static final String BAD = "bad";

	private final MeterRegistry meterRegistry;

	private final ReportCache reports;

	/** Per budget name: the good and the bad counter. */
	private final ConcurrentMap<String, Counter[]> counters = new ConcurrentHashMap<>();

	private ErrorBudgetMeters(MeterRegistry meterRegistry, ErrorBudgetReports reports, Ticker ticker) {
		this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry must not be null");
		this.reports = new ReportCache(reports, ticker, Duration.ofMillis(REPORT_REUSE_MILLIS));
	}

	/**
	 * Registers the meters of every budget of {@code registry}, present and future, and
	 * counts their events.
	 * @param meterRegistry where to register the meters
	 * @param registry the budgets
	 * @param reports what the gauges report
	 * @param ticker measures how old a report is
	 * @return the meters
	 */
	public static ErrorBudgetMeters bind(MeterRegistry meterRegistry, ErrorBudgetRegistry registry,
			ErrorBudgetReports reports, Ticker ticker) {
		ErrorBudgetMeters meters = new ErrorBudgetMeters(meterRegistry, reports, ticker);
		// Not a listener bean itself: the registry takes every listener bean, and this one needs the registry.
		registry.addListener(new ErrorBudgetListener() {

			@Override
			public void onRecorded(String name, long goodEvents, long badEvents) {
				meters.count(name, goodEvents, badEvents);
			}

		});
		registry.forEachAndWhenAdded(meters::register);
		return meters;
	}

	private void count(String name, long goodEvents, long badEvents) {
		Counter[] pair = this.counters.get(name);
		if (pair == null) {
			pair = this.counters.computeIfAbsent(name, this::counters);
		}
		if (goodEvents > 0) {
			pair[0].increment(goodEvents);
		}
		if (badEvents > 0) {
			pair[1].increment(badEvents);
		}
	}

	private void register(ErrorBudget budget) {
		String name = budget.name();
		this.counters.computeIfAbsent(name, this::counters);
		Gauge.builder(ResilienceMeterNames.SLO_BUDGET_REMAINING, this.reports,
				(cache) -> cache.get(name).budgetRemaining())
			.description("Share of the error budget left over the objective's window; negative when overspent")
			.tag(ResilienceMeterNames.TAG_NAME, name)
			.strongReference(true)
			.register(this.meterRegistry);
		for (BurnWindow window : BurnWindow.values()) {
			Gauge.builder(ResilienceMeterNames.SLO_BURN_RATE, this.reports, (cache) -> cache.get(name).burnRate(window))
				.description("How fast the error budget burns over the window: 1 spends it exactly over the "
						+ "objective's window")
				.tag(ResilienceMeterNames.TAG_NAME, name)
				.tag(ResilienceMeterNames.TAG_WINDOW, window.label())
				.strongReference(true)
				.register(this.meterRegistry);
		}
	}

	private Counter[] counters(String name) {
		return new Counter[] { counter(name, GOOD), counter(name, BAD) };
	}

	private Counter counter(String name, String outcome) {
		return Counter.builder(ResilienceMeterNames.SLO_EVENTS)
			.description("Events of the service level objective, by outcome")
			.tag(ResilienceMeterNames.TAG_NAME, name)
			.tag(ResilienceMeterNames.TAG_OUTCOME, outcome)
			.register(this.meterRegistry);
	}

}

package dev.resilience.autoconfigure.slo;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.resilience.core.slo.ErrorBudgetReport;
import dev.resilience.core.time.Ticker;

/**
 * Reuses a budget's report for a short while, so that the gauges read in one scrape share
 * one report (and, for the fleet, one read of the store) instead of computing one each.
 */
final class ReportCache {

	private final ErrorBudgetReports reports;

	private final Ticker ticker;

	private final long maxAgeNanos;

	private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

	ReportCache(ErrorBudgetReports reports, Ticker ticker, Duration maxAge) {
		this.reports = reports;
		this.ticker = ticker;
		this.maxAgeNanos = maxAge.toNanos();
	}

	/**
	 * @param name a budget's name
	 * @return its report, at most the maximum age old
	 */
	ErrorBudgetReport get(String name) {
		long now = this.ticker.read();
		Entry entry = this.entries.get(name);
		if (entry != null && now - entry.computedAt < this.maxAgeNanos) {
			return entry.report;
		}
		// Race: two scrapes may both compute; either report is current, the last one stays.
		// Budgets are never removed, so a gauge only asks for names that exist.
		ErrorBudgetReport report = this.reports.report(name).orElseThrow().report();
		this.entries.put(name, new Entry(now, report));
		return report;
	}

	private record Entry(long computedAt, ErrorBudgetReport report) {
	}

}

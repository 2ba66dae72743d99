package dev.resilience.autoconfigure.slo;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.core.slo.ErrorBudget;
import dev.resilience.core.slo.ErrorBudgetReport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sharing through a store, with a store in a map standing for the database: the fleet's
 * report sums the instances, a restart keeps the budget, and an unreachable store falls
 * back to the process's own counts.
 */
class SharedErrorBudgetTests {

	private final MutableClock clock = MutableClock.atNoon();

	private final MapErrorBudgetStore store = new MapErrorBudgetStore();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class, ErrorBudgetAutoConfiguration.class))
		.withBean(MutableClock.class, () -> this.clock)
		.withBean(MapErrorBudgetStore.class, () -> this.store)
		.withPropertyValues("resilience.instances.payments.slo.objective=99");

	@Test
	void everyInstanceReportsTheSumOfAll() {
		this.runner.run((first) -> this.runner.run((second) -> {
			record(first, 90, 10);
			record(second, 45, 5);

			assertThat(report(first).events()).as("the other has not written yet").isEqualTo(100);
			fleet(first).flush();
			fleet(second).flush();

			for (AssertableApplicationContext context : new AssertableApplicationContext[] { first, second }) {
				ScopedErrorBudgetReport scoped = reports(context).report("payments").orElseThrow();
				assertThat(scoped.scope()).isEqualTo(ErrorBudgetScope.FLEET);
				assertThat(scoped.report().events()).isEqualTo(150);
				assertThat(scoped.report().badEvents()).isEqualTo(15);
			}
		}));
	}

	@Test
	void theLiveCountsOfTheReaderAreNotCountedTwice() {
		this.runner.run((context) -> {
			record(context, 10, 0);
			fleet(context).flush();
			record(context, 10, 0);

			assertThat(report(context).events()).isEqualTo(20);
		});
	}

	@Test
	void aRestartedInstanceCarriesOnFromWhatItWroteAtShutdown() {
		String[] firstId = new String[1];
		this.runner.run((context) -> {
			firstId[0] = fleet(context).instanceId();
			record(context, 80, 20);
		});

		this.runner.run((restarted) -> {
			assertThat(fleet(restarted).instanceId()).isNotEqualTo(firstId[0]);
			assertThat(report(restarted).events()).isEqualTo(100);
			assertThat(report(restarted).badEvents()).isEqualTo(20);
			record(restarted, 100, 0);
			assertThat(report(restarted).events()).isEqualTo(200);
			assertThat(budget(restarted).report().events()).as("the process's own count").isEqualTo(100);
		});
		assertThat(this.store.instances("payments")).hasSize(2);
	}

	@Test
	void aWriteSkipsBucketsThatEndedBeforeThePreviousWrite() {
		this.runner.run((context) -> {
			record(context, 1, 0);
			fleet(context).flush();
			this.clock.advance(Duration.ofHours(2));
			// The buckets the previous write saw could have changed until they ended.
			fleet(context).flush();
			int saves = this.store.saves.get();

			fleet(context).flush();
			assertThat(this.store.saves).as("nothing changed").hasValue(saves);

			record(context, 1, 0);
			fleet(context).flush();
			assertThat(this.store.saves).hasValue(saves + 1);
		});
	}

	@Test
	void anUnreachableStoreFallsBackToTheProcessAndCatchesUpLater() {
		this.runner.run((context) -> {
			record(context, 9, 1);
			this.store.unreachable = true;

			assertThat(fleet(context).flush()).isFalse();
			ScopedErrorBudgetReport scoped = reports(context).report("payments").orElseThrow();
			assertThat(scoped.scope()).isEqualTo(ErrorBudgetScope.PROCESS);
			assertThat(scoped.report().events()).isEqualTo(10);

			this.store.unreachable = false;
			assertThat(fleet(context).flush()).isTrue();
			assertThat(this.store.load("payments", "someone else", this.clock.instant()).series())
				.allSatisfy((series) -> assertThat(series.buckets()).singleElement()
					.satisfies((bucket) -> assertThat(bucket.events()).isEqualTo(10)));
		});
	}

	@Test
	void aStoreThrowingAnErrorFailsThatBudgetsWriteOnly() {
		this.runner.withPropertyValues("resilience.instances.orders.slo.objective=99").run((context) -> {
			record(context, 9, 1);
			context.getBean(ErrorBudgetRegistry.class).find("orders").orElseThrow().record(5, 0);
			this.store.brokenFor = "payments";

			assertThat(fleet(context).flush()).isFalse();
			assertThat(this.store.instances("payments")).isEmpty();
			assertThat(this.store.instances("orders")).hasSize(1);

			this.store.brokenFor = null;
			assertThat(fleet(context).flush()).isTrue();
			assertThat(this.store.instances("payments")).hasSize(1);
		});
	}

	@Test
	void theFleetStopsAfterTheWebServerAndBeforeConnectionFactories() {
		this.runner.run((context) -> {
			assertThat(fleet(context).isRunning()).isTrue();
			assertThat(fleet(context).getPhase()).isLessThan(Integer.MAX_VALUE - 2048).isGreaterThan(0);
		});
	}

	private static void record(AssertableApplicationContext context, long good, long bad) {
		budget(context).record(good, bad);
	}

	private static ErrorBudget budget(AssertableApplicationContext context) {
		return context.getBean(ErrorBudgetRegistry.class).find("payments").orElseThrow();
	}

	private static ErrorBudgetReport report(AssertableApplicationContext context) {
		return reports(context).report("payments").orElseThrow().report();
	}

	private static ErrorBudgetReports reports(AssertableApplicationContext context) {
		return context.getBean(ErrorBudgetReports.class);
	}

	private static ErrorBudgetFleet fleet(AssertableApplicationContext context) {
		return context.getBean(ErrorBudgetFleet.class);
	}

}

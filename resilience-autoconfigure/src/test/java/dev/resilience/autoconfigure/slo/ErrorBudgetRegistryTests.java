package dev.resilience.autoconfigure.slo;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.resilience.core.slo.ErrorBudget;
import dev.resilience.core.slo.ErrorBudgetListener;
import dev.resilience.core.slo.SloConfig;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorBudgetRegistryTests {

	private final MutableClock clock = MutableClock.atNoon();

	private final ErrorBudgetRegistry registry = ErrorBudgetRegistry.create(this.clock);

	@Test
	void createsABudgetOnceAndKeepsItsFirstConfiguration() {
		ErrorBudget first = this.registry.errorBudget("payments", SloConfig.ofObjective(99));
		ErrorBudget second = this.registry.errorBudget("payments", SloConfig.ofObjective(95));

		assertThat(second).isSameAs(first);
		assertThat(second.config().objective()).isEqualTo(99);
		assertThat(this.registry.find("payments")).containsSame(first);
		assertThat(this.registry.find("orders")).isEmpty();
	}

	@Test
	void listsBudgetsSortedByName() {
		this.registry.errorBudget("payments", SloConfig.defaults());
		this.registry.errorBudget("inventory", SloConfig.defaults());

		assertThat(this.registry.errorBudgets()).extracting(ErrorBudget::name).containsExactly("inventory", "payments");
	}

	@Test
	void budgetsCountOnTheRegistryClock() {
		ErrorBudget budget = this.registry.errorBudget("payments", SloConfig.defaults());
		budget.record(false);

		assertThat(budget.snapshot().series().get(0).buckets().get(0).startEpochMillis())
			.isEqualTo(this.clock.instant().toEpochMilli());
	}

	@Test
	void listenersHearBudgetsCreatedBeforeAndAfterThem() {
		ErrorBudget before = this.registry.errorBudget("before", SloConfig.defaults());
		List<String> heard = new ArrayList<>();
		this.registry.addListener(new ErrorBudgetListener() {
			@Override
			public void onRecorded(String name, long goodEvents, long badEvents) {
				heard.add(name + ":" + goodEvents + ":" + badEvents);
			}
		});
		ErrorBudget after = this.registry.errorBudget("after", SloConfig.defaults());

		before.record(true);
		after.record(false);

		assertThat(heard).containsExactly("before:1:0", "after:0:1");
	}

	@Test
	void aFailingListenerKeepsNeitherTheRecordingNorTheOthersFromTheirEvents() {
		List<String> heard = new ArrayList<>();
		this.registry.addListener(new ErrorBudgetListener() {
			@Override
			public void onRecorded(String name, long goodEvents, long badEvents) {
				throw new IllegalStateException("broken listener");
			}
		});
		this.registry.addListener(new ErrorBudgetListener() {
			@Override
			public void onRecorded(String name, long goodEvents, long badEvents) {
				heard.add(name);
			}
		});
		ErrorBudget budget = this.registry.errorBudget("payments", SloConfig.defaults());

		budget.record(false);

		assertThat(heard).containsExactly("payments");
		assertThat(budget.report().badEvents()).isEqualTo(1);
	}

	@Test
	void forEachAndWhenAddedSeesExistingAndLaterBudgets() {
		this.registry.errorBudget("existing", SloConfig.defaults());
		List<String> seen = new ArrayList<>();

		this.registry.forEachAndWhenAdded((budget) -> seen.add(budget.name()));
		this.registry.errorBudget("later", SloConfig.defaults());
		this.registry.errorBudget("later", SloConfig.defaults());

		assertThat(seen).containsExactly("existing", "later");
	}

}

package dev.resilience.autoconfigure.aop;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.time.ManualScheduler;
import dev.resilience.core.time.ManualTicker;
import dev.resilience.core.time.Scheduler;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where asynchronous retries are scheduled: on the application's {@link Scheduler} bean if
 * it has one, else on the shared system scheduler (with virtual threads enabled, on Java
 * 21 and later, a virtual-thread one: see {@link VirtualThreadsTests}).
 */
class SchedulerConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class));

	@Test
	void registryUsesTheApplicationsScheduler() {
		ManualScheduler scheduler = ManualScheduler.on(ManualTicker.create());
		runner.withBean(Scheduler.class, () -> scheduler).run((context) -> {
			assertThat(context).hasSingleBean(Scheduler.class);
			assertThat(context.getBean(ResilienceRegistry.class).scheduler()).isSameAs(scheduler);
		});
	}

	@Test
	void registryUsesTheSystemSchedulerWhenThereIsNone() {
		runner.run((context) -> {
			assertThat(context).doesNotHaveBean(Scheduler.class);
			assertThat(context.getBean(ResilienceRegistry.class).scheduler()).isSameAs(Scheduler.system());
		});
	}

}

package dev.resilience.autoconfigure.aop;

import java.util.function.Consumer;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.time.ManualScheduler;
import dev.resilience.core.time.ManualTicker;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application context with the annotations applied to one {@link AsyncMethods} bean, on
 * a manual ticker and scheduler, and what a test needs from it. Instance "backend": 3
 * attempts with 100 ms then 200 ms of backoff ({@code IllegalStateException} not retried), a
 * breaker opening after 2 calls at 50 % failures for 10 s with 1 half-open probe, a
 * bulkhead of 1.
 */
final class AsyncFixture {

	static final String[] PROPERTIES = { "resilience.defaults.retry.max-attempts=3",
			"resilience.defaults.retry.initial-backoff=100ms", "resilience.defaults.retry.multiplier=2",
			"resilience.defaults.retry.jitter=none", "resilience.defaults.retry.ignore=java.lang.IllegalStateException",
			"resilience.defaults.retry.budget.enabled=false", "resilience.defaults.circuit-breaker.sliding-window-size=2",
			"resilience.defaults.circuit-breaker.minimum-calls=2",
			"resilience.defaults.circuit-breaker.failure-rate-threshold=50",
			"resilience.defaults.circuit-breaker.open-duration=10s",
			"resilience.defaults.circuit-breaker.half-open-calls=1",
			"resilience.defaults.bulkhead.max-concurrent-calls=1" };

	final AsyncType type;

	final AsyncMethods service;

	final Dependency dependency;

	final ManualScheduler scheduler;

	final ResilienceRegistry registry;

	private AsyncFixture(AsyncType type, AssertableApplicationContext context, Class<? extends AsyncMethods> service) {
		this.type = type;
		this.service = context.getBean(service);
		this.dependency = context.getBean(Dependency.class);
		this.scheduler = context.getBean(ManualScheduler.class);
		this.registry = context.getBean(ResilienceRegistry.class);
	}

	/**
	 * Runs a test against a fresh context, then checks that nothing is left waiting on the
	 * scheduler.
	 * @param type the asynchronous type under test
	 * @param service the bean class whose methods are called
	 * @param test the test
	 */
	static void run(AsyncType type, Class<? extends AsyncMethods> service, Consumer<AsyncFixture> test) {
		run(type, service, new String[0], test);
	}

	/**
	 * Runs a test against a fresh context with more properties, then checks that nothing is
	 * left waiting on the scheduler.
	 * @param type the asynchronous type under test
	 * @param service the bean class whose methods are called
	 * @param properties added to (and overriding) the fixture's
	 * @param test the test
	 */
	static void run(AsyncType type, Class<? extends AsyncMethods> service, String[] properties,
			Consumer<AsyncFixture> test) {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(ResilienceAutoConfiguration.class, ResilienceAopAutoConfiguration.class))
			.withUserConfiguration(TimeConfiguration.class)
			.withBean(service)
			.withPropertyValues(PROPERTIES)
			.withPropertyValues(properties)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				AsyncFixture fixture = new AsyncFixture(type, context, service);
				test.accept(fixture);
				assertThat(fixture.scheduler.pendingTasks()).as("tasks left waiting").isZero();
			});
	}

	AsyncType.Call call() {
		return type.call(service);
	}

	@Configuration(proxyBeanMethods = false)
	static class TimeConfiguration {

		@Bean
		ManualTicker manualTicker() {
			return ManualTicker.create();
		}

		@Bean
		ManualScheduler manualScheduler(ManualTicker ticker) {
			return ManualScheduler.on(ticker);
		}

		@Bean
		Dependency dependency() {
			return new Dependency();
		}

	}

}

package dev.resilience.autoconfigure.task;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.resilience.annotation.Retryable;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.aop.ResilienceAopAutoConfiguration;
import dev.resilience.core.retry.RetryContext;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Nested {@code @Retryable} methods of three beans calling each other through real Spring
 * proxies, on one thread and across {@code @Async}.
 */
class NestedRetryableTests {

	private static final String[] NO_WAITS = { "resilience.defaults.retry.max-attempts=3",
			"resilience.defaults.retry.initial-backoff=0ms", "resilience.defaults.retry.max-backoff=0ms",
			"resilience.defaults.retry.budget.enabled=false" };

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
				ResilienceAopAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
				ResilienceTaskExecutionAutoConfiguration.class))
		.withPropertyValues(NO_WAITS);

	@Test
	void threeNestedLayersMakeThreeAttemptsByDefault() {
		this.runner.withUserConfiguration(Layers.class).run((context) -> {
			Outer outer = context.getBean(Outer.class);
			assertThatThrownBy(outer::call).isInstanceOf(IllegalStateException.class).hasMessage("down");
			assertThat(context.getBean(Dependency.class).calls).hasValue(3);
			assertThat(context.getBean(Dependency.class).attempts).containsExactly(1, 2, 3);
		});
	}

	@Test
	void threeNestedLayersMakeTwentySevenAttemptsWithAll() {
		this.runner.withUserConfiguration(Layers.class)
			.withPropertyValues("resilience.defaults.retry.nested=all")
			.run((context) -> {
				assertThatThrownBy(context.getBean(Outer.class)::call).isInstanceOf(IllegalStateException.class);
				assertThat(context.getBean(Dependency.class).calls).hasValue(27);
			});
	}

	@Test
	void outermostModeRetriesOnlyAtTheTop() {
		this.runner.withUserConfiguration(Layers.class)
			.withPropertyValues("resilience.instances.outer.retry.nested=outermost")
			.run((context) -> {
				assertThatThrownBy(context.getBean(Outer.class)::call).isInstanceOf(IllegalStateException.class);
				assertThat(context.getBean(Dependency.class).calls).hasValue(3);
				assertThat(context.getBean(Dependency.class).attempts).as("the outer call's attempt numbers")
					.containsExactly(1, 2, 3);
			});
	}

	@Test
	void taskDecoratorIsAppliedToTheAutoConfiguredExecutor() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(RetryContextTaskDecorator.class);
			assertThat(context.getBean(TaskDecorator.class)).isInstanceOf(RetryContextTaskDecorator.class);
		});
	}

	@Test
	void taskDecoratorBacksOff() {
		this.runner.withUserConfiguration(UserDecorator.class).run((context) -> {
			assertThat(context).hasSingleBean(RetryContextTaskDecorator.class);
			assertThat(context.getBean(RetryContextTaskDecorator.class)).isSameAs(context.getBean("userDecorator"));
		});
	}

	@Test
	void nestedRetryAcrossAsyncDoesNotMultiply() {
		this.runner.withUserConfiguration(AsyncLayers.class).run((context) -> {
			AsyncCaller caller = context.getBean(AsyncCaller.class);
			assertThatThrownBy(caller::call).isInstanceOf(CompletionException.class)
				.hasRootCauseInstanceOf(IllegalStateException.class);
			Dependency dependency = context.getBean(Dependency.class);
			assertThat(dependency.calls).as("the inner retry on the executor's thread is the only one")
				.hasValue(3);
			assertThat(dependency.threads).as("ran on the executor").noneMatch("main"::equals);
			assertThat(dependency.depths).as("saw the caller's retry as enclosing it").containsOnly(2);
		});
	}

	@Test
	void withoutTheDecoratorAsyncRetriesMultiply() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
					ResilienceAopAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
			.withPropertyValues(NO_WAITS)
			.withUserConfiguration(AsyncLayers.class)
			.run((context) -> {
				assertThatThrownBy(context.getBean(AsyncCaller.class)::call).isInstanceOf(CompletionException.class);
				assertThat(context.getBean(Dependency.class).calls).hasValue(9);
			});
	}

	/** The failing call at the bottom; records what it saw of the retry context. */
	static class Dependency {

		final AtomicInteger calls = new AtomicInteger();

		final List<Integer> attempts = Collections.synchronizedList(new ArrayList<>());

		final List<Integer> depths = Collections.synchronizedList(new ArrayList<>());

		final List<String> threads = Collections.synchronizedList(new ArrayList<>());

		String call() {
			this.calls.incrementAndGet();
			this.attempts.add(RetryContext.currentAttempt());
			this.depths.add(RetryContext.depth());
			this.threads.add(Thread.currentThread().getName());
			throw new IllegalStateException("down");
		}

	}

	static class Inner {

		private final Dependency dependency;

		Inner(Dependency dependency) {
			this.dependency = dependency;
		}

		@Retryable("inner")
		public String call() {
			return this.dependency.call();
		}

	}

	static class Middle {

		private final Inner inner;

		Middle(Inner inner) {
			this.inner = inner;
		}

		@Retryable("middle")
		public String call() {
			return this.inner.call();
		}

	}

	static class Outer {

		private final Middle middle;

		Outer(Middle middle) {
			this.middle = middle;
		}

		@Retryable("outer")
		public String call() {
			return this.middle.call();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Layers {

		@Bean
		Dependency dependency() {
			return new Dependency();
		}

		@Bean
		Inner inner(Dependency dependency) {
			return new Inner(dependency);
		}

		@Bean
		Middle middle(Inner inner) {
			return new Middle(inner);
		}

		@Bean
		Outer outer(Middle middle) {
			return new Outer(middle);
		}

	}

	static class AsyncWorker {

		private final Inner inner;

		AsyncWorker(Inner inner) {
			this.inner = inner;
		}

		@Async
		public CompletableFuture<String> work() {
			return CompletableFuture.completedFuture(this.inner.call());
		}

	}

	static class AsyncCaller {

		private final AsyncWorker worker;

		AsyncCaller(AsyncWorker worker) {
			this.worker = worker;
		}

		@Retryable("outer")
		public String call() {
			return this.worker.work().join();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAsync
	static class AsyncLayers {

		@Bean
		Dependency dependency() {
			return new Dependency();
		}

		@Bean
		Inner inner(Dependency dependency) {
			return new Inner(dependency);
		}

		@Bean
		AsyncWorker asyncWorker(Inner inner) {
			return new AsyncWorker(inner);
		}

		@Bean
		AsyncCaller asyncCaller(AsyncWorker worker) {
			return new AsyncCaller(worker);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserDecorator {

		@Bean
		RetryContextTaskDecorator userDecorator() {
			return new RetryContextTaskDecorator();
		}

	}

}

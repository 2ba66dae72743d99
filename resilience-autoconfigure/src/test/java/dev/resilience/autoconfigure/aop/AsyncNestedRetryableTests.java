package dev.resilience.autoconfigure.aop;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.resilience.annotation.Retryable;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.core.retry.RetryContext;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Nested {@code @Retryable} methods that return {@code CompletableFuture} or {@code Mono},
 * three beans calling each other through real Spring proxies over a dependency that always
 * fails, and mixed with a blocking outer method: the nest travels with the asynchronous
 * calls, so attempts do not multiply unless {@code nested: all} says so.
 */
class AsyncNestedRetryableTests {

	private static final String[] NO_WAITS = { "resilience.defaults.retry.max-attempts=3",
			"resilience.defaults.retry.initial-backoff=0ms", "resilience.defaults.retry.max-backoff=0ms",
			"resilience.defaults.retry.budget.enabled=false" };

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ResilienceAutoConfiguration.class, ResilienceAopAutoConfiguration.class))
		.withUserConfiguration(Layers.class)
		.withPropertyValues(NO_WAITS);

	/** How the outermost layer is called and how its outcome is awaited. */
	enum Kind {

		COMPLETABLE_FUTURE, MONO, MONO_SUBSCRIBED_LATER;

		String call(Outer outer) {
			switch (this) {
				case COMPLETABLE_FUTURE:
					return outer.future().join();
				case MONO:
					return outer.mono().block();
				default:
					return outer.monoDeferred().block();
			}
		}

	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void threeNestedAsyncLayersMakeThreeCallsByDefault(Kind kind) {
		this.runner.run((context) -> {
			Outer outer = context.getBean(Outer.class);
			assertThat(failure(() -> kind.call(outer))).isInstanceOf(IllegalStateException.class).hasMessage("down 3");
			Dependency dependency = context.getBean(Dependency.class);
			assertThat(dependency.calls).hasValue(3);
			assertThat(dependency.seen).as("depth@attempt: the innermost layer retries")
				.containsExactly("3@1", "3@2", "3@3");
		});
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void threeNestedAsyncLayersMakeTwentySevenCallsWithAll(Kind kind) {
		this.runner.withPropertyValues("resilience.defaults.retry.nested=all").run((context) -> {
			Outer outer = context.getBean(Outer.class);
			assertThat(failure(() -> kind.call(outer))).isInstanceOf(IllegalStateException.class);
			assertThat(context.getBean(Dependency.class).calls).hasValue(27);
		});
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void outermostModeLetsOnlyTheOuterAsyncLayerRetry(Kind kind) {
		this.runner.withPropertyValues("resilience.instances.outer.retry.nested=outermost").run((context) -> {
			Outer outer = context.getBean(Outer.class);
			assertThat(failure(() -> kind.call(outer))).isInstanceOf(IllegalStateException.class);
			Dependency dependency = context.getBean(Dependency.class);
			assertThat(dependency.calls).hasValue(3);
			assertThat(dependency.seen).as("the outer call's attempts; the inner ones make one each")
				.containsExactly("3@1", "3@2", "3@3");
		});
	}

	@Test
	void aBlockingOuterLayerOverAnAsyncInnerOneMakesThreeCalls() {
		this.runner.run((context) -> {
			BlockingOuter outer = context.getBean(BlockingOuter.class);
			assertThat(failure(outer::future)).isInstanceOf(IllegalStateException.class);
			assertThat(context.getBean(Dependency.class).calls).hasValue(3);
			assertThat(context.getBean(Dependency.class).seen).containsExactly("2@1", "2@2", "2@3");
		});
	}

	@Test
	void aBlockingOuterLayerOverAMonoInnerOneMakesThreeCalls() {
		this.runner.run((context) -> {
			BlockingOuter outer = context.getBean(BlockingOuter.class);
			assertThat(failure(outer::mono)).isInstanceOf(IllegalStateException.class);
			assertThat(context.getBean(Dependency.class).calls).hasValue(3);
			assertThat(context.getBean(Dependency.class).seen).containsExactly("2@1", "2@2", "2@3");
		});
	}

	@Test
	void aBlockingOuterLayerInAllModeMultipliesWithAnAsyncInnerOne() {
		this.runner.withPropertyValues("resilience.instances.blocking.retry.nested=all").run((context) -> {
			BlockingOuter outer = context.getBean(BlockingOuter.class);
			assertThat(failure(outer::future)).isInstanceOf(IllegalStateException.class);
			assertThat(context.getBean(Dependency.class).calls).hasValue(9);
		});
	}

	@Test
	void aBlockingOuterLayerInOutermostModeMakesTheAsyncInnerOneAttemptOnce() {
		this.runner.withPropertyValues("resilience.instances.blocking.retry.nested=outermost").run((context) -> {
			BlockingOuter outer = context.getBean(BlockingOuter.class);
			assertThat(failure(outer::mono)).isInstanceOf(IllegalStateException.class);
			assertThat(context.getBean(Dependency.class).calls).hasValue(3);
		});
	}

	/**
	 * @return what the call threw, without the CompletionException of a join()
	 */
	private static Throwable failure(ThrowingCallable call) {
		Throwable thrown = catchThrowable(call);
		assertThat(thrown).as("the call failed").isNotNull();
		return (thrown instanceof CompletionException && thrown.getCause() != null) ? thrown.getCause() : thrown;
	}

	/** Fails every call; records what each call saw of the retry context. */
	static class Dependency {

		final AtomicInteger calls = new AtomicInteger();

		final List<String> seen = Collections.synchronizedList(new ArrayList<>());

		IllegalStateException fail() {
			int call = this.calls.incrementAndGet();
			this.seen.add(RetryContext.depth() + "@" + RetryContext.currentAttempt());
			return new IllegalStateException("down " + call);
		}

	}

	static class Inner {

		private final Dependency dependency;

		Inner(Dependency dependency) {
			this.dependency = dependency;
		}

		@Retryable("inner")
		public CompletableFuture<String> future() {
			return CompletableFuture.failedFuture(this.dependency.fail());
		}

		@Retryable("inner")
		public Mono<String> mono() {
			return Mono.error(this.dependency.fail());
		}

	}

	static class Middle {

		private final Inner inner;

		Middle(Inner inner) {
			this.inner = inner;
		}

		@Retryable("middle")
		public CompletableFuture<String> future() {
			return this.inner.future();
		}

		@Retryable("middle")
		public Mono<String> mono() {
			return this.inner.mono();
		}

		/**
		 * Assembles the inner call only when subscribed to, outside this method's attempt:
		 * only the subscription's context tells it that it is nested.
		 */
		@Retryable("middle")
		public Mono<String> monoDeferred() {
			return Mono.defer(this.inner::mono);
		}

	}

	static class Outer {

		private final Middle middle;

		Outer(Middle middle) {
			this.middle = middle;
		}

		@Retryable("outer")
		public CompletableFuture<String> future() {
			return this.middle.future();
		}

		@Retryable("outer")
		public Mono<String> mono() {
			return this.middle.mono();
		}

		@Retryable("outer")
		public Mono<String> monoDeferred() {
			return Mono.defer(this.middle::monoDeferred);
		}

	}

	static class BlockingOuter {

		private final Inner inner;

		BlockingOuter(Inner inner) {
			this.inner = inner;
		}

		@Retryable("blocking")
		public String future() {
			return this.inner.future().join();
		}

		@Retryable("blocking")
		public String mono() {
			return this.inner.mono().block();
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

		@Bean
		BlockingOuter blockingOuter(Inner inner) {
			return new BlockingOuter(inner);
		}

	}

}

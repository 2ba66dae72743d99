package dev.resilience.autoconfigure.aop;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Retryable;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.circuitbreaker.CallNotPermittedException;
import dev.resilience.core.circuitbreaker.CircuitBreakerState;
import dev.resilience.core.time.ManualTicker;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Which beans the AOP auto-configuration adds, that each backs off, how it finds the
 * annotations (class level, meta-annotations, interfaces, instance names) and that
 * mistakes in them stop start-up.
 */
class ResilienceAopAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ResilienceAutoConfiguration.class, ResilienceAopAutoConfiguration.class))
		.withBean(ManualTicker.class, ManualTicker::create)
		.withPropertyValues("resilience.defaults.retry.initial-backoff=10ms", "resilience.defaults.retry.jitter=none");

	@Test
	void runShouldProvideResolverAdvisorAndChecker() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(MethodResilienceResolver.class)
			.hasSingleBean(ResilienceAdvisor.class)
			.hasSingleBean(ResilienceAnnotationsBeanPostProcessor.class));
	}

	@Test
	void runWithoutSpringAopShouldNotApplyAnnotations() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.aop"))
			.run((context) -> assertThat(context).doesNotHaveBean(ResilienceAdvisor.class)
				.doesNotHaveBean(MethodResilienceResolver.class));
	}

	@Test
	void resolverBacksOff() {
		this.runner.withBean("userResolver", MethodResilienceResolver.class,
				() -> new MethodResilienceResolver(ResilienceRegistry.ofDefaults()))
			.run((context) -> {
				assertThat(context).hasSingleBean(MethodResilienceResolver.class);
				assertThat(context.getBean(MethodResilienceResolver.class)).isSameAs(context.getBean("userResolver"));
			});
	}

	@Test
	void advisorBacksOff() {
		this.runner.withUserConfiguration(UserAdvisorConfiguration.class, NamingService.class).run((context) -> {
			assertThat(context).hasSingleBean(ResilienceAdvisor.class);
			assertThat(context.getBean(ResilienceAdvisor.class)).isSameAs(context.getBean("userAdvisor"));
			assertThat(context.getBean(ResilienceAdvisor.class).getOrder()).isEqualTo(42);
		});
	}

	@Test
	void annotatedBeanIsProxiedAndPlainBeanIsNot() {
		this.runner.withUserConfiguration(NamingService.class, PlainService.class).run((context) -> {
			assertThat(AopUtils.isAopProxy(context.getBean(NamingService.class))).isTrue();
			assertThat(AopUtils.isAopProxy(context.getBean(PlainService.class))).isFalse();
		});
	}

	@Test
	void emptyValueNamesTheInstanceAfterClassAndMethod() {
		this.runner.withUserConfiguration(NamingService.class).run((context) -> {
			ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
			// Resolved when the bean was checked at start-up, before any call.
			assertThat(registry.findRetry("NamingService.unnamed")).isPresent();
			assertThat(registry.findCircuitBreaker("NamingService.unnamed")).isEmpty();
		});
	}

	@Test
	void eachAnnotationSelectsItsOwnInstance() {
		this.runner.withUserConfiguration(NamingService.class).run((context) -> {
			ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
			assertThat(registry.findRetry("r1")).isPresent();
			assertThat(registry.findCircuitBreaker("c1")).isPresent();
			assertThat(registry.findBulkhead("b1")).isPresent();
			assertThat(registry.findCircuitBreaker("r1")).isEmpty();
			assertThat(registry.findBulkhead("c1")).isEmpty();
			assertThat(registry.findRetry("b1")).isEmpty();

			NamingService service = context.getBean(NamingService.class);
			registry.circuitBreaker("c1").transitionTo(CircuitBreakerState.FORCED_OPEN);
			assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(service::separate)
				.satisfies((ex) -> assertThat(ex.circuitBreakerName()).isEqualTo("c1"));
			assertThat(service.calls()).isZero();
		});
	}

	@Test
	void classLevelAnnotationAppliesToEveryPublicMethodOnly() {
		this.runner.withUserConfiguration(ClassLevelService.class).run((context) -> {
			ClassLevelService service = context.getBean(ClassLevelService.class);
			context.getBean(ResilienceRegistry.class)
				.circuitBreaker("class-level")
				.transitionTo(CircuitBreakerState.FORCED_OPEN);
			assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(service::first);
			assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(service::second);
			assertThat(service.notPublic()).isEqualTo("not-public");
			assertThat(service.calls()).isEqualTo(1);
		});
	}

	@Test
	void methodAnnotationTakesPrecedenceOverTheClassAnnotation() {
		this.runner.withUserConfiguration(ClassLevelService.class).run((context) -> {
			ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
			registry.circuitBreaker("class-level").transitionTo(CircuitBreakerState.FORCED_OPEN);
			assertThat(context.getBean(ClassLevelService.class).ownBreaker()).isEqualTo("own");
			registry.circuitBreaker("own").transitionTo(CircuitBreakerState.FORCED_OPEN);
			assertThatExceptionOfType(CallNotPermittedException.class)
				.isThrownBy(context.getBean(ClassLevelService.class)::ownBreaker);
		});
	}

	@Test
	void classLevelAnnotationWithoutNameGivesEachMethodItsOwnInstance() {
		this.runner.withUserConfiguration(UnnamedClassLevelService.class).run((context) -> {
			ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
			assertThat(registry.findBulkhead("UnnamedClassLevelService.one")).isPresent();
			assertThat(registry.findBulkhead("UnnamedClassLevelService.two")).isPresent();
		});
	}

	@Test
	void metaAnnotationIsApplied() {
		this.runner.withUserConfiguration(MetaAnnotatedService.class).run((context) -> {
			MetaAnnotatedService service = context.getBean(MetaAnnotatedService.class);
			assertThat(service.flaky()).isEqualTo("ok after 3");
			assertThat(context.getBean(ResilienceRegistry.class).findRetry("meta")).isPresent()
				.get()
				.satisfies((retry) -> assertThat(retry.metrics().attempts()).isEqualTo(3));
		});
	}

	@Test
	void annotationsOnAnInterfaceApplyToItsImplementation() {
		this.runner.withUserConfiguration(InterfaceConfiguration.class).run((context) -> {
			Greeter greeter = context.getBean(Greeter.class);
			assertThat(AopUtils.isAopProxy(greeter)).isTrue();
			context.getBean(ResilienceRegistry.class)
				.circuitBreaker("greeter")
				.transitionTo(CircuitBreakerState.FORCED_OPEN);
			assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(() -> greeter.greet("Ada"));
			assertThat(greeter.unguarded("Ada")).isEqualTo("hi Ada");
		});
	}

	@Test
	void beansAreClassProxiesByDefault() {
		this.runner.withUserConfiguration(InterfaceConfiguration.class)
			.run((context) -> assertThat(AopUtils.isCglibProxy(context.getBean(Greeter.class))).isTrue());
	}

	@Test
	void interfaceProxiesChosenByTheApplicationStillApplyTheAnnotations() {
		this.runner.withUserConfiguration(InterfaceConfiguration.class)
			.withPropertyValues("spring.aop.proxy-target-class=false")
			.run((context) -> {
				Greeter greeter = context.getBean(Greeter.class);
				assertThat(AopUtils.isJdkDynamicProxy(greeter)).isTrue();
				context.getBean(ResilienceRegistry.class)
					.circuitBreaker("greeter")
					.transitionTo(CircuitBreakerState.FORCED_OPEN);
				assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(() -> greeter.greet("Ada"));
				assertThat(greeter.unguarded("Ada")).isEqualTo("hi Ada");
			});
	}

	@Test
	void annotatedImplementationOfAnInterfaceIsGuardedThroughTheInterface() {
		this.runner.withUserConfiguration(AnnotatedImplementationConfiguration.class).run((context) -> {
			Greeter greeter = context.getBean(Greeter.class);
			context.getBean(ResilienceRegistry.class)
				.circuitBreaker("impl")
				.transitionTo(CircuitBreakerState.FORCED_OPEN);
			assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(() -> greeter.greet("Ada"));
			assertThat(greeter.unguarded("Ada")).isEqualTo("hello Ada");
		});
	}

	@Test
	void missingFallbackStopsStartUpNamingBothMethods() {
		this.runner.withUserConfiguration(MissingFallbackService.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.isInstanceOf(BeanCreationException.class)
				.hasMessageContaining("fallbackMethod 'noSuchMethod'")
				.hasMessageContaining("MissingFallbackService.call(String)")
				.hasMessageContaining("noSuchMethod(String, [Throwable])"));
	}

	@Test
	void fallbackWithOtherParametersStopsStartUp() {
		this.runner.withUserConfiguration(WrongParametersFallbackService.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("fallbackMethod 'recover'")
				.hasMessageContaining("WrongParametersFallbackService.call(String)")
				.hasMessageContaining("not found"));
	}

	@Test
	void fallbackWithMismatchedReturnTypeStopsStartUpNamingBothMethods() {
		this.runner.withUserConfiguration(MismatchedFallbackService.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.isInstanceOf(BeanCreationException.class)
				.hasMessageContaining("MismatchedFallbackService.recover(String)")
				.hasMessageContaining("MismatchedFallbackService.call(String)")
				.hasMessageContaining("java.lang.Integer")
				.hasMessageContaining("java.lang.String"));
	}

	@Test
	void conflictingFallbacksStopStartUpNamingTheMethodAndBothFallbacks() {
		this.runner.withUserConfiguration(ConflictingFallbacksService.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.isInstanceOf(BeanCreationException.class)
				.hasMessageContaining("ConflictingFallbacksService.call(String)")
				.hasMessageContaining("first")
				.hasMessageContaining("second"));
	}

	@Test
	void unsupportedAsynchronousReturnTypeStopsStartUp() {
		this.runner.withUserConfiguration(FutureService.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.isInstanceOf(BeanCreationException.class)
				.hasMessageContaining("FutureService.submit()")
				.hasMessageContaining(Future.class.getName()));
	}

	@Test
	void lazyBeanIsCheckedWhenItIsCreated() {
		this.runner
			.withBean(MissingFallbackService.class, MissingFallbackService::new,
					(definition) -> definition.setLazyInit(true))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThatExceptionOfType(BeanCreationException.class)
					.isThrownBy(() -> context.getBean(MissingFallbackService.class))
					.withMessageContaining("fallbackMethod 'noSuchMethod'");
			});
	}

	@Test
	void sameFallbackNamedOnSeveralAnnotationsIsNoConflict() {
		this.runner.withUserConfiguration(SharedFallbackService.class)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void fallbackReturningAPrimitiveWrapperOrSubtypeIsAccepted() {
		this.runner.withUserConfiguration(CompatibleFallbacksService.class)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Configuration(proxyBeanMethods = false)
	static class UserAdvisorConfiguration {

		@Bean
		static ResilienceAdvisor userAdvisor(ObjectProvider<MethodResilienceResolver> resolver) {
			ResilienceAdvisor advisor = new ResilienceAdvisor(new ResilienceMethodInterceptor(resolver));
			advisor.setOrder(42);
			return advisor;
		}

	}

	static class PlainService {

		String hello() {
			return "hello";
		}

	}

	static class NamingService {

		private final AtomicInteger calls = new AtomicInteger();

		int calls() {
			return calls.get();
		}

		@Retryable
		public String unnamed() {
			return "unnamed";
		}

		@Retryable("r1")
		@CircuitBreaker("c1")
		@Bulkhead("b1")
		public String separate() {
			calls.incrementAndGet();
			return "separate";
		}

	}

	@CircuitBreaker("class-level")
	static class ClassLevelService {

		private final AtomicInteger calls = new AtomicInteger();

		int calls() {
			return calls.get();
		}

		public String first() {
			calls.incrementAndGet();
			return "first";
		}

		public String second() {
			calls.incrementAndGet();
			return "second";
		}

		String notPublic() {
			calls.incrementAndGet();
			return "not-public";
		}

		@CircuitBreaker("own")
		public String ownBreaker() {
			return "own";
		}

	}

	@Bulkhead
	static class UnnamedClassLevelService {

		public String one() {
			return "one";
		}

		public String two() {
			return "two";
		}

	}

	@Target({ ElementType.METHOD, ElementType.TYPE })
	@Retention(RetentionPolicy.RUNTIME)
	@Retryable("meta")
	@interface MetaRetry {

	}

	static class MetaAnnotatedService {

		private final AtomicInteger attempts = new AtomicInteger();

		@MetaRetry
		public String flaky() {
			int attempt = attempts.incrementAndGet();
			if (attempt < 3) {
				throw new IllegalStateException("attempt " + attempt);
			}
			return "ok after " + attempt;
		}

	}

	interface Greeter {

		@CircuitBreaker("greeter")
		String greet(String name);

		String unguarded(String name);

	}

	static class PlainGreeter implements Greeter {

		@Override
		public String greet(String name) {
			return "hi " + name;
		}

		@Override
		public String unguarded(String name) {
			return "hi " + name;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class InterfaceConfiguration {

		@Bean
		Greeter greeter() {
			return new PlainGreeter();
		}

	}

	static class AnnotatedGreeter implements Greeter {

		@Override
		@CircuitBreaker("impl")
		public String greet(String name) {
			return "hello " + name;
		}

		@Override
		public String unguarded(String name) {
			return "hello " + name;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class AnnotatedImplementationConfiguration {

		@Bean
		Greeter greeter() {
			return new AnnotatedGreeter();
		}

	}

	static class MissingFallbackService {

		@CircuitBreaker(value = "missing", fallbackMethod = "noSuchMethod")
		public String call(String id) {
			return id;
		}

	}

	static class WrongParametersFallbackService {

		@Retryable(value = "wrong", fallbackMethod = "recover")
		public String call(String id) {
			return id;
		}

		String recover(Long id) {
			return "recovered";
		}

	}

	static class MismatchedFallbackService {

		@Retryable(value = "mismatched", fallbackMethod = "recover")
		public String call(String id) {
			return id;
		}

		Integer recover(String id) {
			return 0;
		}

	}

	static class ConflictingFallbacksService {

		@Retryable(value = "conflict", fallbackMethod = "first")
		@CircuitBreaker(value = "conflict", fallbackMethod = "second")
		public String call(String id) {
			return id;
		}

		String first(String id) {
			return "first";
		}

		String second(String id) {
			return "second";
		}

	}

	static class FutureService {

		@Retryable("future")
		public Future<String> submit() {
			return null;
		}

	}

	static class SharedFallbackService {

		@Retryable(value = "shared", fallbackMethod = "recover")
		@CircuitBreaker(value = "shared", fallbackMethod = "recover")
		public String call(String id) {
			return id;
		}

		String recover(String id, Throwable cause) {
			return "recovered";
		}

	}

	static class CompatibleFallbacksService {

		@CircuitBreaker(value = "primitive", fallbackMethod = "boxed")
		public int count() {
			return 1;
		}

		Integer boxed() {
			return 0;
		}

		@CircuitBreaker(value = "subtype", fallbackMethod = "text")
		public CharSequence describe() {
			return "described";
		}

		String text(RuntimeException cause) {
			return "text";
		}

		@CircuitBreaker(value = "void", fallbackMethod = "ignore")
		public void fireAndForget() {
		}

		String ignore() {
			return "ignored";
		}

	}

}

package dev.resilience.autoconfigure.aop;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Retryable;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.core.time.ManualTicker;
import org.aopalliance.intercept.MethodInterceptor;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.junit.jupiter.api.Test;

import org.springframework.aop.Advisor;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.framework.ReflectiveMethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.NameMatchMethodPointcutAdvisor;
import org.springframework.aop.support.RootClassFilter;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * How the advisor proceeds with Spring's method invocation: every attempt of a retried
 * call runs the whole chain inside the advisor again, with the caller's arguments, and the
 * success path allocates nothing beyond what Spring's proxy itself allocates.
 */
class AdvisorInvocationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class,
				ResilienceAopAutoConfiguration.class))
		.withBean(ManualTicker.class, ManualTicker::create)
		.withPropertyValues("resilience.instances.quotes.retry.max-attempts=3",
				"resilience.instances.quotes.retry.jitter=none",
				// Several failing calls in one second: a floor of 5 retries a second paces 10 into a slice.
				"resilience.instances.quotes.retry.budget.min-retries-per-second=5");

	@Test
	void retriedCallRunsTheAspectsInsideTheAdvisorOnEveryAttemptAndThoseOutsideOnce() {
		this.runner.withBean(QuoteService.class).withBean(InnerAspect.class).withBean(OuterAspect.class)
			.run((context) -> {
				QuoteService service = context.getBean(QuoteService.class);
				service.failTimes(2);
				assertThat(service.quote("gold")).isEqualTo("quote gold");
				assertThat(service.arguments()).containsExactly("gold", "gold", "gold");
				assertThat(context.getBean(InnerAspect.class).calls()).as("inside the advisor, once per attempt")
					.hasValue(3);
				assertThat(context.getBean(OuterAspect.class).calls()).as("outside the advisor, once per call")
					.hasValue(1);
			});
	}

	@Test
	void retriedCallRunsAnInterceptorInsideTheAdvisorOnEveryAttemptWithTheCallersArguments() {
		AtomicInteger calls = new AtomicInteger();
		this.runner.withBean(QuoteService.class)
			.withBean("appendingAdvisor", Advisor.class, () -> appendingAdvisor(calls))
			.run((context) -> {
				QuoteService service = context.getBean(QuoteService.class);
				service.failTimes(2);
				assertThat(service.quote("gold")).isEqualTo("quote gold!");
				assertThat(calls).hasValue(3);
				assertThat(service.arguments()).as("each attempt starts from the caller's arguments")
					.containsExactly("gold!", "gold!", "gold!");
			});
	}

	@Test
	void retriedCallWithNothingInsideTheAdvisorCallsTheMethodOnEveryAttempt() {
		this.runner.withBean(QuoteService.class).run((context) -> {
			QuoteService service = context.getBean(QuoteService.class);
			service.failTimes(2);
			assertThat(service.quote("gold")).isEqualTo("quote gold");
			assertThat(service.arguments()).containsExactly("gold", "gold", "gold");
			service.failTimes(5);
			assertThat(service.fallible("silver")).isEqualTo("fallback for silver");
			assertThat(service.arguments()).containsExactly("gold", "gold", "gold", "silver", "silver", "silver");
		});
	}

	@Test
	void onlyAnInvocationAtTheEndOfItsChainProceedsToTheTarget() throws NoSuchMethodException {
		List<Boolean> seen = new CopyOnWriteArrayList<>();
		MethodInterceptor recording = (invocation) -> {
			seen.add(RetriedInvocations.proceedsToTarget(invocation));
			return invocation.proceed();
		};
		ProxyFactory factory = new ProxyFactory(new QuoteService());
		factory.setProxyTargetClass(true);
		factory.addAdvice(recording);
		factory.addAdvice(recording);
		QuoteService proxy = (QuoteService) factory.getProxy();
		assertThat(proxy.quote("gold")).isEqualTo("quote gold");
		assertThat(seen).containsExactly(false, true);
		Method quote = QuoteService.class.getMethod("quote", String.class);
		Object[] arguments = { "gold" };
		assertThat(RetriedInvocations.proceedsToTarget(new ReflectiveMethodInvocation(proxy, new QuoteService(), quote,
				arguments, QuoteService.class, List.of()) {
		})).as("an invocation of another class, even at the end of its chain").isFalse();
	}

	/**
	 * The floor is the same method on a bean whose proxy has one interceptor that only
	 * proceeds: what Spring allocates per call (its method invocation, a cache key) before
	 * any advisor does anything. The JIT may remove allocations from either path, so the
	 * bound is on the difference, which is below the size of the smallest object.
	 */
	@Test
	void successPathOfAnAnnotatedMethodAllocatesNoMoreThanSpringsProxy() {
		assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
				"needs per-thread allocation counters");
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
			.getThreadMXBean();
		assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
				"needs per-thread allocation counters");
		this.runner.withBean(AnnotatedService.class)
			.withBean(FloorService.class)
			.withBean("noOpAdvisor", Advisor.class, AdvisorInvocationTests::noOpAdvisor)
			.run((context) -> {
				AnnotatedService annotated = context.getBean(AnnotatedService.class);
				FloorService floor = context.getBean(FloorService.class);
				assertThat(AopUtils.isAopProxy(annotated)).isTrue();
				assertThat(AopUtils.isAopProxy(floor)).isTrue();
				int calls = 50_000;
				for (int round = 0; round < 3; round++) {
					bytesPerCall(threads, calls, annotated::call);
					bytesPerCall(threads, calls, floor::call);
				}
				// The steady state: the least of several rounds, as a round that the JIT recompiles
				// in the middle of (more likely while other tests share the JVM) allocates more.
				double ours = Double.MAX_VALUE;
				double spring = Double.MAX_VALUE;
				for (int round = 0; round < 5; round++) {
					ours = Math.min(ours, bytesPerCall(threads, calls, annotated::call));
					spring = Math.min(spring, bytesPerCall(threads, calls, floor::call));
				}
				assertThat(ours).as("bytes per call of @Retryable @CircuitBreaker @Bulkhead; the proxy's floor is %s",
						spring)
					.isLessThanOrEqualTo(spring + 8);
			});
	}

	private static double bytesPerCall(com.sun.management.ThreadMXBean threads, int calls, Runnable call) {
		long before = threads.getCurrentThreadAllocatedBytes();
		for (int i = 0; i < calls; i++) {
			call.run();
		}
		return (threads.getCurrentThreadAllocatedBytes() - before) / (double) calls;
	}

	/** Inside the advisor: changes the first argument in place, as a raw interceptor may. */
	private static Advisor appendingAdvisor(AtomicInteger calls) {
		NameMatchMethodPointcutAdvisor advisor = new NameMatchMethodPointcutAdvisor((MethodInterceptor) (invocation) -> {
			calls.incrementAndGet();
			Object[] arguments = invocation.getArguments();
			arguments[0] = arguments[0] + "!";
			return invocation.proceed();
		});
		advisor.setClassFilter(new RootClassFilter(QuoteService.class));
		advisor.setMappedName("quote");
		advisor.setOrder(ResilienceAopAutoConfiguration.ADVISOR_ORDER + 1);
		return advisor;
	}

	private static Advisor noOpAdvisor() {
		NameMatchMethodPointcutAdvisor advisor = new NameMatchMethodPointcutAdvisor(
				(MethodInterceptor) (invocation) -> invocation.proceed());
		advisor.setClassFilter(new RootClassFilter(FloorService.class));
		advisor.setMappedName("call");
		return advisor;
	}

	/** Ordered inside the advisor, as {@code @Transactional} is by default. */
	@Aspect
	@Order(ResilienceAopAutoConfiguration.ADVISOR_ORDER + 1)
	static class InnerAspect {

		private final AtomicInteger calls = new AtomicInteger();

		@Around("execution(* dev.resilience.autoconfigure.aop.AdvisorInvocationTests.QuoteService.quote(..))")
		Object count(ProceedingJoinPoint joinPoint) throws Throwable {
			calls.incrementAndGet();
			return joinPoint.proceed();
		}

		AtomicInteger calls() {
			return calls;
		}

	}

	@Aspect
	@Order(Ordered.HIGHEST_PRECEDENCE)
	static class OuterAspect {

		private final AtomicInteger calls = new AtomicInteger();

		@Around("execution(* dev.resilience.autoconfigure.aop.AdvisorInvocationTests.QuoteService.quote(..))")
		Object count(ProceedingJoinPoint joinPoint) throws Throwable {
			calls.incrementAndGet();
			return joinPoint.proceed();
		}

		AtomicInteger calls() {
			return calls;
		}

	}

	static class QuoteService {

		// Read through methods: the test holds the proxy, whose own fields are unset.
		private final List<String> arguments = new CopyOnWriteArrayList<>();

		private volatile int failuresLeft;

		void failTimes(int times) {
			this.failuresLeft = times;
		}

		List<String> arguments() {
			return arguments;
		}

		private void run(String item) {
			arguments.add(item);
			if (failuresLeft > 0) {
				failuresLeft--;
				throw new IllegalStateException("failure of " + item);
			}
		}

		@Retryable("quotes")
		public String quote(String item) {
			run(item);
			return "quote " + item;
		}

		@Retryable(value = "quotes", fallbackMethod = "fallback")
		public String fallible(String item) {
			run(item);
			return "fallible " + item;
		}

		String fallback(String item) {
			return "fallback for " + item;
		}

	}

	/** The benchmarks' method: all three annotations, the documented defaults. */
	static class AnnotatedService {

		private String answer = "ok";

		@Retryable("all")
		@CircuitBreaker("all")
		@Bulkhead("all")
		public String call() {
			return answer;
		}

	}

	static class FloorService {

		private String answer = "ok";

		public String call() {
			return answer;
		}

	}

}

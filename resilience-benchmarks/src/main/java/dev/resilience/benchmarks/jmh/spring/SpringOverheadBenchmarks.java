package dev.resilience.benchmarks.jmh.spring;

import java.util.concurrent.TimeUnit;

import org.aopalliance.intercept.MethodInterceptor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.NameMatchMethodPointcutAdvisor;
import org.springframework.aop.support.RootClassFilter;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.resilience.annotation.ConcurrencyLimit;
import org.springframework.resilience.annotation.EnableResilientMethods;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.aop.ResilienceAopAutoConfiguration;
import dev.resilience.core.ResilienceRegistry;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.springboot.bulkhead.autoconfigure.BulkheadAutoConfiguration;
import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration;

/**
 * The cost of the annotations on a Spring bean's method, through the proxy that each
 * library's Spring integration puts in front of the bean, next to the same method on a
 * bean without a proxy. Every benchmark calls a method that returns a field.
 * <p>
 * Each library runs in an application context of its own, started once per trial
 * (non-web, only the auto-configurations it needs, no metrics registry), so that no
 * library's proxy or post-processor sees another's beans:
 * <ul>
 * <li>the plain bean: no auto-configuration, no proxy (the baseline);</li>
 * <li>the floor: the same bean through a Spring AOP proxy whose only advice is a
 * {@link MethodInterceptor} that proceeds, applied by the same auto-proxy creator as the
 * library's advisor: what any advisor costs per call before it does anything;</li>
 * <li>the library: {@code @Retryable}, {@code @CircuitBreaker} and {@code @Bulkhead} of
 * {@code dev.resilience.annotation} through the starter's auto-configuration and its
 * advisor, with the documented defaults (which are the core benchmarks' settings);</li>
 * <li>Resilience4j 2.4.0: its {@code @Retry}, {@code @CircuitBreaker} and {@code @Bulkhead}
 * through {@code resilience4j-spring-boot4}'s aspects, set up through properties to the
 * same settings;</li>
 * <li>Spring Framework: {@code @Retryable} and {@code @ConcurrencyLimit} of
 * {@code org.springframework.resilience.annotation} with {@code @EnableResilientMethods}
 * (it has no circuit breaker).</li>
 * </ul>
 * The instances are shared by the benchmark's threads ({@link Scope#Benchmark}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SpringOverheadBenchmarks {

	/** Resilience4j's settings, equal to the library's defaults (see the core benchmarks). */
	static final String[] R4J_PROPERTIES = {
			"resilience4j.circuitbreaker.configs.default.sliding-window-type=COUNT_BASED",
			"resilience4j.circuitbreaker.configs.default.sliding-window-size=100",
			"resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=20",
			"resilience4j.circuitbreaker.configs.default.failure-rate-threshold=50",
			"resilience4j.circuitbreaker.configs.default.slow-call-duration-threshold=60s",
			"resilience4j.circuitbreaker.configs.default.slow-call-rate-threshold=100",
			"resilience4j.circuitbreaker.configs.default.wait-duration-in-open-state=30s",
			"resilience4j.circuitbreaker.configs.default.permitted-number-of-calls-in-half-open-state=3",
			"resilience4j.bulkhead.configs.default.max-concurrent-calls=25",
			"resilience4j.bulkhead.configs.default.max-wait-duration=0ms",
			"resilience4j.retry.configs.default.max-attempts=3",
			"resilience4j.retry.configs.default.wait-duration=100ms",
			"resilience4j.retry.configs.default.enable-exponential-backoff=true",
			"resilience4j.retry.configs.default.exponential-backoff-multiplier=2",
			"resilience4j.retry.configs.default.exponential-max-wait-duration=10s",
			"resilience4j.retry.configs.default.enable-randomized-wait=true",
			"resilience4j.retry.configs.default.randomized-wait-factor=0.5" };

	private ConfigurableApplicationContext plainContext;

	private ConfigurableApplicationContext floorContext;

	private ConfigurableApplicationContext oursContext;

	private ConfigurableApplicationContext r4jContext;

	private ConfigurableApplicationContext springContext;

	private PlainService plain;

	private FloorService floor;

	private OurService ours;

	private R4jService r4j;

	private SpringService spring;

	@Setup(Level.Trial)
	public void setUp() {
		this.plainContext = start(PlainApplication.class);
		this.floorContext = start(FloorApplication.class);
		this.oursContext = start(OurApplication.class);
		this.r4jContext = start(R4jApplication.class, R4J_PROPERTIES);
		this.springContext = start(FrameworkApplication.class);
		this.plain = this.plainContext.getBean(PlainService.class);
		this.floor = this.floorContext.getBean(FloorService.class);
		this.ours = this.oursContext.getBean(OurService.class);
		this.r4j = this.r4jContext.getBean(R4jService.class);
		this.spring = this.springContext.getBean(SpringService.class);
		// A benchmark of a bean that was not proxied would measure nothing; refuse to run it.
		check(!AopUtils.isAopProxy(this.plain), "the plain bean is proxied");
		check(AopUtils.isAopProxy(this.floor), "the floor's bean is not proxied");
		check(AopUtils.isAopProxy(this.ours), "the library's bean is not proxied");
		check(AopUtils.isAopProxy(this.r4j), "Resilience4j's bean is not proxied");
		check(AopUtils.isAopProxy(this.spring), "Spring Framework's bean is not proxied");
		checkInstances();
	}

	/**
	 * Calls every annotated method once and checks that each library then holds the
	 * instances the annotations name, with Resilience4j's settings taken from the
	 * properties: a proxy alone does not show that every annotation applies.
	 */
	private void checkInstances() {
		for (Runnable call : new Runnable[] { this.ours::all, this.ours::circuitBreaker, this.ours::retry,
				this.ours::bulkhead, this.r4j::all, this.r4j::circuitBreaker, this.r4j::retry, this.r4j::bulkhead }) {
			call.run();
		}
		ResilienceRegistry registry = this.oursContext.getBean(ResilienceRegistry.class);
		check(registry.findRetry("bench").isPresent() && registry.findCircuitBreaker("bench").isPresent()
				&& registry.findBulkhead("bench").isPresent() && registry.findCircuitBreaker("breakerOnly").isPresent()
				&& registry.findRetry("retryOnly").isPresent() && registry.findBulkhead("bulkheadOnly").isPresent(),
				"the library's annotations did not create their instances");
		CircuitBreakerRegistry breakers = this.r4jContext.getBean(CircuitBreakerRegistry.class);
		RetryRegistry retries = this.r4jContext.getBean(RetryRegistry.class);
		BulkheadRegistry bulkheads = this.r4jContext.getBean(BulkheadRegistry.class);
		for (String name : new String[] { "bench", "breakerOnly" }) {
			check(breakers.find(name).map((breaker) -> breaker.getCircuitBreakerConfig().getSlidingWindowSize() == 100
					&& breaker.getCircuitBreakerConfig().getMinimumNumberOfCalls() == 20).orElse(false),
					"Resilience4j's circuit breaker " + name + " is missing or not set up");
		}
		for (String name : new String[] { "bench", "retryOnly" }) {
			check(retries.find(name).map((retry) -> retry.getRetryConfig().getMaxAttempts() == 3).orElse(false),
					"Resilience4j's retry " + name + " is missing or not set up");
		}
		for (String name : new String[] { "bench", "bulkheadOnly" }) {
			check(bulkheads.find(name)
				.map((bulkhead) -> bulkhead.getBulkheadConfig().getMaxConcurrentCalls() == 25)
				.orElse(false), "Resilience4j's bulkhead " + name + " is missing or not set up");
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { this.springContext,
				this.r4jContext, this.oursContext, this.floorContext, this.plainContext }) {
			if (context != null) {
				context.close();
			}
		}
	}

	/** Starts one application context without web server, banner or start-up log. */
	static ConfigurableApplicationContext start(Class<?> application, String... properties) {
		return new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.registerShutdownHook(false)
			.properties("logging.level.root=WARN")
			.properties(properties)
			.run();
	}

	private static void check(boolean condition, String message) {
		if (!condition) {
			throw new IllegalStateException(message);
		}
	}

	/** The method on a bean without a proxy. */
	@Benchmark
	public String direct() {
		return plain.call();
	}

	/** The same method through a Spring AOP proxy with a no-op interceptor: the floor of any advisor. */
	@Benchmark
	public String proxyFloor() {
		return floor.call();
	}

	@Benchmark
	public String oursAnnotations() {
		return ours.all();
	}

	@Benchmark
	public String r4jAnnotations() {
		return r4j.all();
	}

	/** Spring Framework's retry and concurrency limit together; it has no circuit breaker. */
	@Benchmark
	public String springRetryableConcurrencyLimit() {
		return spring.all();
	}

	@Benchmark
	public String oursCircuitBreaker() {
		return ours.circuitBreaker();
	}

	@Benchmark
	public String r4jCircuitBreaker() {
		return r4j.circuitBreaker();
	}

	@Benchmark
	public String oursRetry() {
		return ours.retry();
	}

	@Benchmark
	public String r4jRetry() {
		return r4j.retry();
	}

	@Benchmark
	public String springRetryable() {
		return spring.retry();
	}

	@Benchmark
	public String oursBulkhead() {
		return ours.bulkhead();
	}

	@Benchmark
	public String r4jBulkhead() {
		return r4j.bulkhead();
	}

	@Benchmark
	public String springConcurrencyLimit() {
		return spring.concurrencyLimit();
	}

	/** The baseline's context: only the bean. */
	@Configuration(proxyBeanMethods = false)
	static class PlainApplication {

		@Bean
		PlainService plainService() {
			return new PlainService();
		}

	}

	/**
	 * The floor's context: Spring Boot's auto-proxy creator, as in the library's context,
	 * and one advisor whose interceptor only proceeds.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(AopAutoConfiguration.class)
	static class FloorApplication {

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		static Advisor noOpAdvisor() {
			NameMatchMethodPointcutAdvisor advisor = new NameMatchMethodPointcutAdvisor(
					(MethodInterceptor) (invocation) -> invocation.proceed());
			advisor.setClassFilter(new RootClassFilter(FloorService.class));
			advisor.setMappedName("call");
			return advisor;
		}

		@Bean
		FloorService floorService() {
			return new FloorService();
		}

	}

	/** The library's context: its core and annotation auto-configurations. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ AopAutoConfiguration.class, ResilienceAutoConfiguration.class,
			ResilienceAopAutoConfiguration.class })
	static class OurApplication {

		@Bean
		OurService ourService() {
			return new OurService();
		}

	}

	/** Resilience4j's context: the auto-configurations of its three annotations. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ AopAutoConfiguration.class, CircuitBreakerAutoConfiguration.class,
			RetryAutoConfiguration.class, BulkheadAutoConfiguration.class })
	static class R4jApplication {

		@Bean
		R4jService r4jService() {
			return new R4jService();
		}

	}

	/** Spring Framework's context: its resilient methods, switched on as its documentation shows. */
	@Configuration(proxyBeanMethods = false)
	@EnableResilientMethods
	static class FrameworkApplication {

		@Bean
		SpringService springService() {
			return new SpringService();
		}

	}

	/** Not final, and its field not final either: the JIT must read the field on every call. */
	public static class PlainService {

		private String answer = "ok";

		public String call() {
			return this.answer;
		}

	}

	/** The plain bean's method, proxied with a no-op interceptor. */
	public static class FloorService {

		private String answer = "ok";

		public String call() {
			return this.answer;
		}

	}

	/** The library's annotations; one instance per method, each with the documented defaults. */
	public static class OurService {

		private String answer = "ok";

		@dev.resilience.annotation.Retryable("bench")
		@dev.resilience.annotation.CircuitBreaker("bench")
		@dev.resilience.annotation.Bulkhead("bench")
		public String all() {
			return this.answer;
		}

		@dev.resilience.annotation.CircuitBreaker("breakerOnly")
		public String circuitBreaker() {
			return this.answer;
		}

		@dev.resilience.annotation.Retryable("retryOnly")
		public String retry() {
			return this.answer;
		}

		@dev.resilience.annotation.Bulkhead("bulkheadOnly")
		public String bulkhead() {
			return this.answer;
		}

	}

	/** Resilience4j's annotations; one instance per method, each with the default configuration. */
	public static class R4jService {

		private String answer = "ok";

		@io.github.resilience4j.retry.annotation.Retry(name = "bench")
		@io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker(name = "bench")
		@io.github.resilience4j.bulkhead.annotation.Bulkhead(name = "bench")
		public String all() {
			return this.answer;
		}

		@io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker(name = "breakerOnly")
		public String circuitBreaker() {
			return this.answer;
		}

		@io.github.resilience4j.retry.annotation.Retry(name = "retryOnly")
		public String retry() {
			return this.answer;
		}

		@io.github.resilience4j.bulkhead.annotation.Bulkhead(name = "bulkheadOnly")
		public String bulkhead() {
			return this.answer;
		}

	}

	/**
	 * Spring Framework's annotations with the same settings where it has them: 3 attempts
	 * (2 retries), exponential backoff from 100 ms x2 up to 10 s with jitter, never reached;
	 * 25 concurrent calls, a call beyond them rejected rather than blocked.
	 */
	public static class SpringService {

		private String answer = "ok";

		@org.springframework.resilience.annotation.Retryable(maxRetries = 2, delay = 100, multiplier = 2,
				maxDelay = 10_000, jitter = 50)
		@ConcurrencyLimit(limit = 25, policy = ConcurrencyLimit.ThrottlePolicy.REJECT)
		public String all() {
			return this.answer;
		}

		@org.springframework.resilience.annotation.Retryable(maxRetries = 2, delay = 100, multiplier = 2,
				maxDelay = 10_000, jitter = 50)
		public String retry() {
			return this.answer;
		}

		@ConcurrencyLimit(limit = 25, policy = ConcurrencyLimit.ThrottlePolicy.REJECT)
		public String concurrencyLimit() {
			return this.answer;
		}

	}

}

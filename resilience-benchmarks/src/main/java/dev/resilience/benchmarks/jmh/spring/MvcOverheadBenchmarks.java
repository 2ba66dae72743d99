package dev.resilience.benchmarks.jmh.spring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.ServletException;
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
import org.openjdk.jmh.infra.BenchmarkParams;
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
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockServletConfig;
import org.springframework.mock.web.MockServletContext;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.support.GenericWebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;

import dev.resilience.annotation.Idempotent;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.aop.ResilienceAopAutoConfiguration;
import dev.resilience.autoconfigure.idempotency.IdempotencyAutoConfiguration;
import dev.resilience.autoconfigure.idempotency.IdempotentHandlerAdapter;
import dev.resilience.autoconfigure.web.ResilienceWebMvcAutoConfiguration;
import dev.resilience.core.ResilienceRegistry;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.springboot.bulkhead.autoconfigure.BulkheadAutoConfiguration;
import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration;

/**
 * The cost of the library on an HTTP endpoint of Spring MVC: a {@code POST} with a short
 * text body, answered {@code 200} with a short text, through the
 * {@link DispatcherServlet} called in-process with spring-test's mock request and response
 * (no server, no socket: what is measured is Spring MVC and what the integrations add to
 * it). Every call builds a fresh request and response, in every benchmark alike.
 * <p>
 * Three web application contexts (no web server), each with Spring Boot's MVC
 * auto-configuration and its own dispatcher servlet; a trial starts only the one its
 * benchmark calls:
 * <ul>
 * <li>Spring MVC alone: the plain handler (the baseline), and the same handler on a bean
 * proxied with a no-op interceptor (the floor of any advice on a handler);</li>
 * <li>the library's auto-configurations, as the starter applies them (the advisor, the
 * {@code Idempotency-Key} handler adapter with the in-memory store, the web exception
 * resolver; no metrics registry): a handler without annotations, the same handler with
 * {@code @Retryable @CircuitBreaker @Bulkhead}, and {@code @Idempotent} handlers;</li>
 * <li>Resilience4j 2.4.0's auto-configurations of its three annotations, with the settings
 * of {@link SpringOverheadBenchmarks#R4J_PROPERTIES}: the same handler with
 * {@code @Retry @CircuitBreaker @Bulkhead}.</li>
 * </ul>
 * The idempotent handlers run through the adapter: with one key per thread, every call
 * after the first is a duplicate answered from the store (the replay path); with a key
 * per call, every call claims its key, runs the handler and stores its response (the first
 * call). The keys of the latter come round again from a pool of {@value #KEY_POOL} per
 * thread, with a time to live of 1 ms so that each has expired when it does: the store
 * then stays at a bounded size, as it would in a service whose keys expire.
 * <p>
 * A benchmark fails, rather than measuring an error path, if a response is not 200.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MvcOverheadBenchmarks {

	/** Keys per thread that the first-call benchmark cycles through. */
	public static final int KEY_POOL = 4096;

	private static final byte[] BODY = "gold".getBytes(StandardCharsets.UTF_8);

	private Web mvc;

	private Web ours;

	private Web r4j;

	/** Starts only the context that the trial's benchmark calls: a web context takes seconds. */
	@Setup(Level.Trial)
	public void setUp(BenchmarkParams params) throws ServletException {
		String benchmark = params.getBenchmark();
		start(benchmark.substring(benchmark.lastIndexOf('.') + 1));
	}

	/**
	 * Starts the context of one benchmark, or of all for {@code null}, and checks that its
	 * endpoints answer as the benchmarks expect.
	 * @param benchmark the benchmark method's name, or {@code null}
	 */
	void start(String benchmark) throws ServletException {
		if (benchmark == null || benchmark.equals("plainHandler") || benchmark.equals("proxyFloor")) {
			this.mvc = Web.start(MvcApplication.class);
			check(!AopUtils.isAopProxy(this.mvc.context.getBean(PlainController.class)), "the plain handler is proxied");
			check(AopUtils.isAopProxy(this.mvc.context.getBean(FloorController.class)),
					"the floor's handler is not proxied");
			plainHandler();
			proxyFloor();
		}
		if (benchmark == null || benchmark.startsWith("ours")) {
			this.ours = Web.start(OurApplication.class, "resilience.instances.firstCalls.idempotency.ttl=1ms");
			check(!AopUtils.isAopProxy(this.ours.context.getBean(UnannotatedController.class)),
					"the unannotated handler is proxied");
			check(AopUtils.isAopProxy(this.ours.context.getBean(OurController.class)),
					"the library's handler is not proxied");
			checkOurs();
		}
		if (benchmark == null || benchmark.startsWith("r4j")) {
			this.r4j = Web.start(R4jApplication.class, SpringOverheadBenchmarks.R4J_PROPERTIES);
			check(AopUtils.isAopProxy(this.r4j.context.getBean(R4jController.class)),
					"Resilience4j's handler is not proxied");
			r4jAnnotations();
			check(this.r4j.context.getBean(RetryRegistry.class).find("web").isPresent()
					&& this.r4j.context.getBean(CircuitBreakerRegistry.class).find("web").isPresent()
					&& this.r4j.context.getBean(BulkheadRegistry.class).find("web").isPresent(),
					"Resilience4j's annotations did not create their instances");
		}
	}

	/** The library's endpoints answer, its annotations apply, and the idempotent ones do as they claim. */
	private void checkOurs() throws ServletException {
		oursUnannotated();
		oursAnnotations();
		ResilienceRegistry registry = this.ours.context.getBean(ResilienceRegistry.class);
		check(registry.findRetry("web").isPresent() && registry.findCircuitBreaker("web").isPresent()
				&& registry.findBulkhead("web").isPresent(), "the library's annotations did not create their instances");
		MockHttpServletResponse first = ours.post("/idempotent/replay", "setup-replay");
		MockHttpServletResponse replayed = ours.post("/idempotent/replay", "setup-replay");
		check(first.getHeader(IdempotentHandlerAdapter.REPLAYED_HEADER) == null
				&& "true".equals(replayed.getHeader(IdempotentHandlerAdapter.REPLAYED_HEADER)),
				"the replay endpoint does not replay");
		MockHttpServletResponse unique = ours.post("/idempotent/first", "setup-first");
		check(unique.getHeader(IdempotentHandlerAdapter.REPLAYED_HEADER) == null, "a new key was replayed");
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		for (Web web : new Web[] { this.r4j, this.ours, this.mvc }) {
			if (web != null) {
				web.context.close();
			}
		}
	}

	/** A {@code @RestController} method in an application without the library. */
	@Benchmark
	public MockHttpServletResponse plainHandler() throws ServletException {
		return mvc.post("/plain", null);
	}

	/** The same method on a bean proxied with an interceptor that only proceeds. */
	@Benchmark
	public MockHttpServletResponse proxyFloor() throws ServletException {
		return mvc.post("/floor", null);
	}

	/** The same method, without annotations, in an application with the library. */
	@Benchmark
	public MockHttpServletResponse oursUnannotated() throws ServletException {
		return ours.post("/unannotated", null);
	}

	@Benchmark
	public MockHttpServletResponse oursAnnotations() throws ServletException {
		return ours.post("/ours", null);
	}

	@Benchmark
	public MockHttpServletResponse r4jAnnotations() throws ServletException {
		return r4j.post("/r4j", null);
	}

	/** A duplicate of the thread's first request: answered from the store. */
	@Benchmark
	public MockHttpServletResponse oursIdempotentReplay(Keys keys) throws ServletException {
		return ours.post("/idempotent/replay", keys.replay);
	}

	/** A request with a key of its own: claimed, run, stored and sent. */
	@Benchmark
	public MockHttpServletResponse oursIdempotentFirstCall(Keys keys) throws ServletException {
		return ours.post("/idempotent/first", keys.next());
	}

	private static void check(boolean condition, String message) {
		if (!condition) {
			throw new IllegalStateException(message);
		}
	}

	/** The idempotency keys of one benchmark thread. */
	@State(Scope.Thread)
	public static class Keys {

		private static final AtomicInteger THREADS = new AtomicInteger();

		private final String[] pool = new String[KEY_POOL];

		private String replay;

		private int next;

		@Setup(Level.Trial)
		public void setUp() {
			int thread = THREADS.incrementAndGet();
			for (int i = 0; i < KEY_POOL; i++) {
				this.pool[i] = "first-" + thread + "-" + i;
			}
			this.replay = "replay-" + thread;
		}

		String next() {
			String key = this.pool[this.next];
			this.next = (this.next + 1) % KEY_POOL;
			return key;
		}

	}

	/** One application context and its dispatcher servlet. */
	private static final class Web {

		private final ConfigurableApplicationContext context;

		private final MockServletContext servletContext;

		private final DispatcherServlet dispatcher;

		private Web(ConfigurableApplicationContext context, MockServletContext servletContext,
				DispatcherServlet dispatcher) {
			this.context = context;
			this.servletContext = servletContext;
			this.dispatcher = dispatcher;
		}

		/**
		 * Starts a servlet web application context on a mock servlet context, without web
		 * server, banner or start-up log, and initialises its dispatcher servlet as a
		 * container would.
		 */
		static Web start(Class<?> application, String... properties) throws ServletException {
			MockServletContext servletContext = new MockServletContext();
			ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
				.web(WebApplicationType.SERVLET)
				.contextFactory((type) -> new GenericWebApplicationContext(servletContext))
				.bannerMode(Banner.Mode.OFF)
				.logStartupInfo(false)
				.registerShutdownHook(false)
				.properties("logging.level.root=WARN")
				.properties(properties)
				.run();
			DispatcherServlet dispatcher = context.getBean(DispatcherServlet.class);
			dispatcher.init(new MockServletConfig(servletContext, "dispatcherServlet"));
			return new Web(context, servletContext, dispatcher);
		}

		/**
		 * @param key the {@code Idempotency-Key}, or {@code null} for none
		 * @return the response, which was 200
		 */
		MockHttpServletResponse post(String path, String key) throws ServletException {
			MockHttpServletRequest request = new MockHttpServletRequest(this.servletContext, "POST", path);
			request.setContentType("text/plain");
			request.setContent(BODY);
			if (key != null) {
				request.addHeader(IdempotentHandlerAdapter.KEY_HEADER, key);
			}
			MockHttpServletResponse response = new MockHttpServletResponse();
			try {
				this.dispatcher.service(request, response);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			if (response.getStatus() != 200) {
				throw new IllegalStateException("POST " + path + " answered " + response.getStatus());
			}
			return response;
		}

	}

	/** Spring MVC alone: the baseline handler, and the same handler behind a no-op interceptor. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ AopAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
			DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class })
	static class MvcApplication {

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		static Advisor noOpAdvisor() {
			NameMatchMethodPointcutAdvisor advisor = new NameMatchMethodPointcutAdvisor(
					(MethodInterceptor) (invocation) -> invocation.proceed());
			advisor.setClassFilter(new RootClassFilter(FloorController.class));
			advisor.setMappedName("handle");
			return advisor;
		}

		@Bean
		PlainController plainController() {
			return new PlainController();
		}

		@Bean
		FloorController floorController() {
			return new FloorController();
		}

	}

	/** The library's web-facing auto-configurations, with its in-memory idempotency store. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ AopAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
			DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class, ResilienceAutoConfiguration.class,
			ResilienceAopAutoConfiguration.class, ResilienceWebMvcAutoConfiguration.class,
			IdempotencyAutoConfiguration.class })
	static class OurApplication {

		@Bean
		UnannotatedController unannotatedController() {
			return new UnannotatedController();
		}

		@Bean
		OurController ourController() {
			return new OurController();
		}

		@Bean
		IdempotentController idempotentController() {
			return new IdempotentController();
		}

	}

	/** Resilience4j's auto-configurations of its three annotations. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ AopAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
			DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class,
			CircuitBreakerAutoConfiguration.class, RetryAutoConfiguration.class, BulkheadAutoConfiguration.class })
	static class R4jApplication {

		@Bean
		R4jController r4jController() {
			return new R4jController();
		}

	}

	/** The handler: reads the body as text and answers a field. Not final: CGLIB proxies it. */
	@RestController
	public static class PlainController {

		private String answer = "ok";

		@PostMapping("/plain")
		public String handle(@RequestBody String body) {
			return this.answer;
		}

	}

	@RestController
	public static class FloorController {

		private String answer = "ok";

		@PostMapping("/floor")
		public String handle(@RequestBody String body) {
			return this.answer;
		}

	}

	@RestController
	public static class UnannotatedController {

		private String answer = "ok";

		@PostMapping("/unannotated")
		public String handle(@RequestBody String body) {
			return this.answer;
		}

	}

	/** The library's annotations with its documented defaults. */
	@RestController
	public static class OurController {

		private String answer = "ok";

		@PostMapping("/ours")
		@dev.resilience.annotation.Retryable("web")
		@dev.resilience.annotation.CircuitBreaker("web")
		@dev.resilience.annotation.Bulkhead("web")
		public String handle(@RequestBody String body) {
			return this.answer;
		}

	}

	/** Idempotent by the {@code Idempotency-Key} header, in the in-memory store. */
	@RestController
	public static class IdempotentController {

		private String answer = "ok";

		@PostMapping("/idempotent/replay")
		@Idempotent("replays")
		public String replay(@RequestBody String body) {
			return this.answer;
		}

		@PostMapping("/idempotent/first")
		@Idempotent("firstCalls")
		public String first(@RequestBody String body) {
			return this.answer;
		}

	}

	/** Resilience4j's annotations with the same settings. */
	@RestController
	public static class R4jController {

		private String answer = "ok";

		@PostMapping("/r4j")
		@io.github.resilience4j.retry.annotation.Retry(name = "web")
		@io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker(name = "web")
		@io.github.resilience4j.bulkhead.annotation.Bulkhead(name = "web")
		public String handle(@RequestBody String body) {
			return this.answer;
		}

	}

}

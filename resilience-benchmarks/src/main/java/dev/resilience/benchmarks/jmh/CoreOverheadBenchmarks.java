package dev.resilience.benchmarks.jmh;

import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.resilience.core.CheckedSupplier;
import dev.resilience.core.ResiliencePipeline;
import dev.resilience.core.bulkhead.Bulkhead;
import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.circuitbreaker.fleet.CircuitBreakerFleet;
import dev.resilience.core.circuitbreaker.fleet.InMemoryFleetOutcomeStore;
import dev.resilience.core.retry.Retry;
import dev.resilience.core.retry.RetryConfig;
import dev.resilience.core.time.Ticker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.core.IntervalFunction;

/**
 * The cost of the library's policies on the success path, next to a direct call and to
 * Resilience4j 2.4.0 configured the same way. Every benchmark runs the same call, which
 * returns a field; the instances are shared by all benchmark threads ({@link Scope#Benchmark}),
 * as one named instance is shared by a service's request threads.
 * <p>
 * Settings, both libraries: circuit breaker with a count window of 100 calls, minimum 20
 * calls, 50% failure rate, slow calls from 60 s at 100%, the library's default open period and
 * half-open calls;
 * bulkhead of 25 concurrent calls without waiting; retry of 3 attempts, exponential backoff
 * from 100 ms x2 with jitter (never reached: nothing fails). The library's retry also keeps
 * its retry budget (on by default; Resilience4j has none). The full chain is retry, then
 * breaker, then bulkhead, then the call, in both: the library's {@link ResiliencePipeline}
 * and a Resilience4j supplier decorated three times. The Resilience4j suppliers are
 * decorated once, in the set-up, as an application would hold them; the library's
 * instances are called through {@code execute(CheckedSupplier)}, its allocation-free entry.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CoreOverheadBenchmarks {

	/** Not final: the JIT must read it on every call instead of folding the call away. */
	private String answer = "ok";

	private final CheckedSupplier<String> call = () -> answer;

	private final Supplier<String> supplier = () -> answer;

	private CircuitBreaker circuitBreaker;

	private CircuitBreaker fleetCircuitBreaker;

	private Bulkhead bulkhead;

	private Retry retry;

	private ResiliencePipeline pipeline;

	private Supplier<String> r4jCircuitBreaker;

	private Supplier<String> r4jBulkhead;

	private Supplier<String> r4jRetry;

	private Supplier<String> r4jPipeline;

	@Setup
	public void setUp() {
		CircuitBreakerConfig breakerConfig = CircuitBreakerConfig.defaults();
		BulkheadConfig bulkheadConfig = BulkheadConfig.defaults();
		RetryConfig retryConfig = RetryConfig.defaults();
		this.circuitBreaker = CircuitBreaker.of("bench", breakerConfig);
		// A member of a fleet: it counts each outcome for the store; no exchange runs here.
		CircuitBreakerFleet fleet = CircuitBreakerFleet.create(new InMemoryFleetOutcomeStore(), InstantSource.system(),
				CircuitBreakerFleet.DEFAULT_SYNC_INTERVAL);
		this.fleetCircuitBreaker = CircuitBreaker.of("bench", breakerConfig, Ticker.system(), fleet);
		fleet.join(this.fleetCircuitBreaker);
		this.bulkhead = Bulkhead.of("bench", bulkheadConfig);
		this.retry = Retry.of("bench", retryConfig);
		this.pipeline = ResiliencePipeline.builder("bench")
			.retry(retryConfig)
			.circuitBreaker(breakerConfig)
			.bulkhead(bulkheadConfig)
			.build();

		var r4jBreaker = io.github.resilience4j.circuitbreaker.CircuitBreaker.of("bench",
				io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
					.slidingWindowType(SlidingWindowType.COUNT_BASED)
					.slidingWindowSize(breakerConfig.slidingWindowSize())
					.minimumNumberOfCalls(breakerConfig.minimumCalls())
					.failureRateThreshold((float) breakerConfig.failureRateThreshold())
					.slowCallDurationThreshold(breakerConfig.slowCallDuration())
					.slowCallRateThreshold((float) breakerConfig.slowCallRateThreshold())
					.waitDurationInOpenState(breakerConfig.openDuration())
					.permittedNumberOfCallsInHalfOpenState(breakerConfig.halfOpenCalls())
					.build());
		var r4jBulkheadInstance = io.github.resilience4j.bulkhead.Bulkhead.of("bench",
				io.github.resilience4j.bulkhead.BulkheadConfig.custom()
					.maxConcurrentCalls(bulkheadConfig.maxConcurrentCalls())
					.maxWaitDuration(bulkheadConfig.maxWait())
					.build());
		var r4jRetryInstance = io.github.resilience4j.retry.Retry.of("bench",
				io.github.resilience4j.retry.RetryConfig.custom()
					.maxAttempts(retryConfig.maxAttempts())
					.intervalFunction(IntervalFunction.ofExponentialRandomBackoff(retryConfig.initialBackoff(),
							retryConfig.multiplier(), 0.5, retryConfig.maxBackoff()))
					.build());
		this.r4jCircuitBreaker = io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateSupplier(r4jBreaker,
				supplier);
		this.r4jBulkhead = io.github.resilience4j.bulkhead.Bulkhead.decorateSupplier(r4jBulkheadInstance, supplier);
		this.r4jRetry = io.github.resilience4j.retry.Retry.decorateSupplier(r4jRetryInstance, supplier);
		this.r4jPipeline = io.github.resilience4j.retry.Retry.decorateSupplier(r4jRetryInstance,
				io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateSupplier(r4jBreaker,
						io.github.resilience4j.bulkhead.Bulkhead.decorateSupplier(r4jBulkheadInstance, supplier)));
	}

	/** The call itself, through the same interface the policies call it through. */
	@Benchmark
	public String direct() {
		return supplier.get();
	}

	/** One read of the clock the breakers and the budget use, for reading the others. */
	@Benchmark
	public long clockRead() {
		return System.nanoTime();
	}

	@Benchmark
	public String oursCircuitBreaker() throws Throwable {
		return circuitBreaker.execute(call);
	}

	@Benchmark
	public String oursFleetCircuitBreaker() throws Throwable {
		return fleetCircuitBreaker.execute(call);
	}

	@Benchmark
	public String oursBulkhead() throws Throwable {
		return bulkhead.execute(call);
	}

	@Benchmark
	public String oursRetry() throws Throwable {
		return retry.execute(call);
	}

	@Benchmark
	public String oursPipeline() throws Throwable {
		return pipeline.execute(call);
	}

	/** The pipeline through its {@code Supplier} convenience, which wraps the supplier per call. */
	@Benchmark
	public String oursPipelineSupplier() {
		return pipeline.get(supplier);
	}

	@Benchmark
	public String r4jCircuitBreaker() {
		return r4jCircuitBreaker.get();
	}

	@Benchmark
	public String r4jBulkhead() {
		return r4jBulkhead.get();
	}

	@Benchmark
	public String r4jRetry() {
		return r4jRetry.get();
	}

	@Benchmark
	public String r4jPipeline() {
		return r4jPipeline.get();
	}

}

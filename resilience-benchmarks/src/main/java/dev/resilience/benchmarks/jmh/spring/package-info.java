/**
 * The Spring-level overhead benchmarks: {@link dev.resilience.benchmarks.jmh.spring.SpringOverheadBenchmarks}
 * measures the annotations ({@code @Retryable}, {@code @CircuitBreaker}, {@code @Bulkhead})
 * through the library's advisor on a bean, against the same bean method without a proxy,
 * against Resilience4j's Spring Boot 4 integration with equal settings and against Spring
 * Framework's own {@code @Retryable} and {@code @ConcurrencyLimit};
 * {@link dev.resilience.benchmarks.jmh.spring.MvcOverheadBenchmarks} measures an HTTP
 * endpoint through Spring MVC's dispatcher servlet, plain, with the library's annotations,
 * with Resilience4j's, and idempotent through the {@code Idempotency-Key} adapter. Each
 * benchmark class here has a {@code Section} in
 * {@code dev.resilience.benchmarks.jmh.OverheadReport.SECTIONS}, which reports it with the
 * same columns as the core benchmarks.
 */
package dev.resilience.benchmarks.jmh.spring;

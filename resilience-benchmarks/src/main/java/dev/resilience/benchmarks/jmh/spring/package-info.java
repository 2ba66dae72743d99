/**
 * Reserved for the Spring-level overhead benchmarks, which a later task adds: the
 * annotations ({@code @Retryable}, {@code @CircuitBreaker}, {@code @Bulkhead}) through the
 * Spring aspect on a bean, against the same bean called directly and against Resilience4j's
 * Spring Boot integration with equal settings. Each benchmark class here gets a
 * {@code Section} in {@code dev.resilience.benchmarks.jmh.OverheadReport.SECTIONS}, which
 * then reports it with the same columns as the core benchmarks.
 */
package dev.resilience.benchmarks.jmh.spring;

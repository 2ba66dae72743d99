/**
 * The annotations a Spring Boot application puts on its methods: {@link Retryable},
 * {@link CircuitBreaker}, {@link Bulkhead} and {@link Idempotent}.
 */
package dev.resilience.annotation;

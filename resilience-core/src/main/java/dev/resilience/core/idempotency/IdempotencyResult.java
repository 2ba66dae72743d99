package dev.resilience.core.idempotency;

/**
 * What an idempotent call returned, and whether it was replayed from the store rather
 * than run (a web integration answers a replay with {@code Idempotent-Replayed: true}).
 *
 * @param <T> the result type
 * @param value the result
 * @param replayed whether the call did not run and the stored result was returned
 */
public record IdempotencyResult<T>(T value, boolean replayed) {
}

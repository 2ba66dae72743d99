package dev.resilience.core.retry;

import java.time.Duration;

/**
 * A failure that says how long the caller should wait before trying again, as an HTTP
 * {@code 429} or {@code 503} response does with its {@code Retry-After} header.
 * <p>
 * A {@link Retry} that retries such a failure waits at least that long: the wait is the
 * larger of its own backoff and {@link #retryAfter()}. When {@link #retryAfter()} exceeds
 * the policy's {@link RetryConfig#maxBackoff() maxBackoff}, the retry gives up at once and
 * the failure propagates: the caller would rather fail now than wait longer than it
 * allows itself.
 */
public interface RetryAfterAware {

	/**
	 * @return the shortest wait before the next attempt; {@code null}, zero or negative
	 * when the failure names none
	 */
	Duration retryAfter();

}

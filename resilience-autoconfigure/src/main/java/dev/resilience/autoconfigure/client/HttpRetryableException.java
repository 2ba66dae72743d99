package dev.resilience.autoconfigure.client;

import java.nio.charset.Charset;
import java.time.Duration;

import dev.resilience.core.retry.RetryAfterAware;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.RestClientResponseException;

/**
 * A remote service answered {@code 429 Too Many Requests} or {@code 503 Service
 * Unavailable} without saying it is overloaded: worth retrying, but not before its
 * {@code Retry-After}. A {@code @Retryable} call waits at least {@link #retryAfter()}
 * before its next attempt, and gives up at once when that exceeds its
 * {@code max-backoff}.
 * <p>
 * A {@link RestClientResponseException}, so that code catching that type for a
 * RestClient call keeps working.
 */
public final class HttpRetryableException extends RestClientResponseException implements RetryAfterAware {

	private static final long serialVersionUID = 1L;

	private final Duration retryAfter;

	/**
	 * @param message the message
	 * @param status the response status
	 * @param statusText the response's reason phrase
	 * @param headers the response headers
	 * @param body the response body
	 * @param charset the body's charset, or {@code null}
	 * @param retryAfter the response's {@code Retry-After}, or {@code null}
	 */
	public HttpRetryableException(String message, HttpStatusCode status, String statusText, HttpHeaders headers,
			byte[] body, Charset charset, Duration retryAfter) {
		super(message, status, statusText, headers, body, charset);
		this.retryAfter = retryAfter;
	}

	/**
	 * @return the response's {@code Retry-After}, or {@code null} when it sent none
	 */
	@Override
	public Duration retryAfter() {
		return this.retryAfter;
	}

}

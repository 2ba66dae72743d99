package dev.resilience.autoconfigure.client;

import java.nio.charset.Charset;
import java.time.Duration;

import dev.resilience.core.retry.NonRetryable;
import dev.resilience.core.retry.RetryAfterAware;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.RestClientResponseException;

/**
 * A remote service refused the call under overload and said so with
 * {@code Resilience-Overloaded: true}: an open circuit breaker, a full bulkhead or its load
 * shedder. A {@code @Retryable} call does not retry it (it is {@link NonRetryable}): the
 * layer next to the failure has already decided, and retrying from further away would
 * only multiply the load. When it escapes a Spring MVC handler, this service answers its
 * own caller with 503 and the same header, so the refusal travels up without retries.
 * <p>
 * A {@link RestClientResponseException}, so that code catching that type for a
 * RestClient call keeps working.
 */
public final class HttpOverloadedException extends RestClientResponseException
		implements NonRetryable, RetryAfterAware {

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
	public HttpOverloadedException(String message, HttpStatusCode status, String statusText, HttpHeaders headers,
			byte[] body, Charset charset, Duration retryAfter) {
		super(message, status, statusText, headers, body, charset);
		this.retryAfter = retryAfter;
	}

	/**
	 * @return the response's {@code Retry-After}, or {@code null} when it sent none; only
	 * informative, since the call is not retried
	 */
	@Override
	public Duration retryAfter() {
		return this.retryAfter;
	}

}

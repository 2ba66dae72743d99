package dev.resilience.autoconfigure.client;

import java.net.URI;
import java.nio.charset.Charset;
import java.time.Clock;
import java.time.Duration;

import dev.resilience.autoconfigure.web.ResilienceHttpHeaders;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClientResponseException;

/**
 * Turns a {@code 429} or {@code 503} answer into the failure a retry understands, for
 * RestClient and WebClient alike.
 */
final class HttpFailures {

	private HttpFailures() {
	}

	/**
	 * @param status a response status
	 * @return whether it is one this library turns into an {@link HttpRetryableException}
	 * or {@link HttpOverloadedException}
	 */
	static boolean isHandled(HttpStatusCode status) {
		return status.value() == 429 || status.value() == 503;
	}

	/**
	 * @return an {@link HttpOverloadedException} when the response says
	 * {@code Resilience-Overloaded: true}, an {@link HttpRetryableException} otherwise
	 */
	static RestClientResponseException of(HttpMethod method, URI uri, HttpStatusCode status, String statusText,
			HttpHeaders headers, byte[] body, Clock clock) {
		Duration retryAfter = RetryAfter.parse(headers, clock);
		MediaType contentType = headers.getContentType();
		Charset charset = (contentType != null) ? contentType.getCharset() : null;
		boolean overloaded = ResilienceHttpHeaders.isTrue(headers.getFirst(ResilienceHttpHeaders.OVERLOADED));
		String message = status.value() + ((statusText != null && !statusText.isEmpty()) ? " " + statusText : "")
				+ " from " + method + " " + uri
				+ (overloaded ? " (overloaded: not retried)" : "")
				+ ((retryAfter != null) ? ", Retry-After " + retryAfter.toSeconds() + "s" : "");
		if (overloaded) {
			return new HttpOverloadedException(message, status, statusText, headers, body, charset, retryAfter);
		}
		return new HttpRetryableException(message, status, statusText, headers, body, charset, retryAfter);
	}

}

package dev.resilience.autoconfigure.client;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Objects;

import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.client.RestClient;

/**
 * Makes a {@link RestClient} work with retries across services: requests of a retry
 * carry {@code Resilience-Attempt}, and a {@code 429} or {@code 503} answer becomes an
 * {@link HttpRetryableException} carrying its {@code Retry-After}, or, with
 * {@code Resilience-Overloaded: true}, an {@link HttpOverloadedException} that is never
 * retried.
 * <p>
 * The answers are mapped by a default status handler, so a handler the code registers
 * with {@code retrieve().onStatus(...)} still sees them first, and {@code exchange(...)}
 * still receives the raw response. Applied to every auto-configured
 * {@code RestClient.Builder}; apply it to a builder of your own with
 * {@link #customize(RestClient.Builder)}.
 */
public final class ResilienceRestClientCustomizer implements RestClientCustomizer {

	private final RetryAttemptClientHttpRequestInterceptor interceptor = new RetryAttemptClientHttpRequestInterceptor();

	private final Clock clock;

	/**
	 * A customizer that reads an HTTP-date {@code Retry-After} against the response's
	 * {@code Date} header, or the system clock.
	 */
	public ResilienceRestClientCustomizer() {
		this(Clock.systemUTC());
	}

	/**
	 * @param clock the clock an HTTP-date {@code Retry-After} is measured against when the
	 * response has no {@code Date} header
	 */
	public ResilienceRestClientCustomizer(Clock clock) {
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
	}

	@Override
	public void customize(RestClient.Builder builder) {
		builder.requestInterceptor(this.interceptor)
			.defaultStatusHandler(HttpFailures::isHandled, this::handle);
	}

	private void handle(HttpRequest request, ClientHttpResponse response) throws IOException {
		throw HttpFailures.of(request.getMethod(), request.getURI(), response.getStatusCode(),
				response.getStatusText(), response.getHeaders(), body(response), this.clock);
	}

	private static byte[] body(ClientHttpResponse response) {
		try (InputStream in = response.getBody()) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			// The status and headers are what matters; a body that cannot be read is left out.
			return new byte[0];
		}
	}

}

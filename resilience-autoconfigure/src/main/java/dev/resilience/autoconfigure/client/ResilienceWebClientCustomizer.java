package dev.resilience.autoconfigure.client;

import java.time.Clock;
import java.util.Objects;

import dev.resilience.autoconfigure.web.ResilienceHttpHeaders;
import dev.resilience.core.retry.RetryContext;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Makes a {@link WebClient} work with retries across services, as
 * {@link ResilienceRestClientCustomizer} does for RestClient: requests of a retry carry
 * {@code Resilience-Attempt}, and a {@code 429} or {@code 503} answer to
 * {@code retrieve()} fails with an {@link HttpRetryableException} or an
 * {@link HttpOverloadedException}.
 * <p>
 * The attempt number is read when the request is created ({@code webClient.get()}), on
 * the thread of the retrying call, so it is right even when the exchange later runs on
 * another thread.
 */
public final class ResilienceWebClientCustomizer implements WebClientCustomizer {

	private final Clock clock;

	/**
	 * A customizer that reads an HTTP-date {@code Retry-After} against the response's
	 * {@code Date} header, or the system clock.
	 */
	public ResilienceWebClientCustomizer() {
		this(Clock.systemUTC());
	}

	/**
	 * @param clock the clock an HTTP-date {@code Retry-After} is measured against when the
	 * response has no {@code Date} header
	 */
	public ResilienceWebClientCustomizer(Clock clock) {
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
	}

	@Override
	public void customize(WebClient.Builder builder) {
		builder.defaultRequest((request) -> {
			int attempt = RetryContext.currentAttempt();
			if (attempt > 1) {
				request.header(ResilienceHttpHeaders.ATTEMPT, Integer.toString(attempt));
			}
		}).defaultStatusHandler(HttpFailures::isHandled, this::failure);
	}

	private Mono<? extends Throwable> failure(ClientResponse response) {
		return response.bodyToMono(byte[].class)
			.defaultIfEmpty(new byte[0])
			.map((body) -> HttpFailures.of(response.request().getMethod(), response.request().getURI(),
					response.statusCode(), statusText(response), response.headers().asHttpHeaders(), body,
					this.clock));
	}

	private static String statusText(ClientResponse response) {
		org.springframework.http.HttpStatus status = org.springframework.http.HttpStatus
			.resolve(response.statusCode().value());
		return (status != null) ? status.getReasonPhrase() : "";
	}

}

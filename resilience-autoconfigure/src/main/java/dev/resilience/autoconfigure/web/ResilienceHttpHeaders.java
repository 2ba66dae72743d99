package dev.resilience.autoconfigure.web;

/**
 * The HTTP headers by which services using this library tell each other about retries
 * and overload. They are documented, with their rules, in {@code docs/http-headers.md}.
 */
public final class ResilienceHttpHeaders {

	/**
	 * Request header: the attempt number of a retried request, 2 for the first retry. Sent
	 * by the RestClient and WebClient integration from a retrying call's
	 * {@code RetryContext.currentAttempt()}; absent on a first attempt.
	 */
	public static final String ATTEMPT = "Resilience-Attempt";

	/**
	 * Response header: {@code true} when the answer is a refusal under overload (an open
	 * circuit breaker, a full bulkhead, the load shedder). Clients using this library do
	 * not retry such an answer: the layer next to the failure has already decided.
	 */
	public static final String OVERLOADED = "Resilience-Overloaded";

	/**
	 * Request header: the request's priority for the load shedder, {@code critical},
	 * {@code normal} or {@code sheddable}.
	 */
	public static final String PRIORITY = "Resilience-Priority";

	private ResilienceHttpHeaders() {
	}

	/**
	 * @param value a header value
	 * @return whether it is {@code true}, in any case
	 */
	public static boolean isTrue(String value) {
		return value != null && "true".equalsIgnoreCase(value.trim());
	}

}

package dev.resilience.autoconfigure.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import org.springframework.http.HttpHeaders;

/**
 * Reads a {@code Retry-After} header (RFC 9110, section 10.2.3): delay-seconds or an
 * HTTP-date.
 */
final class RetryAfter {

	private RetryAfter() {
	}

	/**
	 * An HTTP-date is measured against the response's own {@code Date} header when it has
	 * one, so that a skew between the two machines' clocks does not change the wait; only
	 * without it is the local clock read.
	 * @param headers the response headers
	 * @param clock the local clock, for an HTTP-date without a {@code Date} header
	 * @return the wait, zero for a date in the past, or {@code null} when the header is
	 * absent or malformed
	 */
	static Duration parse(HttpHeaders headers, Clock clock) {
		String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
		if (value == null || value.isBlank()) {
			return null;
		}
		value = value.trim();
		if (value.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			// More digits than a long holds is still "longer than anyone waits".
			return (value.length() > 18) ? Duration.ofSeconds(Long.MAX_VALUE) : Duration.ofSeconds(Long.parseLong(value));
		}
		Instant until = httpDate(value);
		if (until == null) {
			return null;
		}
		Instant now = httpDate(headers.getFirst(HttpHeaders.DATE));
		Duration wait = Duration.between((now != null) ? now : clock.instant(), until);
		return wait.isNegative() ? Duration.ZERO : wait;
	}

	private static Instant httpDate(String value) {
		if (value == null) {
			return null;
		}
		try {
			return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}

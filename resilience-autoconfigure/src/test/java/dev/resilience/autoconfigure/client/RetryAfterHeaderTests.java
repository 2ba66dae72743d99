package dev.resilience.autoconfigure.client;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterHeaderTests {

	private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

	private static HttpHeaders headers(String... namesAndValues) {
		HttpHeaders headers = new HttpHeaders();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			headers.add(namesAndValues[i], namesAndValues[i + 1]);
		}
		return headers;
	}

	@Test
	void readsDelaySeconds() {
		assertThat(RetryAfter.parse(headers("Retry-After", "120"), this.clock)).isEqualTo(Duration.ofMinutes(2));
		assertThat(RetryAfter.parse(headers("Retry-After", " 0 "), this.clock)).isEqualTo(Duration.ZERO);
	}

	@Test
	void absurdlyLongDelayIsStillLongerThanAnyCap() {
		assertThat(RetryAfter.parse(headers("Retry-After", "99999999999999999999999"), this.clock))
			.isEqualTo(Duration.ofSeconds(Long.MAX_VALUE));
	}

	@Test
	void measuresAnHttpDateAgainstTheResponsesOwnDate() {
		HttpHeaders headers = headers("Retry-After", "Sun, 01 Mar 2026 10:00:30 GMT", "Date",
				"Sun, 01 Mar 2026 10:00:00 GMT");
		assertThat(RetryAfter.parse(headers, this.clock)).as("the local clock is two hours ahead: not used")
			.isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void measuresAnHttpDateAgainstTheLocalClockWithoutADateHeader() {
		assertThat(RetryAfter.parse(headers("Retry-After", "Sun, 01 Mar 2026 12:00:05 GMT"), this.clock))
			.isEqualTo(Duration.ofSeconds(5));
		assertThat(RetryAfter.parse(headers("Retry-After", "Sun, 01 Mar 2026 11:00:00 GMT"), this.clock))
			.as("a date in the past").isEqualTo(Duration.ZERO);
	}

	@Test
	void ignoresAMissingOrMalformedHeader() {
		assertThat(RetryAfter.parse(headers(), this.clock)).isNull();
		assertThat(RetryAfter.parse(headers("Retry-After", "soon"), this.clock)).isNull();
		assertThat(RetryAfter.parse(headers("Retry-After", "-5"), this.clock)).isNull();
	}

	@Test
	void overloadedHeaderMakesTheFailureNonRetryableOnAnyHandledStatus() {
		assertThat(HttpFailures.of(HttpMethod.GET, URI.create("http://127.0.0.1/x"), HttpStatusCode.valueOf(429),
				"Too Many Requests", headers("Resilience-Overloaded", "TRUE", "Retry-After", "3"), new byte[0],
				this.clock))
			.isInstanceOf(HttpOverloadedException.class)
			.hasMessage("429 Too Many Requests from GET http://127.0.0.1/x (overloaded: not retried), Retry-After 3s");
		assertThat(HttpFailures.of(HttpMethod.GET, URI.create("http://127.0.0.1/x"), HttpStatusCode.valueOf(503), "",
				headers("Resilience-Overloaded", "false"), new byte[0], this.clock))
			.isInstanceOf(HttpRetryableException.class)
			.hasMessage("503 from GET http://127.0.0.1/x");
		assertThat(HttpFailures.isHandled(HttpStatusCode.valueOf(500))).isFalse();
		assertThat(HttpFailures.isHandled(HttpStatusCode.valueOf(429))).isTrue();
	}

}

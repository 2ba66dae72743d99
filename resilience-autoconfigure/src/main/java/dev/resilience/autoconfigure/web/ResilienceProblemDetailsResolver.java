package dev.resilience.autoconfigure.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.resilience.core.ResilienceException;
import dev.resilience.core.bulkhead.BulkheadFullException;
import dev.resilience.core.circuitbreaker.CallNotPermittedException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Turns the library's refusals into RFC 9457 problem details: 503 with
 * {@code Retry-After} for an open circuit breaker or a full bulkhead, and the statuses of
 * the idempotency rules. It runs after every {@code @ExceptionHandler} of the
 * application, so an application that handles these exceptions itself keeps its answer.
 */
public final class ResilienceProblemDetailsResolver implements HandlerExceptionResolver, Ordered {

	/** Media type of a problem detail. */
	static final String PROBLEM_JSON = "application/problem+json";

	private final List<ProblemMapping> mappings = new ArrayList<>();

	public ResilienceProblemDetailsResolver() {
		mappings.add(new ProblemMapping(CallNotPermittedException.class, HttpStatus.SERVICE_UNAVAILABLE,
				"Circuit breaker open",
				(ex) -> retryAfterSeconds(((CallNotPermittedException) ex).retryAfter())));
		mappings.add(new ProblemMapping(BulkheadFullException.class, HttpStatus.SERVICE_UNAVAILABLE,
				"Too many concurrent calls", (ex) -> 1L));
	}

	/**
	 * Adds a mapping for another exception type of the library.
	 * @param type the exception type
	 * @param status the status it answers
	 * @param title the problem's title
	 */
	public void map(Class<? extends ResilienceException> type, HttpStatus status, String title) {
		mappings.add(new ProblemMapping(type, status, title, (ex) -> null));
	}

	@Override
	public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
			Exception ex) {
		if (!(ex instanceof ResilienceException) || response.isCommitted()) {
			return null;
		}
		for (ProblemMapping mapping : mappings) {
			if (mapping.type().isInstance(ex)) {
				write(request, response, mapping, ex);
				return new ModelAndView();
			}
		}
		return null;
	}

	private void write(HttpServletRequest request, HttpServletResponse response, ProblemMapping mapping,
			Exception ex) {
		response.reset();
		response.setStatus(mapping.status().value());
		Long retryAfter = mapping.retryAfter().apply(ex);
		if (retryAfter != null) {
			response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
		}
		if (ex instanceof CallNotPermittedException || ex instanceof BulkheadFullException) {
			// A refusal under overload: callers using this library must not retry it.
			response.setHeader(ResilienceHttpHeaders.OVERLOADED, "true");
		}
		response.setContentType(PROBLEM_JSON);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		String body = "{\"type\":\"about:blank\",\"title\":" + quote(mapping.title()) + ",\"status\":"
				+ mapping.status().value() + ",\"detail\":" + quote(ex.getMessage()) + ",\"instance\":"
				+ quote(request.getRequestURI()) + "}";
		try {
			response.getWriter().write(body);
			response.flushBuffer();
		}
		catch (IOException failure) {
			throw new UncheckedIOException(failure);
		}
	}

	/**
	 * Whole seconds, rounded up, and at least one: {@code Retry-After: 0} would invite an
	 * immediate retry into the same refusal.
	 */
	static long retryAfterSeconds(Duration retryAfter) {
		if (retryAfter == null || retryAfter.isNegative() || retryAfter.isZero()) {
			return 1;
		}
		long seconds = retryAfter.getSeconds() + ((retryAfter.getNano() > 0) ? 1 : 0);
		return Math.max(1, seconds);
	}

	static String quote(String value) {
		if (value == null) {
			return "null";
		}
		StringBuilder json = new StringBuilder(value.length() + 2).append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				case '\n' -> json.append("\\n");
				case '\r' -> json.append("\\r");
				case '\t' -> json.append("\\t");
				default -> {
					if (c < 0x20) {
						json.append(String.format("\\u%04x", (int) c));
					}
					else {
						json.append(c);
					}
				}
			}
		}
		return json.append('"').toString();
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	private record ProblemMapping(Class<? extends Exception> type, HttpStatus status, String title,
			java.util.function.Function<Exception, Long> retryAfter) {
	}

}

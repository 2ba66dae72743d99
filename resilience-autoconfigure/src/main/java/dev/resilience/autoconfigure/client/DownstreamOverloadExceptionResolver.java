package dev.resilience.autoconfigure.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.resilience.autoconfigure.web.ResilienceHttpHeaders;
import dev.resilience.core.retry.RetryAfterAware;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Answers {@code 503} with {@code Retry-After} and {@code Resilience-Overloaded: true} when
 * an {@link HttpOverloadedException} or an {@link HttpRetryableException} escapes a
 * Spring MVC handler: a service this one calls is overloaded, and this service, the layer
 * next to that failure, has already retried (or chosen not to). Its own callers must not
 * retry again, or attempts would multiply layer by layer.
 * <p>
 * Runs after the application's own {@code @ExceptionHandler}s, which keep their say.
 */
public final class DownstreamOverloadExceptionResolver implements HandlerExceptionResolver, Ordered {

	@Override
	public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
			Exception ex) {
		if (!(ex instanceof HttpOverloadedException || ex instanceof HttpRetryableException)
				|| response.isCommitted()) {
			return null;
		}
		response.reset();
		response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds(((RetryAfterAware) ex).retryAfter())));
		response.setHeader(ResilienceHttpHeaders.OVERLOADED, "true");
		response.setContentType("application/problem+json");
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		try {
			// The downstream message may hold its URL; the caller is told only what it needs.
			response.getWriter()
				.write("{\"type\":\"about:blank\",\"title\":\"Dependency overloaded\",\"status\":503,"
						+ "\"detail\":\"A service this one depends on is overloaded.\"}");
			response.flushBuffer();
		}
		catch (IOException failure) {
			throw new UncheckedIOException(failure);
		}
		return new ModelAndView();
	}

	/** Whole seconds, rounded up, at least one: {@code Retry-After: 0} would invite a retry now. */
	private static long seconds(Duration retryAfter) {
		if (retryAfter == null || retryAfter.isNegative() || retryAfter.isZero()) {
			return 1;
		}
		return Math.max(1, retryAfter.getSeconds() + ((retryAfter.getNano() > 0) ? 1 : 0));
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}

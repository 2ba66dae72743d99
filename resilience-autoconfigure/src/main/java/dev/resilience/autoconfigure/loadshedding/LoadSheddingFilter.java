package dev.resilience.autoconfigure.loadshedding;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.resilience.autoconfigure.properties.LoadSheddingSettings;
import dev.resilience.autoconfigure.web.ResilienceHttpHeaders;
import dev.resilience.core.bulkhead.Bulkhead;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.PathContainer;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Sheds inbound requests past the {@link LoadShedder}'s limit: a shed request gets
 * {@code 503}, {@code Retry-After} and {@code Resilience-Overloaded: true} at once, without
 * reaching the application. Exempt paths (the actuator, health probes) always pass.
 * <p>
 * A request's priority is, in this order: the priority header when it names one, the
 * first matching route, the default. A retried request ({@code Resilience-Attempt} of 2 or
 * more) counts one priority lower, so that under overload first attempts go before
 * retries. An admitted request holds its permit until it ends, asynchronous processing
 * included; its latency feeds the adaptive limit, and a {@code 5xx} answer counts as a
 * failure, which can only lower the limit.
 */
public final class LoadSheddingFilter extends OncePerRequestFilter {

	private final LoadShedder shedder;

	private final List<PathPattern> exemptPaths = new ArrayList<>();

	private final List<Map.Entry<PathPattern, RequestPriority>> routes = new ArrayList<>();

	private final String priorityHeader;

	private final RequestPriority defaultPriority;

	private final String retryAfterSeconds;

	/**
	 * @param shedder decides which requests run
	 */
	public LoadSheddingFilter(LoadShedder shedder) {
		this.shedder = shedder;
		LoadSheddingSettings settings = shedder.settings();
		PathPatternParser parser = PathPatternParser.defaultInstance;
		for (String path : settings.exemptPaths()) {
			this.exemptPaths.add(parser.parse(path));
		}
		settings.routes().forEach((path, priority) -> this.routes.add(Map.entry(parser.parse(path), priority)));
		this.priorityHeader = settings.priorityHeader();
		this.defaultPriority = settings.defaultPriority();
		long seconds = settings.retryAfter().toSeconds() + ((settings.retryAfter().toNanosPart() > 0) ? 1 : 0);
		this.retryAfterSeconds = Long.toString(Math.max(1, seconds));
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		PathContainer path = path(request);
		for (PathPattern exempt : this.exemptPaths) {
			if (exempt.matches(path)) {
				return true;
			}
		}
		return false;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Bulkhead.Permit permit = this.shedder.tryAdmit(priority(request));
		if (permit == null) {
			shed(request, response);
			return;
		}
		boolean released = false;
		try {
			chain.doFilter(request, response);
			if (request.isAsyncStarted()) {
				request.getAsyncContext().addListener(new ReleaseOnComplete(permit));
				released = true;
			}
		}
		catch (IOException | ServletException | RuntimeException | Error ex) {
			released = true;
			permit.releaseFailed();
			throw ex;
		}
		finally {
			if (!released) {
				release(permit, response);
			}
		}
	}

	RequestPriority priority(HttpServletRequest request) {
		RequestPriority priority = null;
		if (this.priorityHeader != null) {
			priority = RequestPriority.parse(request.getHeader(this.priorityHeader));
		}
		if (priority == null && !this.routes.isEmpty()) {
			PathContainer path = path(request);
			for (Map.Entry<PathPattern, RequestPriority> route : this.routes) {
				if (route.getKey().matches(path)) {
					priority = route.getValue();
					break;
				}
			}
		}
		if (priority == null) {
			priority = this.defaultPriority;
		}
		return isRetry(request) ? priority.lower() : priority;
	}

	private static boolean isRetry(HttpServletRequest request) {
		String attempt = request.getHeader(ResilienceHttpHeaders.ATTEMPT);
		if (attempt == null) {
			return false;
		}
		try {
			return Integer.parseInt(attempt.trim()) > 1;
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

	private void shed(HttpServletRequest request, HttpServletResponse response) throws IOException {
		response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
		response.setHeader(HttpHeaders.RETRY_AFTER, this.retryAfterSeconds);
		response.setHeader(ResilienceHttpHeaders.OVERLOADED, "true");
		response.setContentType("application/problem+json");
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		// No request data in the body: nothing to escape, and nothing to spend time on.
		response.getWriter()
			.write("{\"type\":\"about:blank\",\"title\":\"Service overloaded\",\"status\":503,"
					+ "\"detail\":\"The service is at its concurrency limit; retry after " + this.retryAfterSeconds
					+ " s.\"}");
		response.flushBuffer();
	}

	private static void release(Bulkhead.Permit permit, HttpServletResponse response) {
		if (response.getStatus() >= 500) {
			permit.releaseFailed();
		}
		else {
			permit.release();
		}
	}

	private static PathContainer path(HttpServletRequest request) {
		String uri = request.getRequestURI();
		String contextPath = request.getContextPath();
		if (contextPath != null && !contextPath.isEmpty() && uri.startsWith(contextPath)) {
			uri = uri.substring(contextPath.length());
		}
		return PathContainer.parsePath(uri.isEmpty() ? "/" : uri);
	}

	/**
	 * Releases an asynchronous request's permit when it completes; completion follows a
	 * timeout or an error too, so those only mark the request failed.
	 */
	private static final class ReleaseOnComplete implements AsyncListener {

		private final Bulkhead.Permit permit;

		private volatile boolean failed;

		ReleaseOnComplete(Bulkhead.Permit permit) {
			this.permit = permit;
		}

		@Override
		public void onComplete(AsyncEvent event) {
			HttpServletResponse response = (HttpServletResponse) event.getSuppliedResponse();
			if (this.failed || (response != null && response.getStatus() >= 500)) {
				this.permit.releaseFailed();
			}
			else {
				this.permit.release();
			}
		}

		@Override
		public void onTimeout(AsyncEvent event) {
			this.failed = true;
		}

		@Override
		public void onError(AsyncEvent event) {
			this.failed = true;
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
			// Re-register for the next round of asynchronous processing.
			event.getAsyncContext().addListener(this);
		}

	}

}

package dev.resilience.autoconfigure.slo;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.server.observation.ServerRequestObservationContext;

import dev.resilience.core.time.Ticker;

/**
 * Feeds the HTTP objectives from Spring MVC's request observations
 * ({@code http.server.requests}): one event per observed request, timed from the
 * observation's start to its stop, with the status the response has then (the
 * observation filter sets 500 for an exception that escapes the application).
 */
public final class HttpErrorBudgetObservationHandler implements ObservationHandler<ServerRequestObservationContext> {

	/** Where the start is kept in the observation's context. */
	private static final Object START_KEY = HttpErrorBudgetObservationHandler.class.getName() + ".start";

	private final HttpErrorBudgets budgets;

	private final Ticker ticker;

	/**
	 * @param budgets the objectives
	 * @param ticker measures the requests' durations
	 */
	public HttpErrorBudgetObservationHandler(HttpErrorBudgets budgets, Ticker ticker) {
		this.budgets = budgets;
		this.ticker = ticker;
	}

	@Override
	public void onStart(ServerRequestObservationContext context) {
		context.put(START_KEY, this.ticker.read());
	}

	@Override
	public void onStop(ServerRequestObservationContext context) {
		Long start = context.get(START_KEY);
		if (start == null) {
			return;
		}
		long durationNanos = this.ticker.read() - start;
		HttpServletResponse response = context.getResponse();
		int status = (response != null) ? response.getStatus() : 500;
		this.budgets.record(context.getCarrier(), status, durationNanos);
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof ServerRequestObservationContext && !this.budgets.isEmpty();
	}

}

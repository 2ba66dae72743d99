package dev.resilience.autoconfigure.slo;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

import dev.resilience.core.time.Ticker;

/**
 * Feeds the HTTP objectives when the application has no observation registry, and so no
 * request observations: one event per request, timed around the rest of the filter chain.
 * An exception that escapes the chain is a 500. Asynchronous requests are timed until
 * their first dispatch returns.
 */
public final class HttpErrorBudgetFilter extends OncePerRequestFilter {

	private final HttpErrorBudgets budgets;

	private final Ticker ticker;

	/**
	 * @param budgets the objectives
	 * @param ticker measures the requests' durations
	 */
	public HttpErrorBudgetFilter(HttpErrorBudgets budgets, Ticker ticker) {
		this.budgets = budgets;
		this.ticker = ticker;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long start = this.ticker.read();
		boolean threw = true;
		try {
			chain.doFilter(request, response);
			threw = false;
		}
		finally {
			this.budgets.record(request, threw ? 500 : response.getStatus(), this.ticker.read() - start);
		}
	}

}

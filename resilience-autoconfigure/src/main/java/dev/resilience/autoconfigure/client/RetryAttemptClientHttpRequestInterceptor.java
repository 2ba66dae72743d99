package dev.resilience.autoconfigure.client;

import java.io.IOException;

import dev.resilience.autoconfigure.web.ResilienceHttpHeaders;
import dev.resilience.core.retry.RetryContext;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Sends {@code Resilience-Attempt: n} with a request made by the n-th attempt (n &gt;= 2)
 * of a retrying call, read from {@link RetryContext#currentAttempt()}. A first attempt, or
 * a request outside any retrying call, goes out unchanged.
 */
public final class RetryAttemptClientHttpRequestInterceptor implements ClientHttpRequestInterceptor {

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		int attempt = RetryContext.currentAttempt();
		if (attempt > 1) {
			request.getHeaders().set(ResilienceHttpHeaders.ATTEMPT, Integer.toString(attempt));
		}
		return execution.execute(request, body);
	}

}

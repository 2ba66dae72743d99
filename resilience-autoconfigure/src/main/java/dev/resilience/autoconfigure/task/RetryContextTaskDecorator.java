package dev.resilience.autoconfigure.task;

import dev.resilience.core.retry.RetryContext;
import org.springframework.core.task.TaskDecorator;

/**
 * Carries the retrying calls of the submitting thread to the thread that runs a task
 * ({@link RetryContext#capture()}), so that a {@code @Retryable} method reached through
 * {@code @Async} or an executor knows it is nested in a retry and does not multiply its
 * attempts, and an outgoing request there sends the right attempt number.
 * <p>
 * Spring Boot applies every {@link TaskDecorator} bean to the executor it auto-configures
 * ({@code applicationTaskExecutor}, which {@code @Async} uses by default); an executor the
 * application builds itself needs {@code setTaskDecorator(...)} or the Boot builders. Outside
 * any retrying call, decorating allocates nothing and the task runs as it is.
 */
public final class RetryContextTaskDecorator implements TaskDecorator {

	@Override
	public Runnable decorate(Runnable runnable) {
		RetryContext.Snapshot snapshot = RetryContext.capture();
		return (snapshot.depth() == 0) ? runnable : snapshot.wrap(runnable);
	}

}

package dev.resilience.core.retry;

/**
 * Marks a failure that a {@link Retry} never retries unless {@link RetryConfig#retryOn()}
 * names its type (or a supertype that is itself marked): the failure says that trying
 * again cannot help, as a remote service's "overloaded: do not retry" answer does.
 * <p>
 * The library's own refusals ({@link dev.resilience.core.ResilienceException}) follow the
 * same rule without the marker. Exceptions of other libraries cannot carry it; for those,
 * list the type in {@code ignore}.
 */
public interface NonRetryable {

}

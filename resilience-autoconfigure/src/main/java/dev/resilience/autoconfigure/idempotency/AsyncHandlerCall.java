package dev.resilience.autoconfigure.idempotency;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import dev.resilience.core.idempotency.IdempotencyResult;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.context.request.async.WebAsyncUtils;
import org.springframework.web.servlet.HandlerAdapter;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * One request to an asynchronous idempotent handler that holds its key, from the dispatch
 * that claims the key to the async dispatch that writes the handler's value.
 * <p>
 * For the core's asynchronous idempotent call, the "call" is {@link #written}: it
 * completes with the response once the async dispatch has written it, which stores the
 * response, or fails when the handler, its asynchronous value or the request fails,
 * times out or ends before that, which releases the key. The handler itself always runs
 * on the request's own thread, never on the thread that happened to claim the key.
 * <p>
 * It travels from one dispatch to the next as a request attribute, and listens to the
 * request's asynchronous cycle to release the key on a timeout, an error (a client that
 * went away) or a completion without a stored response.
 */
final class AsyncHandlerCall implements AsyncListener {

	/** The request attribute that carries the call to its async dispatch. */
	static final String ATTRIBUTE = AsyncHandlerCall.class.getName();

	private final String description;

	private final Map<String, List<String>> headersBefore;

	/** Completes when the core hands this request the key. */
	private final CompletableFuture<Void> claimed = new CompletableFuture<>();

	/** The call the core waits for: the written response, or why there is none. */
	private final CompletableFuture<HttpResponseSnapshot> written = new CompletableFuture<>();

	private volatile CompletableFuture<IdempotencyResult<HttpResponseSnapshot>> outcome;

	/**
	 * @param description how messages name the handler
	 * @param headersBefore the response's headers before the handler ran
	 */
	AsyncHandlerCall(String description, Map<String, List<String>> headersBefore) {
		this.description = description;
		this.headersBefore = headersBefore;
	}

	/**
	 * The core calls this once it has claimed the key for this request: on the request's
	 * thread, or on its scheduler's for a duplicate that waited for the key.
	 * @return what the core waits for before it stores the response or releases the key
	 */
	CompletionStage<HttpResponseSnapshot> claim() {
		claimed.complete(null);
		return written;
	}

	/**
	 * Waits until this request holds the key or the core has answered without it.
	 * @param outcome the core's answer
	 * @return whether this request holds the key, and must run the handler
	 * @throws InterruptedException when the thread is interrupted; the wait is given up,
	 * and a key claimed meanwhile is released
	 */
	boolean awaitClaim(CompletableFuture<IdempotencyResult<HttpResponseSnapshot>> outcome)
			throws InterruptedException {
		this.outcome = outcome;
		if (!claimed.isDone() && !outcome.isDone()) {
			// A duplicate that waits for the key (resilience.idempotency.wait) waits here, as a
			// synchronous handler's duplicate does, while the core polls the store from its scheduler.
			try {
				CompletableFuture.anyOf(claimed, outcome).get();
			}
			catch (ExecutionException ex) {
				// The core answered with a refusal; the caller reads it from the outcome.
			}
			catch (InterruptedException ex) {
				// Cancelling stops the polls, and also cancels (releasing the key) a claim made meanwhile.
				outcome.cancel(false);
				throw ex;
			}
		}
		return claimed.isDone();
	}

	/**
	 * Runs the handler on the dispatch that claimed the key; it starts Spring MVC's
	 * asynchronous processing, whose async dispatch comes to {@link #writeResult}.
	 * @throws Exception what the handler threw, after the key was released
	 */
	ModelAndView start(HandlerAdapter delegate, HttpServletRequest request, HttpServletResponse response,
			Object handler) throws Exception {
		request.setAttribute(ATTRIBUTE, this);
		try {
			ModelAndView view = delegate.handle(request, response, handler);
			if (view != null || !WebAsyncUtils.getAsyncManager(request).isConcurrentHandlingStarted()) {
				throw new IllegalStateException("@Idempotent handler " + description + " returned no asynchronous"
						+ " value (null?), so there is no response to store; return a value that completes later");
			}
			// Added after Spring MVC's own listener, whose timeout and error handlers set the
			// result that the async dispatch writes; the container dispatches only after both ran.
			request.getAsyncContext().addListener(this);
		}
		catch (Throwable ex) {
			request.removeAttribute(ATTRIBUTE);
			release(ex);
			throw ex;
		}
		return null;
	}

	/**
	 * Writes the handler's asynchronous value at the async dispatch, stores the response and
	 * sends it only then, as for a synchronous handler: a client that saw it can rely on
	 * the replay. A failed value releases the key and goes on to the exception resolvers.
	 * @throws Exception what the handler's value failed with, or why the response could not
	 * be stored
	 */
	ModelAndView writeResult(HandlerAdapter delegate, HttpServletRequest request, HttpServletResponse response,
			Object handler) throws Exception {
		if (written.isDone()) {
			// The key was released (a timeout or an error came first): this answer is not stored.
			return delegate.handle(request, response, handler);
		}
		ContentCachingResponseWrapper capture = new ContentCachingResponseWrapper(response);
		try {
			ModelAndView view = delegate.handle(request, capture, handler);
			if (view != null || WebAsyncUtils.getAsyncManager(request).isConcurrentHandlingStarted()) {
				throw new IllegalStateException("@Idempotent handler " + description + " answered with a view or"
						+ " with another asynchronous value; its response cannot be stored");
			}
		}
		catch (Throwable ex) {
			release(ex);
			throw ex;
		}
		HttpResponseSnapshot snapshot = HttpResponseSnapshot.capture(capture, headersBefore,
				capture.getContentAsByteArray());
		// Completing runs the core's store on this thread, before the response is sent.
		if (written.complete(snapshot)) {
			Throwable notStored = failureOf(outcome);
			if (notStored != null) {
				throw rethrowable(notStored);
			}
		}
		capture.copyBodyToResponse();
		return null;
	}

	/** Releases the key unless the response was stored or the key released already. */
	void release(Throwable cause) {
		written.completeExceptionally(cause);
	}

	@Override
	public void onTimeout(AsyncEvent event) {
		release(new IllegalStateException(description + " timed out before its asynchronous value was written"));
	}

	@Override
	public void onError(AsyncEvent event) {
		Throwable error = event.getThrowable();
		release((error != null) ? error
				: new IllegalStateException(description + " failed before its asynchronous value was written"));
	}

	@Override
	public void onComplete(AsyncEvent event) {
		// After the async dispatch, which has stored or released already: this catches a
		// request that ended without one.
		release(new IllegalStateException(description + " ended before its asynchronous value was written"));
	}

	@Override
	public void onStartAsync(AsyncEvent event) {
	}

	/**
	 * @param outcome the core's answer, complete
	 * @return its value
	 * @throws Exception the refusal or failure it completed with, unchanged
	 */
	static <T> T join(CompletableFuture<T> outcome) throws Exception {
		try {
			return outcome.get();
		}
		catch (ExecutionException ex) {
			throw rethrowable(unwrap(ex.getCause()));
		}
	}

	private static Throwable failureOf(CompletableFuture<?> future) {
		if (future == null || !future.isCompletedExceptionally()) {
			return null;
		}
		return unwrap(future.handle((value, error) -> error).getNow(null));
	}

	private static Throwable unwrap(Throwable error) {
		return ((error instanceof CompletionException || error instanceof ExecutionException)
				&& error.getCause() != null) ? error.getCause() : error;
	}

	private static Exception rethrowable(Throwable failure) {
		if (failure instanceof Error error) {
			throw error;
		}
		return (failure instanceof Exception exception) ? exception : new IllegalStateException(failure);
	}

}

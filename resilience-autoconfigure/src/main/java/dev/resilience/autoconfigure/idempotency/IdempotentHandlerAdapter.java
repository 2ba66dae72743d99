package dev.resilience.autoconfigure.idempotency;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.resilience.annotation.Idempotent;
import dev.resilience.core.idempotency.Idempotency;
import dev.resilience.core.idempotency.IdempotencyConflictException;
import dev.resilience.core.idempotency.IdempotencyRequest;
import dev.resilience.core.idempotency.IdempotencyResult;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.MethodClassKey;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerAdapter;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Makes Spring MVC handlers annotated {@code @Idempotent} without a key idempotent by the
 * {@code Idempotency-Key} request header. It stands before the adapter that would run the
 * handler and wraps that whole run, the writing of the response included, in one
 * idempotent call: the first request runs the handler and its response (status, content
 * type, headers but cookies and credentials, body) is stored before it is sent; a
 * duplicate gets that response again with {@code Idempotent-Replayed: true}. A handler
 * that throws releases the key, and the exception goes on to the exception resolvers.
 * The refusals (missing or reused key, key in flight, store down) are exceptions that
 * {@code ResilienceProblemDetailsResolver} turns into 400, 422, 409 and 503.
 * <p>
 * A handler that answers with one asynchronous value ({@code CompletableFuture},
 * {@code Callable}, {@code DeferredResult}, {@code WebAsyncTask}, {@code Mono}) claims the
 * key when the request arrives and holds it until Spring MVC's async dispatch has written
 * the value: the response is stored then, and sent after. A value that fails, a request
 * that times out or whose client goes away releases the key (see {@code AsyncHandlerCall}).
 * <p>
 * The handler must write its response body itself ({@code @ResponseBody},
 * {@code ResponseEntity}); a view or a streamed body cannot be stored, and such a handler
 * stops start-up with a message naming it (see {@code HandlerAnswer}).
 */
public final class IdempotentHandlerAdapter implements HandlerAdapter, Ordered, SmartInitializingSingleton {

	/** The request header that carries the key. */
	public static final String KEY_HEADER = "Idempotency-Key";

	/** The response header that marks a replayed answer. */
	public static final String REPLAYED_HEADER = HttpResponseSnapshot.REPLAYED_HEADER;

	private static final Optional<WebHandler> NONE = Optional.empty();

	private final IdempotencyRegistry registry;

	private final IdempotencyPrincipalResolver principals;

	private final ObjectProvider<HandlerAdapter> adapters;

	private final ObjectProvider<RequestMappingInfoHandlerMapping> mappings;

	private final ConcurrentMap<MethodClassKey, Optional<WebHandler>> handlers = new ConcurrentHashMap<>();

	private final ConcurrentMap<Method, ByMethod> byMethod = new ConcurrentHashMap<>();

	private volatile List<HandlerAdapter> delegates;

	IdempotentHandlerAdapter(IdempotencyRegistry registry, IdempotencyPrincipalResolver principals,
			ObjectProvider<HandlerAdapter> adapters, ObjectProvider<RequestMappingInfoHandlerMapping> mappings) {
		this.registry = registry;
		this.principals = principals;
		this.adapters = adapters;
		this.mappings = mappings;
	}

	/**
	 * Resolves every mapped handler once the context is up, so that an idempotent handler
	 * that cannot be supported stops start-up, and its instance shows in the actuator
	 * endpoint before the first request.
	 */
	@Override
	public void afterSingletonsInstantiated() {
		mappings.orderedStream()
			.forEach((mapping) -> mapping.getHandlerMethods().values().forEach(this::webHandler));
	}

	@Override
	public boolean supports(Object handler) {
		return handler instanceof HandlerMethod handlerMethod && webHandler(handlerMethod).isPresent();
	}

	@Override
	public ModelAndView handle(HttpServletRequest request, HttpServletResponse response, Object handler)
			throws Exception {
		WebHandler web = webHandler((HandlerMethod) handler).orElseThrow();
		HandlerAdapter delegate = delegate(handler);
		if (web.answer == HandlerAnswer.ASYNCHRONOUS) {
			return handleAsynchronous(request, response, handler, web, delegate);
		}
		FingerprintedRequest fingerprinted = FingerprintedRequest.of(request);
		IdempotencyRequest idempotent = IdempotencyRequest.of(request.getHeader(KEY_HEADER),
				fingerprinted.fingerprint(), principals.currentPrincipal());
		ContentCachingResponseWrapper capture = new ContentCachingResponseWrapper(response);
		Map<String, List<String>> headersBefore = HttpResponseSnapshot.headers(response);
		IdempotencyResult<HttpResponseSnapshot> result;
		try {
			result = web.idempotency.executeWithOutcome(idempotent, HttpResponseSnapshot.CODEC, () -> {
				ModelAndView view = delegate.handle(fingerprinted.request(), capture, handler);
				if (view != null || request.isAsyncStarted()) {
					throw new IllegalStateException(web.description + " did not write its response itself;"
							+ " an idempotent handler must return @ResponseBody or ResponseEntity content");
				}
				return HttpResponseSnapshot.capture(capture, headersBefore, capture.getContentAsByteArray());
			});
		}
		catch (Exception | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
		if (result.replayed()) {
			result.value().replayTo(response);
		}
		else {
			// Sent only now, after it was stored: a client that saw it can rely on the replay.
			capture.copyBodyToResponse();
		}
		return null;
	}

	/**
	 * The dispatch that brings the request claims the key and runs the handler, which
	 * starts Spring MVC's asynchronous processing; the async dispatch that follows writes
	 * the handler's value, stores it and sends it.
	 */
	private ModelAndView handleAsynchronous(HttpServletRequest request, HttpServletResponse response, Object handler,
			WebHandler web, HandlerAdapter delegate) throws Exception {
		if (request.getAttribute(AsyncHandlerCall.ATTRIBUTE) instanceof AsyncHandlerCall call) {
			request.removeAttribute(AsyncHandlerCall.ATTRIBUTE);
			return call.writeResult(delegate, request, response, handler);
		}
		if (request.getDispatcherType() == DispatcherType.ASYNC) {
			// An async dispatch this adapter did not start holds no key: nothing to settle.
			return delegate.handle(request, response, handler);
		}
		FingerprintedRequest fingerprinted = FingerprintedRequest.of(request);
		IdempotencyRequest idempotent = IdempotencyRequest.of(request.getHeader(KEY_HEADER),
				fingerprinted.fingerprint(), principals.currentPrincipal());
		AsyncHandlerCall call = new AsyncHandlerCall(web.description, HttpResponseSnapshot.headers(response));
		CompletableFuture<IdempotencyResult<HttpResponseSnapshot>> outcome = web.idempotency
			.executeAsyncWithOutcome(idempotent, HttpResponseSnapshot.CODEC, call::claim);
		boolean claimed;
		try {
			claimed = call.awaitClaim(outcome);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IdempotencyConflictException(web.idempotency.name(), idempotent.key());
		}
		if (claimed) {
			return call.start(delegate, fingerprinted.request(), response, handler);
		}
		AsyncHandlerCall.join(outcome).value().replayTo(response);
		return null;
	}

	private Optional<WebHandler> webHandler(HandlerMethod handlerMethod) {
		Method method = handlerMethod.getMethod();
		Class<?> beanType = handlerMethod.getBeanType();
		// Asked for every request to every handler: looked up by the method alone, without
		// allocating a key, when the method's first bean type is this one (the usual case).
		ByMethod cached = byMethod.get(method);
		if (cached != null && cached.beanType == beanType) {
			return cached.handler;
		}
		MethodClassKey key = new MethodClassKey(method, beanType);
		Optional<WebHandler> found = handlers.get(key);
		if (found == null) {
			found = handlers.computeIfAbsent(key, (k) -> resolve(handlerMethod));
		}
		if (cached == null) {
			byMethod.putIfAbsent(method, new ByMethod(beanType, found));
		}
		return found;
	}

	/** A method's resolution for the first bean type it was seen with. */
	private record ByMethod(Class<?> beanType, Optional<WebHandler> handler) {
	}

	private Optional<WebHandler> resolve(HandlerMethod handlerMethod) {
		Method method = handlerMethod.getMethod();
		Class<?> beanType = ClassUtils.getUserClass(handlerMethod.getBeanType());
		Idempotent annotation = findAnnotation(method, beanType);
		if (annotation == null || !annotation.key().isBlank() || !IdempotentMethods.isWebHandler(method, beanType)) {
			return NONE;
		}
		String description = IdempotentMethods.describe(method);
		HandlerAnswer answer = HandlerAnswer.of(method, beanType, description);
		Idempotency idempotency = registry.idempotency(IdempotentMethods.instanceName(annotation, method, beanType));
		return Optional.of(new WebHandler(idempotency, description, answer));
	}

	/** As the aspect finds it: on the method, else on the class for a public method. */
	private static Idempotent findAnnotation(Method method, Class<?> beanType) {
		Idempotent annotation = AnnotatedElementUtils.findMergedAnnotation(method, Idempotent.class);
		if (annotation == null && java.lang.reflect.Modifier.isPublic(method.getModifiers())) {
			annotation = AnnotatedElementUtils.findMergedAnnotation(beanType, Idempotent.class);
		}
		return annotation;
	}

	private HandlerAdapter delegate(Object handler) {
		List<HandlerAdapter> candidates = delegates;
		if (candidates == null) {
			// Benign race: every thread computes the same list.
			candidates = adapters.orderedStream().filter((adapter) -> adapter != this).toList();
			delegates = candidates;
		}
		for (HandlerAdapter adapter : candidates) {
			if (adapter.supports(handler)) {
				return adapter;
			}
		}
		throw new IllegalStateException("No handler adapter runs " + handler);
	}

	@Override
	public int getOrder() {
		// Before the adapter that would otherwise run the handler.
		return Ordered.HIGHEST_PRECEDENCE;
	}

	/** An idempotent handler: its instance, its name for messages, and how it answers. */
	private record WebHandler(Idempotency idempotency, String description, HandlerAnswer answer) {
	}

}

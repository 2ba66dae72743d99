package dev.resilience.autoconfigure.idempotency;

import java.lang.reflect.Method;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpEntity;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.WebAsyncTask;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * How an idempotent Spring MVC handler answers, decided at start-up from its return type:
 * <ul>
 * <li>{@link #SYNCHRONOUS}: its response is written before the handler adapter returns.</li>
 * <li>{@link #ASYNCHRONOUS}: it returns one value later ({@link CompletionStage},
 * {@link Callable}, {@link DeferredResult}, {@link WebAsyncTask} or Reactor's {@code Mono}),
 * and its response is written at the async dispatch that Spring MVC makes for it.</li>
 * </ul>
 * Whatever else cannot be stored whole and replayed stops start-up with a message naming
 * the handler and the reason: a view, a streamed body ({@link ResponseBodyEmitter},
 * {@code SseEmitter}, {@link StreamingResponseBody}, {@code Flux} or another stream of
 * values), a plain {@link Future}, another library's reactive type, and an asynchronous
 * value that is itself asynchronous or streamed.
 */
enum HandlerAnswer {

	/** Written before the handler adapter returns. */
	SYNCHRONOUS,

	/** Written at the async dispatch, once the handler's asynchronous value is there. */
	ASYNCHRONOUS;

	private static final boolean REACTOR_PRESENT = ClassUtils.isPresent("reactor.core.publisher.Mono",
			HandlerAnswer.class.getClassLoader());

	private static final String STORABLE = "; an idempotent handler must answer with a whole body, which can be"
			+ " stored and replayed: return T or ResponseEntity<T>, or one asynchronous value:"
			+ " CompletableFuture<T>, Callable<T>, DeferredResult<T>, WebAsyncTask<T> or Mono<T>";

	/**
	 * @param method the handler method
	 * @param beanType the controller's class
	 * @param description how messages name the handler
	 * @return how the handler answers
	 * @throws IllegalStateException naming the handler when its answer cannot be stored
	 */
	static HandlerAnswer of(Method method, Class<?> beanType, String description) {
		ResolvableType returnType = ResolvableType.forMethodReturnType(method, beanType);
		String returns = "@Idempotent handler " + description + " returns " + returnType;
		refuseStreamed(returnType, returns);
		ResolvableType value = asynchronousValue(returnType, returns);
		if (value == null) {
			refuseAsynchronousBody(returnType, returns, "declare the asynchronous type outermost,"
					+ " as in CompletableFuture<ResponseEntity<T>> or Mono<ResponseEntity<T>>");
			checkWritesItsBody(method, beanType, returnType, description);
			return SYNCHRONOUS;
		}
		String nested = "; its asynchronous value is itself asynchronous or streamed, which cannot be stored";
		if (streamed(value.toClass()) != null || asynchronousValue(value, returns) != null) {
			throw new IllegalStateException(returns + nested + STORABLE);
		}
		refuseAsynchronousBody(value, returns, nested.substring(2));
		checkWritesItsBody(method, beanType, value, description);
		return ASYNCHRONOUS;
	}

	private static void refuseStreamed(ResolvableType type, String returns) {
		String streamed = streamed(type.toClass());
		if (streamed != null) {
			throw new IllegalStateException(returns + ", which " + streamed + STORABLE);
		}
	}

	/**
	 * A ResponseEntity whose body is asynchronous or streamed is answered asynchronously
	 * by Spring MVC all the same; only the asynchronous type outermost is supported.
	 */
	private static void refuseAsynchronousBody(ResolvableType type, String returns, String advice) {
		if (!HttpEntity.class.isAssignableFrom(type.toClass())) {
			return;
		}
		ResolvableType body = type.as(HttpEntity.class).getGeneric(0);
		String streamed = streamed(body.toClass());
		if (streamed != null) {
			throw new IllegalStateException(returns + ", whose body is " + body + ", which " + streamed + STORABLE);
		}
		if (asynchronousValue(body, returns) != null) {
			throw new IllegalStateException(returns + ", whose body is asynchronous; " + advice + STORABLE);
		}
	}

	/** @return why a body of this type is streamed, or {@code null} when it is not */
	private static String streamed(Class<?> type) {
		if (ResponseBodyEmitter.class.isAssignableFrom(type)) {
			return "sends its body in parts as the handler emits them (server-sent events or another stream),"
					+ " so the body is never whole";
		}
		if (StreamingResponseBody.class.isAssignableFrom(type)) {
			return "writes its body straight to the response as it goes, so the body is never whole";
		}
		if (REACTOR_PRESENT && ReactorHandlerTypes.isFlux(type)) {
			return "is a stream of values that Spring MVC writes as they come for a streaming media type"
					+ " (collect it into a Mono<List<T>> to answer with them all at once)";
		}
		ReactiveAdapter adapter = ReactiveAdapterRegistry.getSharedInstance().getAdapter(type);
		if (adapter != null && adapter.isMultiValue()) {
			return "is a stream of values that Spring MVC writes as they come for a streaming media type";
		}
		return null;
	}

	/**
	 * @return the type of the one value an asynchronous type answers with, or {@code null}
	 * when the type is not asynchronous
	 * @throws IllegalStateException for a plain Future and for single-value reactive types
	 * other than Mono
	 */
	private static ResolvableType asynchronousValue(ResolvableType type, String returns) {
		Class<?> raw = type.toClass();
		if (CompletionStage.class.isAssignableFrom(raw)) {
			return type.as(CompletionStage.class).getGeneric(0);
		}
		if (Callable.class.isAssignableFrom(raw)) {
			return type.as(Callable.class).getGeneric(0);
		}
		if (WebAsyncTask.class.isAssignableFrom(raw)) {
			return type.as(WebAsyncTask.class).getGeneric(0);
		}
		if (DeferredResult.class.isAssignableFrom(raw)) {
			return type.as(DeferredResult.class).getGeneric(0);
		}
		if (REACTOR_PRESENT && ReactorHandlerTypes.isMono(raw)) {
			return ReactorHandlerTypes.monoValue(type);
		}
		if (Future.class.isAssignableFrom(raw)) {
			throw new IllegalStateException(returns + ", a Future that is not a CompletionStage, which Spring MVC"
					+ " does not wait for; return a CompletableFuture<T>" + STORABLE);
		}
		if (ReactiveAdapterRegistry.getSharedInstance().getAdapter(raw) != null) {
			throw new IllegalStateException(returns + "; of the reactive types, an idempotent handler supports"
					+ " Reactor's Mono" + STORABLE);
		}
		return null;
	}

	/** The response body must come from the handler's value, not from a view. */
	private static void checkWritesItsBody(Method method, Class<?> beanType, ResolvableType value,
			String description) {
		boolean writesBody = HttpEntity.class.isAssignableFrom(value.toClass())
				|| AnnotatedElementUtils.hasAnnotation(method, ResponseBody.class)
				|| AnnotatedElementUtils.hasAnnotation(beanType, ResponseBody.class);
		if (!writesBody) {
			throw new IllegalStateException("@Idempotent handler " + description + " renders a view; an idempotent"
					+ " handler must return @ResponseBody or ResponseEntity content, which can be stored and replayed");
		}
	}

}

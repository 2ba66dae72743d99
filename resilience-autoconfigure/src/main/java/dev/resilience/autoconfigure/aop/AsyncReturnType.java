package dev.resilience.autoconfigure.aop;

import java.lang.reflect.Method;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

import dev.resilience.autoconfigure.slo.SloCallRecorder;
import dev.resilience.core.ResiliencePipeline;
import org.springframework.util.ClassUtils;

/**
 * The asynchronous return types the annotations support, and the check, at start-up, that
 * a method's return type is one of them or plainly synchronous.
 * <ul>
 * <li>{@link CompletionStage} and {@link CompletableFuture}: the method is called for each
 * attempt and the caller receives a {@code CompletableFuture} at once.</li>
 * <li>Reactor's {@code Mono} and {@code Flux} (and {@code Publisher}, served as a
 * {@code Flux}), when Reactor is on the classpath: nothing happens until the result is
 * subscribed; each subscription is one call, each attempt calls the method and subscribes
 * to what it returns, and a retry subscribes again. A {@code Flux} that fails after
 * emitting elements emits them again on the retry.</li>
 * </ul>
 * A fallback of such a method returns the same asynchronous type (a stage, a {@code Mono},
 * a {@code Flux}); its failure, thrown or asynchronous, becomes the call's. A plain
 * {@link Future} that is not a {@code CompletionStage} is refused: its outcome can only be
 * awaited by blocking a thread.
 */
enum AsyncReturnType {

	COMPLETION_STAGE, MONO, FLUX;

	private static final boolean REACTOR_PRESENT = ClassUtils.isPresent("reactor.core.publisher.Flux",
			AsyncReturnType.class.getClassLoader());

	/** Served as a Flux: Flux itself and the interfaces a Flux implements that callers declare. */
	private static final Set<String> FLUX_TYPES = Set.of("reactor.core.publisher.Flux",
			"org.reactivestreams.Publisher", "reactor.core.CorePublisher");

	private static final String MONO_TYPE = "reactor.core.publisher.Mono";

	/**
	 * @param method the annotated method
	 * @param description how messages name it
	 * @return the method's asynchronous type, or {@code null} when it returns a plain value
	 * @throws IllegalStateException naming the method when its return type is asynchronous
	 * but not supported
	 */
	static AsyncReturnType of(Method method, String description) {
		Class<?> type = method.getReturnType();
		if (CompletionStage.class.isAssignableFrom(type)) {
			if (!type.isAssignableFrom(CompletableFuture.class)) {
				throw new IllegalStateException(description + " returns " + type.getName()
						+ ": declare CompletionStage or CompletableFuture, which the resilience annotations "
						+ "complete when the call's outcome is known");
			}
			return COMPLETION_STAGE;
		}
		if (Future.class.isAssignableFrom(type)) {
			throw new IllegalStateException(description + " returns " + type.getName()
					+ ", a Future that is not a CompletionStage: its outcome could only be awaited by blocking "
					+ "a thread; declare CompletableFuture or CompletionStage instead");
		}
		// Names, not classes: this class loads without Reactor or Reactive Streams.
		boolean mono = type.getName().equals(MONO_TYPE);
		boolean flux = FLUX_TYPES.contains(type.getName());
		if (mono || flux) {
			if (!REACTOR_PRESENT) {
				throw new IllegalStateException(description + " returns " + type.getName()
						+ ": resilience annotations support reactive return types through Reactor; "
						+ "add io.projectreactor:reactor-core");
			}
			return mono ? MONO : FLUX;
		}
		if (isReactive(type)) {
			throw new IllegalStateException(description + " returns " + type.getName()
					+ ": of the reactive types, resilience annotations support Reactor's Mono and Flux "
					+ "(or Publisher); declare one of those");
		}
		return null;
	}

	/**
	 * @param pipeline the method's pipeline; {@code null} only for a {@code CompletionStage} method
	 * that is only {@code @Idempotent}
	 * @param fallback its fallback, or {@code null}
	 * @param description how messages name the method
	 * @return the invoker for methods of this return type
	 */
	AsyncMethodInvoker invoker(ResiliencePipeline pipeline, FallbackMethod fallback, SloCallRecorder slo,
			String description) {
		if (this == COMPLETION_STAGE) {
			return new CompletionStageInvoker(pipeline, fallback, slo);
		}
		// Only reached when Reactor is present: ReactorInvoker and its Reactor types load here.
		return ReactorInvoker.create(pipeline, fallback, this == MONO, description, slo);
	}

	private static boolean isReactive(Class<?> type) {
		if (type.getName().startsWith("reactor.core.publisher.")) {
			return true;
		}
		for (Class<?> current = type; current != null; current = current.getSuperclass()) {
			if (current.getName().equals("org.reactivestreams.Publisher")) {
				return true;
			}
			for (Class<?> implemented : ClassUtils.getAllInterfacesForClassAsSet(current)) {
				if (implemented.getName().equals("org.reactivestreams.Publisher")
						|| implemented.getName().equals("java.util.concurrent.Flow$Publisher")) {
					return true;
				}
			}
		}
		return false;
	}

}

package dev.resilience.autoconfigure.idempotency;

import org.springframework.core.ResolvableType;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Reactor return types of Spring MVC handlers, as {@link HandlerAnswer} sorts them:
 * a {@code Mono} is one asynchronous value, a {@code Flux} a stream.
 * <p>
 * Loaded only when Reactor is on the classpath: {@link HandlerAnswer} calls it behind a
 * {@code ClassUtils.isPresent} check, and nothing else names it.
 */
final class ReactorHandlerTypes {

	private ReactorHandlerTypes() {
	}

	static boolean isMono(Class<?> type) {
		return Mono.class.isAssignableFrom(type);
	}

	static boolean isFlux(Class<?> type) {
		return Flux.class.isAssignableFrom(type);
	}

	/** @return the type of the value a {@code Mono} return type emits */
	static ResolvableType monoValue(ResolvableType returnType) {
		return returnType.as(Mono.class).getGeneric(0);
	}

}

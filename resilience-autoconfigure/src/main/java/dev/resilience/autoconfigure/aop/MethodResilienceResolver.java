package dev.resilience.autoconfigure.aop;

import java.lang.reflect.Method;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Retryable;
import dev.resilience.core.ResiliencePipeline;
import dev.resilience.core.ResilienceRegistry;
import org.springframework.core.MethodClassKey;
import org.springframework.util.ClassUtils;

/**
 * Resolves the annotations of a method into a {@link MethodResilience} once, and caches
 * it: the interceptor then pays a map lookup per call, not annotation scanning. A
 * mistake in the annotations (a missing fallback, conflicting fallbacks, an unsupported
 * return type) is an {@link IllegalStateException} naming the method.
 */
public final class MethodResilienceResolver {

	private static final Optional<MethodResilience> NONE = Optional.empty();

	private final ResilienceRegistry registry;

	private final ConcurrentMap<MethodClassKey, Optional<MethodResilience>> cache = new ConcurrentHashMap<>();

	public MethodResilienceResolver(ResilienceRegistry registry) {
		this.registry = registry;
	}

	/**
	 * @param method the invoked method
	 * @param targetClass the bean's class
	 * @return the method's resilience, or {@code null} when it has no annotation
	 */
	MethodResilience resolve(Method method, Class<?> targetClass) {
		MethodClassKey key = new MethodClassKey(method, targetClass);
		Optional<MethodResilience> resolved = cache.get(key);
		if (resolved == null) {
			resolved = cache.computeIfAbsent(key, (k) -> Optional.ofNullable(build(method, targetClass)));
		}
		return resolved.orElse(null);
	}

	/**
	 * Resolves every annotated method of a bean class, so mistakes surface when the bean
	 * is created.
	 * @param targetClass the bean's class
	 * @return how many methods are annotated
	 */
	public int resolveAll(Class<?> targetClass) {
		if (!ResilienceAnnotations.isCandidateClass(targetClass)) {
			return 0;
		}
		int annotated = 0;
		for (Method method : org.springframework.util.ReflectionUtils.getUniqueDeclaredMethods(ClassUtils.getUserClass(targetClass))) {
			if (resolve(method, targetClass) != null) {
				annotated++;
			}
		}
		return annotated;
	}

	private MethodResilience build(Method method, Class<?> targetClass) {
		Retryable retryable = ResilienceAnnotations.find(method, targetClass, Retryable.class);
		CircuitBreaker circuitBreaker = ResilienceAnnotations.find(method, targetClass, CircuitBreaker.class);
		Bulkhead bulkhead = ResilienceAnnotations.find(method, targetClass, Bulkhead.class);
		if (retryable == null && circuitBreaker == null && bulkhead == null) {
			return null;
		}
		String description = FallbackMethod.describe(method);
		AsyncReturnType asyncType = AsyncReturnType.of(method, description);
		Set<String> fallbacks = new LinkedHashSet<>();
		ResiliencePipeline.Builder pipeline = null;
		if (retryable != null) {
			String name = ResilienceAnnotations.instanceName(retryable.value(), method, targetClass);
			pipeline = ResiliencePipeline.builder(name).ticker(registry.ticker()).retry(registry.retry(name));
			addFallback(fallbacks, retryable.fallbackMethod());
		}
		if (circuitBreaker != null) {
			String name = ResilienceAnnotations.instanceName(circuitBreaker.value(), method, targetClass);
			pipeline = (pipeline != null) ? pipeline : ResiliencePipeline.builder(name).ticker(registry.ticker());
			pipeline.circuitBreaker(registry.circuitBreaker(name));
			addFallback(fallbacks, circuitBreaker.fallbackMethod());
		}
		if (bulkhead != null) {
			String name = ResilienceAnnotations.instanceName(bulkhead.value(), method, targetClass);
			pipeline = (pipeline != null) ? pipeline : ResiliencePipeline.builder(name).ticker(registry.ticker());
			pipeline.bulkhead(registry.bulkhead(name));
			addFallback(fallbacks, bulkhead.fallbackMethod());
		}
		if (fallbacks.size() > 1) {
			throw new IllegalStateException(
					"Conflicting fallback methods " + fallbacks + " on " + description + ": name at most one");
		}
		FallbackMethod fallback = fallbacks.isEmpty() ? null
				: FallbackMethod.resolve(method, ClassUtils.getUserClass(targetClass), fallbacks.iterator().next());
		ResiliencePipeline built = pipeline.scheduler(registry.scheduler()).build();
		AsyncMethodInvoker async = (asyncType != null) ? asyncType.invoker(built, fallback, description) : null;
		return new MethodResilience(description, built, fallback, async);
	}

	private static void addFallback(Set<String> fallbacks, String name) {
		if (!name.isEmpty()) {
			fallbacks.add(name);
		}
	}

}

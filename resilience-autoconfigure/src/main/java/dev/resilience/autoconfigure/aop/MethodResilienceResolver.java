package dev.resilience.autoconfigure.aop;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Idempotent;
import dev.resilience.annotation.Retryable;
import dev.resilience.autoconfigure.slo.InstanceErrorBudgets;
import dev.resilience.autoconfigure.slo.SloCallRecorder;
import dev.resilience.autoconfigure.idempotency.IdempotentMethodInvoker;
import dev.resilience.autoconfigure.idempotency.IdempotentMethods;
import dev.resilience.core.ResiliencePipeline;
import dev.resilience.core.ResilienceRegistry;
import org.springframework.aop.TargetClassAware;
import org.springframework.aop.support.AopUtils;
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

	private final ConcurrentMap<Method, Resolved> lastResolved = new ConcurrentHashMap<>();

	/** The error budgets of the instances, or {@code null} when objectives are not in use. */
	private final InstanceErrorBudgets errorBudgets;

	/** Looked up when the first {@code @Idempotent} method is resolved; may supply null. */
	private final Supplier<IdempotentMethods> idempotentMethods;

	public MethodResilienceResolver(ResilienceRegistry registry) {
		this(registry, null, () -> null);
	}

	/**
	 * @param registry the instances' policies
	 * @param errorBudgets the instances' error budgets, or {@code null} to record none
	 */
	public MethodResilienceResolver(ResilienceRegistry registry, InstanceErrorBudgets errorBudgets) {
		this(registry, errorBudgets, () -> null);
	}

	/**
	 * @param registry the circuit breakers, retries and bulkheads
	 * @param idempotentMethods supplies {@code @Idempotent} support, or {@code null} when
	 * the idempotency auto-configuration is off
	 */
	public MethodResilienceResolver(ResilienceRegistry registry, Supplier<IdempotentMethods> idempotentMethods) {
		this(registry, null, idempotentMethods);
	}

	/**
	 * @param registry the circuit breakers, retries and bulkheads
	 * @param errorBudgets the instances' error budgets, or {@code null} to record none
	 * @param idempotentMethods supplies {@code @Idempotent} support, or {@code null} when
	 * the idempotency auto-configuration is off
	 */
	public MethodResilienceResolver(ResilienceRegistry registry, InstanceErrorBudgets errorBudgets,
			Supplier<IdempotentMethods> idempotentMethods) {
		this.registry = registry;
		this.errorBudgets = errorBudgets;
		this.idempotentMethods = idempotentMethods;
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
	 * The per-call lookup: the resilience of a method invoked on a bean.
	 * @param method the invoked method
	 * @param target the bean it is invoked on, or {@code null} for a proxy without one
	 * @return the method's resilience, or {@code null} when it has no annotation
	 */
	MethodResilience resolveFor(Method method, Object target) {
		// Most methods are only ever invoked on one bean class, so a lookup by the method
		// alone answers without allocating the (method, class) key. It is checked against
		// the object's own class: AopUtils.getTargetClass, which the key needs, tests two
		// interfaces, and a failing interface test scans the class's supertypes, which on
		// Java 17 and 21 cost more than the rest of a bulkhead's call (40 ns measured).
		Class<?> runtimeClass = (target != null) ? target.getClass() : method.getDeclaringClass();
		Resolved last = lastResolved.get(method);
		if (last != null && last.runtimeClass() == runtimeClass) {
			return last.resilience();
		}
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : runtimeClass;
		MethodResilience resilience = resolve(method, targetClass);
		// An object that names its own target class may name another one next time.
		if (!(target instanceof TargetClassAware)) {
			lastResolved.put(method, new Resolved(runtimeClass, resilience));
		}
		return resilience;
	}

	/** The resolution of a method on the class of the object it was last invoked on. */
	private record Resolved(Class<?> runtimeClass, MethodResilience resilience) {
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
		IdempotentMethodInvoker idempotent = idempotent(method, targetClass);
		if (retryable == null && circuitBreaker == null && bulkhead == null && idempotent == null) {
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
		ResiliencePipeline built = (pipeline != null) ? pipeline.scheduler(registry.scheduler()).build() : null;
		SloCallRecorder slo = sloRecorder(method, targetClass);
		AsyncMethodInvoker async = null;
		if (asyncType != null) {
			// Without retry, breaker or bulkhead a Mono method needs no pipeline invoker.
			async = (built != null || asyncType == AsyncReturnType.COMPLETION_STAGE)
					? asyncType.invoker(built, fallback, slo, description) : null;
			if (idempotent != null) {
				// Outermost, as for synchronous methods: the key is claimed before the first
				// attempt and settled when the protected call completes.
				if (asyncType == AsyncReturnType.COMPLETION_STAGE) {
					async = new IdempotentStageInvoker(idempotent, async);
				}
				else if (asyncType == AsyncReturnType.FLUX) {
					async = ReactorInvoker.idempotentFlux(idempotent, async);
				}
				else {
					async = ReactorInvoker.idempotentMono(idempotent, async);
				}
			}
		}
		return new MethodResilience(description, built, fallback, idempotent, slo, async);
	}

	/** The error budgets of every instance the method's annotations name. */
	private SloCallRecorder sloRecorder(Method method, Class<?> targetClass) {
		if (errorBudgets == null) {
			return SloCallRecorder.NONE;
		}
		List<String> names = new ArrayList<>();
		Idempotent idempotent = ResilienceAnnotations.find(method, targetClass, Idempotent.class);
		if (idempotent != null) {
			names.add(ResilienceAnnotations.instanceName(idempotent.value(), method, targetClass));
		}
		Retryable retryable = ResilienceAnnotations.find(method, targetClass, Retryable.class);
		if (retryable != null) {
			names.add(ResilienceAnnotations.instanceName(retryable.value(), method, targetClass));
		}
		CircuitBreaker circuitBreaker = ResilienceAnnotations.find(method, targetClass, CircuitBreaker.class);
		if (circuitBreaker != null) {
			names.add(ResilienceAnnotations.instanceName(circuitBreaker.value(), method, targetClass));
		}
		Bulkhead bulkhead = ResilienceAnnotations.find(method, targetClass, Bulkhead.class);
		if (bulkhead != null) {
			names.add(ResilienceAnnotations.instanceName(bulkhead.value(), method, targetClass));
		}
		return errorBudgets.recorder(names, registry.ticker());
	}

	/** @return the invoker of an {@code @Idempotent} method; null for none, or for a web handler */
	private IdempotentMethodInvoker idempotent(Method method, Class<?> targetClass) {
		Idempotent idempotent = ResilienceAnnotations.find(method, targetClass, Idempotent.class);
		if (idempotent == null) {
			return null;
		}
		IdempotentMethods methods = idempotentMethods.get();
		if (methods == null) {
			throw new IllegalStateException("@Idempotent on " + FallbackMethod.describe(method)
					+ " needs the idempotency auto-configuration, which is not active");
		}
		return methods.invoker(idempotent, method, targetClass);
	}

	private static void addFallback(Set<String> fallbacks, String name) {
		if (!name.isEmpty()) {
			fallbacks.add(name);
		}
	}

}

package dev.resilience.autoconfigure.idempotency;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.stream.Collectors;

import dev.resilience.annotation.Idempotent;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.ClassUtils;

/**
 * Turns the {@code @Idempotent} annotation of a method into an
 * {@link IdempotentMethodInvoker}, checking it when the bean is created: the key
 * expression must parse, and the results must be serialisable. A Spring MVC handler
 * whose annotation has no key is left to {@link IdempotentHandlerAdapter}, which takes
 * the key from the {@code Idempotency-Key} header and stores the HTTP response.
 */
public final class IdempotentMethods {

	private static final String REQUEST_MAPPING = "org.springframework.web.bind.annotation.RequestMapping";

	private static final String CONTROLLER = "org.springframework.stereotype.Controller";

	private static final SpelExpressionParser PARSER = new SpelExpressionParser();

	private final IdempotencyRegistry registry;

	private final MethodSerialization serialization;

	private final IdempotencyPrincipalResolver principals;

	IdempotentMethods(IdempotencyRegistry registry, MethodSerialization serialization,
			IdempotencyPrincipalResolver principals) {
		this.registry = registry;
		this.serialization = serialization;
		this.principals = principals;
	}

	/**
	 * @param annotation the annotation that applies to the method
	 * @param method the annotated method
	 * @param targetClass the bean's class
	 * @return the invoker, or {@code null} for a Spring MVC handler keyed by the
	 * {@code Idempotency-Key} header, which the web layer handles
	 * @throws IllegalStateException naming the method, when the key is missing or does not
	 * parse, or when results cannot be serialised
	 */
	public IdempotentMethodInvoker invoker(Idempotent annotation, Method method, Class<?> targetClass) {
		Class<?> userClass = (targetClass != null) ? ClassUtils.getUserClass(targetClass) : method.getDeclaringClass();
		String description = describe(method);
		if (annotation.key().isBlank()) {
			if (isWebHandler(method, userClass)) {
				return null;
			}
			throw new IllegalStateException("@Idempotent on " + description + " has no key: give a SpEL expression"
					+ " over the parameters (key = \"#order.id\"), or annotate a Spring MVC handler method to key"
					+ " calls by the Idempotency-Key request header");
		}
		Expression key;
		try {
			key = PARSER.parseExpression(annotation.key());
		}
		catch (ParseException ex) {
			throw new IllegalStateException("@Idempotent on " + description + " has a key that is not a valid SpEL"
					+ " expression: '" + annotation.key() + "': " + ex.getMessage(), ex);
		}
		if (serialization == null) {
			throw new IllegalStateException("@Idempotent on " + description + " needs Jackson to store its results:"
					+ " add spring-boot-starter-jackson (a tools.jackson.databind.json.JsonMapper)");
		}
		String name = instanceName(annotation, method, userClass);
		return new IdempotentMethodInvoker(registry.idempotency(name), method, key,
				serialization.resultCodec(method, userClass), serialization, principals, description);
	}

	/**
	 * @return the registry the invokers take their instances from
	 */
	public IdempotencyRegistry registry() {
		return registry;
	}

	/**
	 * The instance name an annotation selects: its value, or
	 * {@code SimpleClassName.methodName} when empty.
	 */
	static String instanceName(Idempotent annotation, Method method, Class<?> userClass) {
		return annotation.value().isEmpty() ? userClass.getSimpleName() + "." + method.getName() : annotation.value();
	}

	/**
	 * Whether a method is a Spring MVC handler: a request-mapped method of a controller.
	 * The web layer and this class decide alike, so that each idempotent method is
	 * handled by exactly one of them.
	 */
	@SuppressWarnings("unchecked")
	static boolean isWebHandler(Method method, Class<?> userClass) {
		ClassLoader loader = userClass.getClassLoader();
		if (!ClassUtils.isPresent(REQUEST_MAPPING, loader)) {
			return false;
		}
		Class<? extends Annotation> requestMapping = (Class<? extends Annotation>) ClassUtils
			.resolveClassName(REQUEST_MAPPING, loader);
		Class<? extends Annotation> controller = (Class<? extends Annotation>) ClassUtils.resolveClassName(CONTROLLER,
				loader);
		return AnnotatedElementUtils.hasAnnotation(userClass, controller)
				&& AnnotatedElementUtils.hasAnnotation(method, requestMapping);
	}

	static String describe(Method method) {
		return method.getDeclaringClass().getSimpleName() + "." + method.getName() + "("
				+ Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", "))
				+ ")";
	}

}

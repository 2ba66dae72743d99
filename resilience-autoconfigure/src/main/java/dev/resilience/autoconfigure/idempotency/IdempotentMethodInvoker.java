package dev.resilience.autoconfigure.idempotency;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.resilience.core.CheckedSupplier;
import dev.resilience.core.idempotency.Idempotency;
import dev.resilience.core.idempotency.IdempotencyRequest;
import dev.resilience.core.idempotency.IdempotencySerializationException;
import dev.resilience.core.idempotency.ResultCodec;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.Expression;

/**
 * Runs one {@code @Idempotent} method with a key expression: evaluates the key over the
 * arguments, fingerprints the arguments, and runs the call through the method's
 * {@link Idempotency} instance. Built once per method, when its bean is created.
 */
public final class IdempotentMethodInvoker {

	private static final ParameterNameDiscoverer PARAMETER_NAMES = new DefaultParameterNameDiscoverer();

	private final Idempotency idempotency;

	private final Method method;

	private final Expression key;

	private final ResultCodec<Object> codec;

	private final MethodSerialization serialization;

	private final IdempotencyPrincipalResolver principals;

	private final String description;

	IdempotentMethodInvoker(Idempotency idempotency, Method method, Expression key, ResultCodec<Object> codec,
			MethodSerialization serialization, IdempotencyPrincipalResolver principals, String description) {
		this.idempotency = idempotency;
		this.method = method;
		this.key = key;
		this.codec = codec;
		this.serialization = serialization;
		this.principals = principals;
		this.description = description;
	}

	/**
	 * Runs the call once per key, or returns the stored result of the run that came first.
	 * @param target the bean
	 * @param arguments the call's arguments
	 * @param call the method, with whatever else protects it
	 * @return its result, run now or replayed
	 * @throws Throwable what {@link Idempotency#execute} throws
	 */
	public Object invoke(Object target, Object[] arguments, CheckedSupplier<Object> call) throws Throwable {
		return idempotency.execute(request(target, arguments), codec, call);
	}

	/**
	 * Runs a method returning {@code CompletionStage} once per key, or answers with the
	 * stored result of the run that came first. The key and fingerprint are worked out on
	 * the caller's thread (where the principal is known), and so is the first claim of the
	 * key: a store over the network blocks the caller for one round trip. A duplicate that
	 * finds the key in progress waits on the instance's scheduler, holding no thread.
	 * @param target the bean
	 * @param arguments the call's arguments
	 * @param call the method, with whatever else protects it, returning its stage
	 * @return the method's result, run now or replayed; every failure, including those of
	 * the key expression and the fingerprint, arrives through it
	 */
	public CompletableFuture<Object> invokeAsync(Object target, Object[] arguments,
			CheckedSupplier<? extends CompletionStage<?>> call) {
		IdempotencyRequest request;
		try {
			request = request(target, arguments);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return idempotency.executeAsync(request, codec, call);
	}

	private IdempotencyRequest request(Object target, Object[] arguments) {
		Object value = key.getValue(new MethodBasedEvaluationContext(target, method, arguments, PARAMETER_NAMES));
		String fingerprint;
		try {
			fingerprint = serialization.fingerprint(arguments);
		}
		catch (Exception ex) {
			throw new IdempotencySerializationException("The arguments of " + description
					+ " could not be serialised to fingerprint the request: " + ex.getMessage(), ex);
		}
		return IdempotencyRequest.of((value != null) ? value.toString() : null, fingerprint,
				principals.currentPrincipal());
	}

	/**
	 * @return the instance the method runs through
	 */
	public Idempotency idempotency() {
		return idempotency;
	}

	@Override
	public String toString() {
		return description + " -> " + idempotency.name() + " (key " + key.getExpressionString() + ")";
	}

}

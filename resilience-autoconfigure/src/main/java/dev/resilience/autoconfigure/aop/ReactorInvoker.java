package dev.resilience.autoconfigure.aop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.resilience.autoconfigure.idempotency.IdempotentMethodInvoker;
import dev.resilience.autoconfigure.slo.SloCallRecorder;
import dev.resilience.core.AttemptPermit;
import dev.resilience.core.ResiliencePipeline;
import dev.resilience.core.retry.Retry;
import dev.resilience.core.retry.RetryContext;
import dev.resilience.core.retry.RetryExecution;
import dev.resilience.core.time.Scheduler;
import org.aopalliance.intercept.MethodInvocation;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Runs a method returning {@code Mono} or {@code Flux} through a pipeline, in Reactor's own
 * terms: each subscription to the returned publisher is one call; each attempt takes an
 * {@link AttemptPermit} (breaker, then bulkhead, waiting for a bulkhead permit up to its
 * {@code max-wait} without holding a thread), calls the method and
 * subscribes to what it returns, and holds the permit for that subscription. The breaker
 * records the outcome when the attempt completes or fails (a {@code Mono} succeeds at its
 * value); a cancelled subscription gives the permit back and records nothing. A failed
 * attempt asks the call's {@link RetryExecution}, and a retry resubscribes after its backoff,
 * scheduled on the pipeline's {@link Scheduler}, never slept.
 * <p>
 * Nested retrying calls do not multiply: a call assembled inside another retrying call's
 * attempt, or subscribed to by one (the attempt writes its {@link RetryExecution#context()}
 * into the Reactor context of its subscription), is nested in it, as blocking calls are.
 * <p>
 * Loaded only when Reactor is on the classpath: nothing else in the library names this
 * class's Reactor types.
 */
final class ReactorInvoker implements AsyncMethodInvoker {

	/**
	 * The Reactor context key under which an attempt carries its retry context
	 * ({@link RetryExecution#context()}) to the publishers it subscribes to.
	 */
	static final String RETRY_CONTEXT = "dev.resilience.retry-context";

	private final ResiliencePipeline pipeline;

	private final FallbackMethod fallback;

	private final boolean mono;

	private final String description;

	private final SloCallRecorder slo;

	private ReactorInvoker(ResiliencePipeline pipeline, FallbackMethod fallback, boolean mono, String description,
			SloCallRecorder slo) {
		this.pipeline = pipeline;
		this.fallback = fallback;
		this.mono = mono;
		this.description = description;
		this.slo = slo;
	}

	static AsyncMethodInvoker create(ResiliencePipeline pipeline, FallbackMethod fallback, boolean mono,
			String description, SloCallRecorder slo) {
		return new ReactorInvoker(pipeline, fallback, mono, description, slo);
	}

	/**
	 * @param idempotent the method's idempotency
	 * @param protectedCall the invoker of its pipeline, or {@code null} when it has none
	 * @return the invoker of an {@code @Idempotent} method returning {@code Mono}
	 */
	static AsyncMethodInvoker idempotentMono(IdempotentMethodInvoker idempotent, AsyncMethodInvoker protectedCall) {
		return new IdempotentMono(idempotent, protectedCall);
	}

	/**
	 * @param idempotent the method's idempotency
	 * @param protectedCall the invoker of its pipeline, or {@code null} when it has none
	 * @return the invoker of an {@code @Idempotent} method returning {@code Flux}
	 */
	static AsyncMethodInvoker idempotentFlux(IdempotentMethodInvoker idempotent, AsyncMethodInvoker protectedCall) {
		return new IdempotentFlux(idempotent, protectedCall);
	}

	@Override
	public Object invoke(MethodInvocation invocation) {
		// A publisher assembled inside a retrying call's attempt is nested in it, even if it
		// is subscribed to elsewhere (unless a subscriber's context names another nest).
		RetryContext.Snapshot assembledIn = (pipeline.retry() != null) ? RetryContext.capture() : null;
		Flux<Object> call = Flux
			.deferContextual((context) -> recorded(call(invocation, enclosing(context, assembledIn))));
		if (fallback != null) {
			call = call.onErrorResume(fallback::handles, (error) -> runFallback(invocation, error));
		}
		// The chain carries a Mono's signals unchanged: no cardinality to check again.
		return mono ? Mono.fromDirect(call) : call;
	}

	/**
	 * Each subscription is one logical call of the error budget, recorded when it ends and
	 * before any fallback, like a synchronous call; a cancelled subscription records nothing.
	 */
	private Flux<Object> recorded(Flux<Object> call) {
		if (!slo.isRecording()) {
			return call;
		}
		long start = slo.start();
		AtomicBoolean ended = new AtomicBoolean();
		Flux<Object> recorded = call;
		if (mono) {
			recorded = recorded.doOnNext((value) -> {
				if (ended.compareAndSet(false, true)) {
					slo.succeeded(start);
				}
			});
		}
		return recorded.doOnComplete(() -> {
			if (ended.compareAndSet(false, true)) {
				slo.succeeded(start);
			}
		}).doOnError((error) -> {
			if (ended.compareAndSet(false, true)) {
				slo.failed(start, error);
			}
		});
	}

	/**
	 * The retrying calls a subscription is nested in: those of an enclosing reactive
	 * attempt, carried by the subscriber's context (subscription may come after assembly, on
	 * another thread); else those active where the publisher was assembled; else those of
	 * the subscribing thread.
	 */
	private static RetryContext.Snapshot enclosing(ContextView context, RetryContext.Snapshot assembledIn) {
		if (assembledIn == null) {
			return null;
		}
		RetryContext.Snapshot carried = context.getOrDefault(RETRY_CONTEXT, null);
		if (carried != null) {
			return carried;
		}
		return (assembledIn.depth() > 0) ? assembledIn : RetryContext.capture();
	}

	private Flux<Object> call(MethodInvocation invocation, RetryContext.Snapshot enclosing) {
		Retry retry = pipeline.retry();
		if (retry == null) {
			return attempt(invocation, null);
		}
		RetryExecution execution = retry.startExecution(enclosing);
		return Flux.defer(() -> attempt(invocation, execution))
			.retryWhen(reactor.util.retry.Retry
				.from((failures) -> failures.concatMap((signal) -> backoff(execution, signal.failure()))))
			// No-op when the call ended by the retry's rules, which finished the execution first.
			.doOnCancel(() -> execution.abandon(null));
	}

	private Flux<Object> attempt(MethodInvocation invocation, RetryExecution execution) {
		CompletableFuture<AttemptPermit> admission = pipeline.acquireAttemptPermitAsync();
		if (admission.isDone()) {
			AttemptPermit permit;
			try {
				permit = admission.join();
			}
			catch (CompletionException refused) {
				return Flux.error(refused.getCause());
			}
			return run(invocation, execution, permit);
		}
		// Waits for a bulkhead permit without a thread. A cancelled subscription cancels the
		// wait; a permit that arrives just as it is cancelled is dropped, and given back.
		return Mono.fromFuture(admission)
			.doOnDiscard(AttemptPermit.class, AttemptPermit::onCancel)
			.flatMapMany((permit) -> run(invocation, execution, permit));
	}

	private Flux<Object> run(MethodInvocation invocation, RetryExecution execution, AttemptPermit permit) {
		Publisher<?> source;
		// Retrying calls the method starts are nested in this one: those it calls while it
		// assembles its publisher see it on the thread, those subscribed later in the context.
		try (RetryContext.Scope scope = (execution != null) ? execution.context().apply() : null) {
			source = (Publisher<?>) MethodResilience.proceed(invocation);
			if (source == null) {
				throw new NullPointerException(
						description + " returned null instead of a " + (mono ? "Mono" : "Flux"));
			}
		}
		catch (Throwable ex) {
			// A method that throws instead of returning a failed publisher fails the same way.
			permit.onError(ex);
			return Flux.error(ex);
		}
		Flux<Object> attempt = Flux.from(source);
		if (mono) {
			attempt = attempt.doOnNext((value) -> succeeded(permit, execution));
		}
		// doOn* rather than doFinally: the permit must be back before the signal travels on,
		// or a retry subscribing at once would find the bulkhead still full.
		attempt = attempt.doOnComplete(() -> succeeded(permit, execution))
			.doOnError(permit::onError)
			.doOnCancel(permit::onCancel);
		if (execution != null) {
			attempt = attempt.contextWrite((context) -> context.put(RETRY_CONTEXT, execution.context()));
		}
		return attempt;
	}

	private static void succeeded(AttemptPermit permit, RetryExecution execution) {
		if (permit.onSuccess() && execution != null) {
			execution.onSuccess();
		}
	}

	private Mono<Long> backoff(RetryExecution execution, Throwable failure) {
		long delay = execution.onFailure(failure);
		if (delay == RetryExecution.STOP) {
			return Mono.error(failure);
		}
		if (delay == 0) {
			execution.nextAttempt();
			return Mono.just(0L);
		}
		return Mono.create((sink) -> {
			Scheduler.Cancellable waiting;
			try {
				waiting = pipeline.scheduler().schedule(() -> {
					execution.nextAttempt();
					sink.success(delay);
				}, delay);
			}
			catch (Throwable rejected) {
				// The scheduler is shut down: end with the last failure.
				execution.abandon(rejected);
				sink.error(failure);
				return;
			}
			sink.onCancel(waiting::cancel);
		});
	}

	private Publisher<Object> runFallback(MethodInvocation invocation, Throwable cause) {
		Object alternative;
		try {
			alternative = fallback.invoke(invocation.getThis(), invocation.getArguments(), cause);
		}
		catch (Throwable ex) {
			return Flux.error(ex);
		}
		return (alternative != null) ? Flux.from((Publisher<?>) alternative) : Flux.empty();
	}

	/**
	 * Runs an {@code @Idempotent} method returning {@code Mono}: each subscription is one
	 * idempotent call. At subscription the key is worked out and claimed; the protected call
	 * (retry, breaker, bulkhead and fallback through the {@link ReactorInvoker}, or the method
	 * alone) is subscribed only when the claim succeeds. Its value, or its completing empty
	 * (stored as {@code null}, replayed as empty), completes the claim; an error or a
	 * cancelled subscription frees the key.
	 */
	static final class IdempotentMono implements AsyncMethodInvoker {

		private final IdempotentMethodInvoker idempotent;

		/** The pipeline's invoker, or {@code null} when the method is only idempotent. */
		private final AsyncMethodInvoker protectedCall;

		private IdempotentMono(IdempotentMethodInvoker idempotent, AsyncMethodInvoker protectedCall) {
			this.idempotent = idempotent;
			this.protectedCall = protectedCall;
		}

		@Override
		public Object invoke(MethodInvocation invocation) {
			// Cancelling the subscription cancels the future, which cancels the protected
			// subscription through toFuture(); that cancellation frees the key.
			return Mono.defer(() -> Mono.fromFuture(idempotent.invokeAsync(invocation.getThis(),
					invocation.getArguments(), () -> protectedMono(invocation).toFuture())));
		}

		private Mono<?> protectedMono(MethodInvocation invocation) throws Throwable {
			Object result = (protectedCall != null) ? protectedCall.invoke(invocation)
					: MethodResilience.proceed(invocation);
			if (result == null) {
				throw new IllegalStateException("The method returned null instead of a Mono");
			}
			return (Mono<?>) result;
		}

	}

	/**
	 * An {@code @Idempotent} method returning {@code Flux}: each subscription is one call;
	 * the key is claimed at subscription, the elements are collected and stored as a list
	 * when the Flux completes (so the subscriber receives them then, not one by one), and a
	 * duplicate is replayed from that list without calling the method. An error or a
	 * cancelled subscription frees the key.
	 */
	static final class IdempotentFlux implements AsyncMethodInvoker {

		private final IdempotentMethodInvoker idempotent;

		/** The pipeline's invoker, or {@code null} when the method is only idempotent. */
		private final AsyncMethodInvoker protectedCall;

		private IdempotentFlux(IdempotentMethodInvoker idempotent, AsyncMethodInvoker protectedCall) {
			this.idempotent = idempotent;
			this.protectedCall = protectedCall;
		}

		@Override
		public Object invoke(MethodInvocation invocation) {
			return Flux.defer(() -> Mono
				.fromFuture(idempotent.invokeAsync(invocation.getThis(), invocation.getArguments(),
						() -> protectedFlux(invocation).collectList().toFuture()))
				.flatMapIterable((elements) -> (Iterable<?>) elements));
		}

		private Flux<?> protectedFlux(MethodInvocation invocation) throws Throwable {
			Object result = (protectedCall != null) ? protectedCall.invoke(invocation)
					: MethodResilience.proceed(invocation);
			if (result == null) {
				throw new IllegalStateException("The method returned null instead of a Flux");
			}
			return Flux.from((Publisher<?>) result);
		}

	}

}

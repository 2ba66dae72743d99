package dev.resilience.autoconfigure.aop;

import java.io.IOException;

import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code @CircuitBreaker} on asynchronous methods: the outcome is recorded when the result
 * arrives, an asynchronous failure counts like a thrown one, a cancelled call records
 * nothing, and an open breaker refuses through the returned type.
 */
class AsyncCircuitBreakerTests {

	@ParameterizedTest
	@EnumSource(AsyncType.class)
	void successIsRecordedWhenTheResultArrives(AsyncType type) {
		AsyncFixture.run(type, AsyncMethods.Breaking.class, (fixture) -> {
			AsyncType.Call call = fixture.call();
			assertThat(breaker(fixture).metrics().bufferedCalls()).as("nothing recorded on return").isZero();
			fixture.dependency.call(1).complete("ok");
			assertThat(call.outcome()).isCompletedWithValue("ok");
			assertThat(breaker(fixture).metrics().bufferedCalls()).isEqualTo(1);
			assertThat(breaker(fixture).metrics().failedCalls()).isZero();
		});
	}

	@ParameterizedTest
	@EnumSource(AsyncType.class)
	void asynchronousFailuresOpenTheBreakerWhichThenRefusesWithoutCalling(AsyncType type) {
		AsyncFixture.run(type, AsyncMethods.Breaking.class, (fixture) -> {
			IOException failure = new IOException("down");
			AsyncType.Call first = fixture.call();
			fixture.dependency.call(1).completeExceptionally(failure);
			assertThatThrownBy(first.outcome()::join).cause().isSameAs(failure);
			AsyncType.Call second = fixture.call();
			fixture.dependency.call(2).completeExceptionally(new IOException("down again"));
			assertThat(second.outcome()).isCompletedExceptionally();
			assertThat(breaker(fixture).state()).isEqualTo(CircuitBreakerState.OPEN);
			assertThat(breaker(fixture).metrics().failedCalls()).isEqualTo(2);
			// The Breaking bean's fallbacks answer refusals (CallNotPermittedException).
			AsyncType.Call refused = fixture.call();
			assertThat(refused.outcome()).isCompletedWithValue("fallback:open");
			assertThat(fixture.dependency.calls()).as("an open breaker does not call").isEqualTo(2);
		});
	}

	@ParameterizedTest
	@EnumSource(AsyncType.class)
	void failureTheFallbackDoesNotHandlePropagates(AsyncType type) {
		AsyncFixture.run(type, AsyncMethods.Breaking.class, (fixture) -> {
			IllegalArgumentException failure = new IllegalArgumentException("bad");
			AsyncType.Call call = fixture.call();
			fixture.dependency.call(1).completeExceptionally(failure);
			assertThatThrownBy(call.outcome()::join).cause().isSameAs(failure);
		});
	}

	@ParameterizedTest
	@EnumSource(AsyncType.class)
	void cancelledProbeRecordsNothingAndFreesItsSlot(AsyncType type) {
		AsyncFixture.run(type, AsyncMethods.Breaking.class, (fixture) -> {
			breaker(fixture).transitionTo(CircuitBreakerState.HALF_OPEN);
			AsyncType.Call probe = fixture.call();
			probe.cancel().run();
			assertThat(fixture.dependency.call(1)).as("the dependency hears of it").isCancelled();
			assertThat(breaker(fixture).metrics().bufferedCalls()).isZero();
			AsyncType.Call next = fixture.call();
			assertThat(fixture.dependency.calls()).as("the only probe slot is free again").isEqualTo(2);
			fixture.dependency.call(2).complete("ok");
			assertThat(next.outcome()).isCompletedWithValue("ok");
			assertThat(breaker(fixture).state()).isEqualTo(CircuitBreakerState.CLOSED);
		});
	}

	@ParameterizedTest
	@EnumSource(AsyncType.class)
	void fallbackAnswersWhileTheBreakerIsOpen(AsyncType type) {
		AsyncFixture.run(type, AsyncMethods.Breaking.class, (fixture) -> {
			breaker(fixture).transitionTo(CircuitBreakerState.FORCED_OPEN);
			AsyncType.Call call = fixture.call();
			assertThat(call.outcome()).isCompletedWithValue("fallback:open");
			assertThat(fixture.dependency.calls()).isZero();
			assertThat(breaker(fixture).metrics().notPermittedCalls()).isEqualTo(1);
		});
	}

	private static CircuitBreaker breaker(AsyncFixture fixture) {
		return fixture.registry.circuitBreaker("backend");
	}

}

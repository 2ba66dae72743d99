package dev.resilience.autoconfigure.aop;

import java.io.IOException;
import java.time.Duration;

import dev.resilience.core.bulkhead.Bulkhead;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code @Bulkhead} on asynchronous methods: the permit is held until the result arrives
 * and comes back on success, failure or cancellation; a full bulkhead rejects through the
 * returned type, without blocking the caller, at once or, with a {@code max-wait}, when
 * the wait is over, which holds no thread either.
 */
class AsyncBulkheadTests {

	private static final String[] MAX_WAIT = { "resilience.instances.backend.bulkhead.max-wait=1s" };

	@ParameterizedTest
	@EnumSource(AsyncType.class)
	void permitIsHeldUntilTheResultArrives(AsyncType type) {
		AsyncFixture.run(type, AsyncMethods.Limited.class, (fixture) -> {
			AsyncType.Call call = fixture.call();
			assertThat(bulkhead(fixture).availableConcurrentCalls()).isZero();
			fixture.dependency.call(1).complete("ok");
			assertThat(call.outcome()).isCompletedWithValue("ok");
			assertThat(bulkhead(fixture).availableConcurrentCalls()).isEqualTo(1);
		});
	}

	@ParameterizedTest
	@EnumSource(AsyncType.class)
	void permitComesBackWhenTheCallFailsAsynchronously(AsyncType type) {
		AsyncFixture.run(type, AsyncMethods.Limited.class, (fixture) -> {
			IOException failure = new IOException("down");
			AsyncType.Call call = fixture.call();
			fixture.dependency.call(1).completeExceptionally(failure);
			assertThatThrownBy(call.outcome()::join).cause().isSameAs(failure);
			assertThat(bulkhead(fixture).availableConcurrentCalls()).isEqualTo(1);
		});
	}

	@ParameterizedTest
	@EnumSource(AsyncType.class)
	void secondCallIsAnsweredByTheFallbackWhileTheFirstRuns(AsyncType type) {
		AsyncFixture.run(type, AsyncMethods.Limited.class, (fixture) -> {
			AsyncType.Call first = fixture.call();
			AsyncType.Call second = fixture.call();
			assertThat(second.outcome()).as("rejected at once, not queued")
				.isCompletedWithValue("fallback:full");
			assertThat(bulkhead(fixture).rejectedCalls()).isEqualTo(1);
			assertThat(fixture.dependency.calls()).isEqualTo(1);
			fixture.dependency.call(1).complete("first");
			assertThat(first.outcome()).isCompletedWithValue("first");
		});
	}

	@ParameterizedTest
	@EnumSource(AsyncType.class)
	void cancellingReleasesThePermitAndCancelsTheDependencyCall(AsyncType type) {
		AsyncFixture.run(type, AsyncMethods.Limited.class, (fixture) -> {
			AsyncType.Call call = fixture.call();
			assertThat(bulkhead(fixture).availableConcurrentCalls()).isZero();
			call.cancel().run();
			assertThat(bulkhead(fixture).availableConcurrentCalls()).isEqualTo(1);
			assertThat(fixture.dependency.call(1)).isCancelled();
			AsyncType.Call next = fixture.call();
			fixture.dependency.call(2).complete("next");
			assertThat(next.outcome()).isCompletedWithValue("next");
			assertThat(bulkhead(fixture).availableConcurrentCalls()).isEqualTo(1);
		});
	}

	@ParameterizedTest
	@EnumSource(AsyncType.class)
	void withAMaxWaitASecondCallWaitsAndRunsWhenTheFirstEnds(AsyncType type) {
		AsyncFixture.run(type, AsyncMethods.Limited.class, MAX_WAIT, (fixture) -> {
			AsyncType.Call first = fixture.call();
			AsyncType.Call second = fixture.call();
			assertThat(second.outcome()).as("queued, not rejected").isNotDone();
			assertThat(fixture.dependency.calls()).isEqualTo(1);
			assertThat(bulkhead(fixture).waitingCalls()).isEqualTo(1);
			fixture.scheduler.advance(Duration.ofMillis(999));
			fixture.dependency.call(1).complete("first");
			assertThat(first.outcome()).isCompletedWithValue("first");
			assertThat(fixture.dependency.calls()).as("started by the hand-over").isEqualTo(2);
			fixture.dependency.call(2).complete("second");
			assertThat(second.outcome()).isCompletedWithValue("second");
			assertThat(bulkhead(fixture).availableConcurrentCalls()).isEqualTo(1);
			assertThat(bulkhead(fixture).rejectedCalls()).isZero();
		});
	}

	@ParameterizedTest
	@EnumSource(AsyncType.class)
	void withAMaxWaitAWaitingCallIsAnsweredByTheFallbackWhenTheWaitIsOver(AsyncType type) {
		AsyncFixture.run(type, AsyncMethods.Limited.class, MAX_WAIT, (fixture) -> {
			AsyncType.Call first = fixture.call();
			AsyncType.Call second = fixture.call();
			fixture.scheduler.advance(Duration.ofSeconds(1));
			assertThat(second.outcome()).isCompletedWithValue("fallback:full");
			assertThat(bulkhead(fixture).rejectedCalls()).isEqualTo(1);
			assertThat(bulkhead(fixture).waitingCalls()).isZero();
			fixture.dependency.call(1).complete("first");
			assertThat(first.outcome()).isCompletedWithValue("first");
			assertThat(fixture.dependency.calls()).isEqualTo(1);
			assertThat(bulkhead(fixture).availableConcurrentCalls()).isEqualTo(1);
		});
	}

	@ParameterizedTest
	@EnumSource(AsyncType.class)
	void withAMaxWaitCancellingAWaitingCallLeavesTheQueue(AsyncType type) {
		AsyncFixture.run(type, AsyncMethods.Limited.class, MAX_WAIT, (fixture) -> {
			AsyncType.Call first = fixture.call();
			AsyncType.Call second = fixture.call();
			second.cancel().run();
			assertThat(bulkhead(fixture).waitingCalls()).isZero();
			fixture.dependency.call(1).complete("first");
			assertThat(first.outcome()).isCompletedWithValue("first");
			assertThat(fixture.dependency.calls()).as("the cancelled call never ran").isEqualTo(1);
			assertThat(bulkhead(fixture).availableConcurrentCalls()).isEqualTo(1);
			assertThat(bulkhead(fixture).rejectedCalls()).isZero();
		});
	}

	private static Bulkhead bulkhead(AsyncFixture fixture) {
		return fixture.registry.bulkhead("backend");
	}

}

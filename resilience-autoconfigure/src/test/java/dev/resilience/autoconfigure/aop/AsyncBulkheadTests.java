package dev.resilience.autoconfigure.aop;

import java.io.IOException;

import dev.resilience.core.bulkhead.Bulkhead;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code @Bulkhead} on asynchronous methods: the permit is held until the result arrives
 * and comes back on success, failure or cancellation; a full bulkhead rejects through the
 * returned type, without blocking the caller.
 */
class AsyncBulkheadTests {

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

	private static Bulkhead bulkhead(AsyncFixture fixture) {
		return fixture.registry.bulkhead("backend");
	}

}

package dev.resilience.core;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.circuitbreaker.SlidingWindowType;
import dev.resilience.core.retry.Jitter;
import dev.resilience.core.retry.NestedRetryMode;
import dev.resilience.core.retry.RetryBudgetConfig;
import dev.resilience.core.retry.RetryConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigurationRecordsTests {

	@Test
	void circuitBreakerDefaultsMatchTheDocumentedValues() {
		CircuitBreakerConfig config = CircuitBreakerConfig.defaults();
		assertThat(config.slidingWindowType()).isEqualTo(SlidingWindowType.COUNT);
		assertThat(config.slidingWindowSize()).isEqualTo(100);
		assertThat(config.minimumCalls()).isEqualTo(20);
		assertThat(config.failureRateThreshold()).isEqualTo(50);
		assertThat(config.slowCallDuration()).isEqualTo(Duration.ofSeconds(60));
		assertThat(config.slowCallRateThreshold()).isEqualTo(100);
		assertThat(config.openDuration()).isEqualTo(Duration.ofSeconds(1));
		assertThat(config.openDurationMultiplier()).isEqualTo(1.5);
		assertThat(config.maxOpenDuration()).isEqualTo(Duration.ofSeconds(2));
		assertThat(config.halfOpenCalls()).isEqualTo(1);
		assertThat(config.recordOn()).isEmpty();
		assertThat(config.ignore()).isEmpty();
	}

	@Test
	void openPeriodRulesNameTheirRelations() {
		assertThatThrownBy(() -> CircuitBreakerConfig.builder().openDurationMultiplier(0.5).build())
			.isInstanceOfSatisfying(InvalidConfigException.class, (ex) -> {
				assertThat(ex.field()).isEqualTo("openDurationMultiplier");
				assertThat(ex.value()).isEqualTo(0.5);
			})
			.hasMessage("openDurationMultiplier must be >= 1.0 but was 0.5");
		assertThatThrownBy(() -> CircuitBreakerConfig.builder().openDurationMultiplier(Double.NaN).build())
			.hasMessage("openDurationMultiplier must be >= 1.0 but was NaN");
		assertThatThrownBy(
				() -> CircuitBreakerConfig.builder().openDurationMultiplier(Double.POSITIVE_INFINITY).build())
			.hasMessage("openDurationMultiplier must be finite but was Infinity");
		assertThatThrownBy(() -> CircuitBreakerConfig.builder()
			.openDuration(Duration.ofSeconds(2))
			.maxOpenDuration(Duration.ofSeconds(1))
			.build())
			.isInstanceOfSatisfying(InvalidConfigException.class,
					(ex) -> assertThat(ex.field()).isEqualTo("maxOpenDuration"))
			.hasMessage("maxOpenDuration must be >= openDuration (PT2S) but was PT1S");
		CircuitBreakerConfig defaults = CircuitBreakerConfig.defaults();
		assertThatThrownBy(() -> new CircuitBreakerConfig(defaults.slidingWindowType(), 100, 20, 50, 10,
				defaults.slowCallDuration(), 100, Duration.ofSeconds(1), 2, null, 3, List.of(), List.of()))
			.hasMessage("maxOpenDuration must not be null but was null");
	}

	@Test
	void unsetMaxOpenDurationIsTheDefaultOrALongerOpenDuration() {
		assertThat(CircuitBreakerConfig.builder().openDuration(Duration.ofMillis(500)).build().maxOpenDuration())
			.isEqualTo(Duration.ofSeconds(2));
		assertThat(CircuitBreakerConfig.builder().openDuration(Duration.ofSeconds(10)).build().maxOpenDuration())
			.isEqualTo(Duration.ofSeconds(10));
		assertThat(CircuitBreakerConfig.builder().openDuration(Duration.ofMinutes(2)).build().maxOpenDuration())
			.isEqualTo(Duration.ofMinutes(2));
		assertThat(CircuitBreakerConfig.builder()
			.openDuration(Duration.ofMinutes(2))
			.maxOpenDuration(Duration.ofSeconds(30))
			.maxOpenDuration(null)
			.build()
			.maxOpenDuration()).isEqualTo(Duration.ofMinutes(2));
		CircuitBreakerConfig fixed = CircuitBreakerConfig.builder()
			.openDuration(Duration.ofSeconds(5))
			.openDurationMultiplier(1)
			.maxOpenDuration(Duration.ofSeconds(5))
			.build();
		assertThat(fixed.toBuilder().build()).isEqualTo(fixed);
	}

	@Test
	void retryDefaultsMatchTheDocumentedValues() {
		RetryConfig config = RetryConfig.defaults();
		assertThat(config.maxAttempts()).isEqualTo(3);
		assertThat(config.initialBackoff()).isEqualTo(Duration.ofMillis(100));
		assertThat(config.multiplier()).isEqualTo(2.0);
		assertThat(config.maxBackoff()).isEqualTo(Duration.ofSeconds(10));
		assertThat(config.jitter()).isEqualTo(Jitter.FULL);
		assertThat(config.nested()).isEqualTo(NestedRetryMode.INNERMOST);
		assertThat(config.retriesResults()).isFalse();
		assertThat(config.budget()).isEqualTo(new RetryBudgetConfig(true, 0.1, 1, Duration.ofSeconds(10)));
	}

	@Test
	void failureRateAbove100IsRejectedNamingFieldRuleAndValue() {
		assertThatThrownBy(() -> CircuitBreakerConfig.builder().failureRateThreshold(150).build())
			.isInstanceOfSatisfying(InvalidConfigException.class, (ex) -> {
				assertThat(ex.field()).isEqualTo("failureRateThreshold");
				assertThat(ex.value()).isEqualTo(150.0);
			})
			.hasMessage("failureRateThreshold must be in (0, 100] but was 150.0");
	}

	@Test
	void minimumCallsAboveCountWindowIsRejectedNamingTheRelation() {
		assertThatThrownBy(() -> CircuitBreakerConfig.builder().slidingWindowSize(10).minimumCalls(11).build())
			.hasMessage("minimumCalls must be <= slidingWindowSize (10) for a count window but was 11");
	}

	@Test
	void minimumCallsAboveTimeWindowSecondsIsAllowed() {
		CircuitBreakerConfig config = CircuitBreakerConfig.builder()
			.slidingWindowType(SlidingWindowType.TIME)
			.slidingWindowSize(10)
			.minimumCalls(100)
			.build();
		assertThat(config.minimumCalls()).isEqualTo(100);
	}

	@Test
	void negativeAndZeroDurationsAreRejected() {
		assertThatThrownBy(() -> CircuitBreakerConfig.builder().openDuration(Duration.ofSeconds(-1)).build())
			.hasMessage("openDuration must be > 0 but was PT-1S");
		assertThatThrownBy(() -> CircuitBreakerConfig.builder().slowCallDuration(Duration.ZERO).build())
			.hasMessage("slowCallDuration must be > 0 but was PT0S");
		assertThatThrownBy(() -> RetryConfig.builder().initialBackoff(Duration.ofMillis(-5)).build())
			.hasMessage("initialBackoff must be >= 0 but was PT-0.005S");
		assertThatThrownBy(() -> new BulkheadConfig(5, Duration.ofMillis(-1)))
			.hasMessage("maxWait must be >= 0 but was PT-0.001S");
	}

	@Test
	void retryRulesNameTheirRelations() {
		assertThatThrownBy(() -> RetryConfig.builder().maxAttempts(0).build())
			.hasMessage("maxAttempts must be >= 1 but was 0");
		assertThatThrownBy(() -> RetryConfig.builder().multiplier(0.5).build())
			.hasMessage("multiplier must be >= 1.0 but was 0.5");
		assertThatThrownBy(() -> RetryConfig.builder().multiplier(Double.NaN).build())
			.hasMessage("multiplier must be >= 1.0 but was NaN");
		assertThatThrownBy(() -> RetryConfig.builder()
			.initialBackoff(Duration.ofSeconds(2))
			.maxBackoff(Duration.ofSeconds(1))
			.build()).hasMessage("maxBackoff must be >= initialBackoff (PT2S) but was PT1S");
		assertThatThrownBy(() -> RetryConfig.builder().jitter(null).build())
			.hasMessage("jitter must not be null but was null");
	}

	@Test
	void budgetRatioOutsideZeroToOneIsRejected() {
		assertThatThrownBy(() -> new RetryBudgetConfig(true, 1.5, 10, Duration.ofSeconds(10)))
			.hasMessage("ratio must be in [0, 1] but was 1.5");
		assertThatThrownBy(() -> new RetryBudgetConfig(true, -0.1, 10, Duration.ofSeconds(10)))
			.hasMessage("ratio must be in [0, 1] but was -0.1");
		assertThatThrownBy(() -> new RetryBudgetConfig(true, 0.1, -1, Duration.ofSeconds(10)))
			.hasMessage("minRetriesPerSecond must be >= 0 but was -1");
		assertThatThrownBy(() -> new RetryBudgetConfig(true, 0.1, 1, Duration.ofMillis(500)))
			.hasMessage("window must be in [1s, 10m] but was PT0.5S");
	}

	@Test
	void bulkheadNeedsAtLeastOneConcurrentCall() {
		assertThatThrownBy(() -> BulkheadConfig.ofMaxConcurrentCalls(0))
			.hasMessage("maxConcurrentCalls must be >= 1 but was 0");
	}

	@Test
	void exceptionListsAreCopiedDefensively() {
		List<Class<? extends Throwable>> ignore = new java.util.ArrayList<>(List.of(IOException.class));
		RetryConfig config = RetryConfig.builder().ignore(ignore).build();
		ignore.add(IllegalStateException.class);
		assertThat(config.ignore()).containsExactly(IOException.class);
	}

	@Test
	void toBuilderRoundTrips() {
		RetryConfig retry = RetryConfig.builder().maxAttempts(5).jitter(Jitter.EQUAL).build();
		assertThat(retry.toBuilder().build()).isEqualTo(retry);
		CircuitBreakerConfig breaker = CircuitBreakerConfig.builder().halfOpenCalls(7).build();
		assertThat(breaker.toBuilder().build()).isEqualTo(breaker);
	}

}

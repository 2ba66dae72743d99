package dev.resilience.core.slo;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.resilience.core.InvalidConfigException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SloConfigTests {

	@Test
	void defaultsAreTheDocumentedOnes() {
		SloConfig config = SloConfig.defaults();

		assertThat(config.objective()).isEqualTo(99.9);
		assertThat(config.window()).isEqualTo(Duration.ofDays(30));
		assertThat(config.latencyThreshold()).isNull();
		assertThat(config.slowDownAt()).isEqualTo(50);
		assertThat(config.freezeAt()).isEqualTo(100);
	}

	@Test
	void toBuilderKeepsEveryValue() {
		SloConfig config = SloConfig.builder()
			.objective(99.5)
			.window(Duration.ofDays(7))
			.latencyThreshold(Duration.ofMillis(300))
			.slowDownAt(25)
			.freezeAt(75)
			.build();

		assertThat(config.toBuilder().build()).isEqualTo(config);
	}

	@Test
	void rejectsAnObjectiveThatLeavesNoBudget() {
		assertThatExceptionOfType(InvalidConfigException.class).isThrownBy(() -> SloConfig.ofObjective(100))
			.withMessage("objective must be in (0, 100) but was 100.0")
			.satisfies(ex -> assertThat(ex.field()).isEqualTo("objective"));
		assertThatExceptionOfType(InvalidConfigException.class).isThrownBy(() -> SloConfig.ofObjective(0));
		assertThatExceptionOfType(InvalidConfigException.class).isThrownBy(() -> SloConfig.ofObjective(Double.NaN));
	}

	@Test
	void rejectsAWindowShorterThanTheLongestAlertWindowOrLongerThan100Days() {
		assertThatExceptionOfType(InvalidConfigException.class)
			.isThrownBy(() -> SloConfig.builder().window(Duration.ofDays(1)).build())
			.withMessage("window must be in [3d, 100d] but was PT24H");
		assertThatExceptionOfType(InvalidConfigException.class)
			.isThrownBy(() -> SloConfig.builder().window(Duration.ofDays(100).plusMillis(1)).build());
		assertThatExceptionOfType(InvalidConfigException.class)
			.isThrownBy(() -> SloConfig.builder().window(null).build())
			.withMessage("window must not be null but was null");
		assertThat(SloConfig.builder().window(Duration.ofDays(3)).build().window()).isEqualTo(SloConfig.MIN_WINDOW);
	}

	@Test
	void rejectsANonPositiveLatencyThreshold() {
		assertThatExceptionOfType(InvalidConfigException.class)
			.isThrownBy(() -> SloConfig.builder().latencyThreshold(Duration.ZERO).build())
			.withMessage("latencyThreshold must be > 0 but was PT0S");
	}

	@Test
	void rejectsPolicyThresholdsOutOfOrderOrRange() {
		assertThatExceptionOfType(InvalidConfigException.class)
			.isThrownBy(() -> SloConfig.builder().slowDownAt(80).freezeAt(60).build())
			.withMessage("slowDownAt must be <= freezeAt (60.0) but was 80.0");
		assertThatExceptionOfType(InvalidConfigException.class)
			.isThrownBy(() -> SloConfig.builder().freezeAt(150).build())
			.withMessage("freezeAt must be in (0, 100] but was 150.0");
		assertThatExceptionOfType(InvalidConfigException.class)
			.isThrownBy(() -> SloConfig.builder().slowDownAt(0).build());
	}

}

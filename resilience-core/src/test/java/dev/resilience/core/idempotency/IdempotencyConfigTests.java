package dev.resilience.core.idempotency;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.resilience.core.InvalidConfigException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdempotencyConfigTests {

	@Test
	void hasTheDocumentedDefaults() {
		IdempotencyConfig defaults = IdempotencyConfig.defaults();

		assertThat(defaults.ttl()).isEqualTo(Duration.ofHours(24));
		assertThat(defaults.lease()).isEqualTo(Duration.ofSeconds(30));
		assertThat(defaults.maxWait()).isZero();
		assertThat(defaults.maxKeyLength()).isEqualTo(255);
	}

	@Test
	void rejectsValuesOutsideTheirRules() {
		IdempotencyConfig defaults = IdempotencyConfig.defaults();

		assertThatThrownBy(() -> defaults.withTtl(Duration.ZERO)).isInstanceOf(InvalidConfigException.class)
			.hasMessage("ttl must be > 0 but was PT0S");
		assertThatThrownBy(() -> defaults.withLease(Duration.ofSeconds(-1))).isInstanceOf(InvalidConfigException.class)
			.hasMessage("lease must be > 0 but was PT-1S");
		assertThatThrownBy(() -> defaults.withMaxWait(Duration.ofMillis(-5)))
			.isInstanceOf(InvalidConfigException.class)
			.hasMessage("maxWait must be >= 0 but was PT-0.005S");
		assertThatThrownBy(() -> defaults.withMaxKeyLength(0)).isInstanceOf(InvalidConfigException.class)
			.hasMessage("maxKeyLength must be >= 1 but was 0");
		assertThatThrownBy(() -> new IdempotencyConfig(null, Duration.ofSeconds(1), Duration.ZERO, 1))
			.isInstanceOf(InvalidConfigException.class)
			.hasMessage("ttl must not be null but was null");
	}

	@Test
	void withersChangeOneValue() {
		IdempotencyConfig config = IdempotencyConfig.defaults()
			.withTtl(Duration.ofMinutes(5))
			.withLease(Duration.ofSeconds(3))
			.withMaxWait(Duration.ofMillis(200))
			.withMaxKeyLength(64);

		assertThat(config).isEqualTo(
				new IdempotencyConfig(Duration.ofMinutes(5), Duration.ofSeconds(3), Duration.ofMillis(200), 64));
	}

}

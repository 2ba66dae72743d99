package dev.resilience.autoconfigure.properties;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import dev.resilience.core.retry.Jitter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PropertyValuesTests {

	@Test
	void fieldNamesBecomeKebabCaseKeys() {
		assertThat(PropertyValues.kebabCase("minRetriesPerSecond")).isEqualTo("min-retries-per-second");
		assertThat(PropertyValues.kebabCase("ttl")).isEqualTo("ttl");
	}

	@Test
	void durationsArePrintedInTheLargestExactUnit() {
		assertThat(PropertyValues.duration(Duration.ofMillis(100))).isEqualTo("100ms");
		assertThat(PropertyValues.duration(Duration.ofMillis(1500))).isEqualTo("1500ms");
		assertThat(PropertyValues.duration(Duration.ofDays(30))).isEqualTo("30d");
		assertThat(PropertyValues.duration(Duration.ofSeconds(-1))).isEqualTo("-1s");
		assertThat(PropertyValues.duration(Duration.ZERO)).isEqualTo("0ms");
		assertThat(PropertyValues.duration(Duration.ofNanos(7))).isEqualTo("7ns");
	}

	@Test
	void coreRulesAreTranslatedToPropertyTerms() {
		assertThat(PropertyValues.rule("must be >= initialBackoff (PT0.1S)"))
			.isEqualTo("must be >= initial-backoff (100ms)");
		assertThat(PropertyValues.rule("must be in [1s, 10m]")).isEqualTo("must be in [1s, 10m]");
	}

	@Test
	void valuesArePrintedAsTheyWouldBeWritten() {
		assertThat(PropertyValues.format(150.0)).isEqualTo("150");
		assertThat(PropertyValues.format(0.25)).isEqualTo("0.25");
		assertThat(PropertyValues.format(Jitter.FULL)).isEqualTo("full");
		assertThat(PropertyValues.format(List.of(IOException.class))).isEqualTo("[java.io.IOException]");
		assertThat(PropertyValues.format(null)).isEqualTo("(none)");
	}

}

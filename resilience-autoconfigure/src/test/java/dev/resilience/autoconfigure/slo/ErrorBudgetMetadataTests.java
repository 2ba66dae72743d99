package dev.resilience.autoconfigure.slo;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.resilience.autoconfigure.properties.ResilienceProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keys under {@code resilience.slo} are documented in the configuration metadata.
 */
class ErrorBudgetMetadataTests {

	private static DocumentContext metadata;

	@BeforeAll
	static void readMetadata() throws IOException {
		for (URL url : Collections.list(ErrorBudgetMetadataTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
				if (json.contains(ResilienceProperties.class.getName())) {
					metadata = JsonPath.parse(json);
				}
			}
		}
		assertThat(metadata).isNotNull();
	}

	@Test
	void sloKeysAreDocumentedWithTheirDefaults() {
		assertThat(property("resilience.slo.flush-interval")).containsEntry("defaultValue", "10s");
		assertThat(property("resilience.slo.store").get("description")).asString()
			.contains("resilience.idempotency.store");
		assertThat(property("resilience.slo.http").get("description")).asString()
			.contains("path", "method", "latency-threshold");
		assertThat(property("resilience.defaults.slo.window").get("description")).asString().contains("[3d, 100d]");
	}

	@Test
	void storeHintsItsValues() {
		List<String> values = metadata.read("$.hints[?(@.name == 'resilience.slo.store')].values[*].value");
		assertThat(values).containsExactly("memory", "jdbc", "redis");
	}

	private static Map<String, Object> property(String name) {
		List<Map<String, Object>> matches = metadata.read("$.properties[?(@.name == '" + name + "')]");
		assertThat(matches).as(name).hasSize(1);
		return matches.get(0);
	}

}

package dev.resilience.autoconfigure.slo;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import dev.resilience.core.slo.BucketSnapshot;
import dev.resilience.core.slo.BurnRateAlert;
import dev.resilience.core.slo.ErrorBudgetReport;
import dev.resilience.core.slo.SloConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The generated rules parse as YAML and hold the endpoint's windows and alerts.
 */
class PrometheusRulesTests {

	@Test
	void oneGroupPerObjectiveWithARatioPerWindowAndTheBudget() {
		List<Map<String, Object>> groups = groups(Map.of("payments", SloConfig.ofObjective(99.9)));

		assertThat(groups).singleElement().satisfies((group) -> assertThat(group).containsEntry("name",
				"resilience-slo-payments"));
		List<Map<String, Object>> rules = rules(groups.get(0));
		assertThat(rules.stream().filter((rule) -> rule.containsKey("record")).map((rule) -> rule.get("record")))
			.containsExactly("resilience_slo:error_ratio:rate5m", "resilience_slo:error_ratio:rate30m",
					"resilience_slo:error_ratio:rate1h", "resilience_slo:error_ratio:rate2h",
					"resilience_slo:error_ratio:rate6h", "resilience_slo:error_ratio:rate1d",
					"resilience_slo:error_ratio:rate3d", "resilience_slo:error_ratio:rate30d",
					"resilience_slo:budget_remaining");
		assertThat(rules.get(0).get("expr")).isEqualTo(
				"sum by (name) (rate(resilience_slo_events_total{name=\"payments\",outcome=\"bad\"}[5m]))"
						+ " / sum by (name) (rate(resilience_slo_events_total{name=\"payments\"}[5m]))");
		assertThat(rules.get(8).get("expr"))
			.isEqualTo("1 - resilience_slo:error_ratio:rate30d{name=\"payments\"} / 0.001");
	}

	@Test
	void alertsHaveTheEndpointsWindowsAndThresholds() {
		SloConfig config = SloConfig.builder().objective(99.5).window(Duration.ofDays(7)).build();
		List<Map<String, Object>> alerts = rules(groups(Map.of("payments", config)).get(0)).stream()
			.filter((rule) -> rule.containsKey("alert"))
			.toList();
		List<BurnRateAlert> expected = ErrorBudgetReport.compute(config, BucketSnapshot.empty(), Instant.EPOCH)
			.alerts();

		assertThat(alerts).hasSize(expected.size());
		for (int i = 0; i < alerts.size(); i++) {
			BurnRateAlert alert = expected.get(i);
			Map<String, Object> rule = alerts.get(i);
			@SuppressWarnings("unchecked")
			Map<String, Object> labels = (Map<String, Object>) rule.get("labels");
			assertThat(rule).containsEntry("alert", "ErrorBudgetBurn");
			assertThat(labels).containsEntry("severity", alert.severity().label())
				.containsEntry("long_window", alert.longWindow().label())
				.containsEntry("short_window", alert.shortWindow().label());
			String expr = (String) rule.get("expr");
			String limit = expr.substring(expr.indexOf("> (") + 3, expr.indexOf(" * 0.005)"));
			assertThat(Double.parseDouble(limit)).isCloseTo(alert.burnRateThreshold(),
					within(1e-9));
			assertThat(expr).isEqualTo("resilience_slo:error_ratio:rate" + alert.longWindow().label()
					+ "{name=\"payments\"} > (" + limit + " * 0.005) and resilience_slo:error_ratio:rate"
					+ alert.shortWindow().label() + "{name=\"payments\"} > (" + limit + " * 0.005)");
		}
		assertThat((String) alerts.get(0).get("expr")).as("14.4 scaled to 7 days, without binary noise")
			.contains("(3.36 * 0.005)");
		assertThat(rules(groups(Map.of("payments", config)).get(0))).extracting((rule) -> rule.get("record"))
			.contains("resilience_slo:error_ratio:rate7d");
	}

	@Test
	void aThreeDayWindowIsRecordedOnce() {
		List<Map<String, Object>> rules = rules(
				groups(Map.of("payments", SloConfig.builder().window(Duration.ofDays(3)).build())).get(0));

		assertThat(rules).filteredOn((rule) -> "resilience_slo:error_ratio:rate3d".equals(rule.get("record")))
			.hasSize(1);
	}

	@Test
	void namesAreEscapedForYamlAndPromql() {
		Map<String, SloConfig> objectives = new LinkedHashMap<>();
		objectives.put("it's \"odd\"", SloConfig.defaults());

		List<Map<String, Object>> rules = rules(groups(objectives).get(0));

		assertThat((String) rules.get(0).get("expr")).contains("{name=\"it's \\\"odd\\\"\",outcome=\"bad\"}");
	}

	@Test
	void noObjectivesGiveNoGroups() {
		Map<String, Object> file = new Yaml().load(PrometheusRules.generate(Map.of()));

		assertThat(file).containsEntry("groups", List.of());
	}

	@Test
	void endpointGeneratesTheRulesOfEveryBudget() {
		ErrorBudgetRegistry registry = ErrorBudgetRegistry.create();
		registry.errorBudget("payments", SloConfig.defaults());
		registry.errorBudget("orders-api", SloConfig.ofObjective(99));

		String rules = new ErrorBudgetRulesEndpoint(registry).rules();

		Map<String, Object> file = new Yaml().load(rules);
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> groups = (List<Map<String, Object>>) file.get("groups");
		assertThat(groups).extracting((group) -> group.get("name"))
			.containsExactly("resilience-slo-orders-api", "resilience-slo-payments");
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> groups(Map<String, SloConfig> objectives) {
		Map<String, Object> file = new Yaml().load(PrometheusRules.generate(objectives));
		return (List<Map<String, Object>>) file.get("groups");
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> rules(Map<String, Object> group) {
		return (List<Map<String, Object>>) group.get("rules");
	}

}

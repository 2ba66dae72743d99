package dev.resilience.benchmarks.jmh;

import java.lang.reflect.Method;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;

import dev.resilience.benchmarks.jmh.OverheadReport.Measurement;
import dev.resilience.benchmarks.jmh.OverheadReport.Row;
import dev.resilience.benchmarks.jmh.OverheadReport.Section;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report's bookkeeping; the benchmarks themselves run only under the overhead profile.
 */
class OverheadReportTests {

	@Test
	void everyRowNamesABenchmarkOfItsSection() throws NoSuchMethodException {
		for (Section section : OverheadReport.SECTIONS) {
			assertThat(benchmark(section, section.baseline())).isTrue();
			for (Row row : section.rows()) {
				assertThat(benchmark(section, row.method())).as(row.method()).isTrue();
				if (row.ours()) {
					assertThat(row.equivalent()).as(row.method()).isNotNull();
				}
				if (row.equivalent() != null) {
					assertThat(benchmark(section, row.equivalent())).as(row.equivalent()).isTrue();
				}
			}
		}
	}

	@Test
	void anIncludePatternSelectsOnlyTheSectionsWithAMatchingBenchmark() {
		assertThat(OverheadReport.selects(OverheadReport.CORE, ".*")).isTrue();
		assertThat(OverheadReport.selects(OverheadReport.CORE, "direct|oursPipeline")).isTrue();
		assertThat(OverheadReport.selects(OverheadReport.CORE, "springRetryable")).isFalse();
		assertThat(OverheadReport.selects(OverheadReport.SPRING, "springRetryable")).isTrue();
		assertThat(OverheadReport.selects(OverheadReport.SPRING, "clockRead")).isFalse();
		assertThat(OverheadReport.selects(OverheadReport.SPRING, "oursPipeline")).isFalse();
	}

	@Test
	void aDifferenceCountsOnlyWhenTheConfidenceIntervalsDoNotOverlap() {
		Measurement fast = new Measurement(10, 2, 0);
		Measurement slow = new Measurement(20, 3, 0);
		Measurement vague = new Measurement(14, 5, 0);
		assertThat(OverheadReport.below(fast, slow)).isEqualTo("**yes**");
		assertThat(OverheadReport.below(slow, fast)).isEqualTo("**no**");
		assertThat(OverheadReport.below(fast, vague)).isEqualTo("within noise (ours lower)");
		assertThat(OverheadReport.below(slow, vague)).isEqualTo("within noise (R4j lower)");
	}

	@Test
	void aMissingErrorIsTreatedAsNone() {
		Measurement single = new Measurement(10, Double.NaN, 0);
		assertThat(OverheadReport.below(single, new Measurement(11, Double.NaN, 0))).isEqualTo("**yes**");
	}

	private static boolean benchmark(Section section, String method) throws NoSuchMethodException {
		Method found = section.benchmarks().getMethod(method);
		return found.isAnnotationPresent(Benchmark.class);
	}

}

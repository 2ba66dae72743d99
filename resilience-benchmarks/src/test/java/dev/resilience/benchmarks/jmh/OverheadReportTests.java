package dev.resilience.benchmarks.jmh;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

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
	void everyRowNamesABenchmarkOfItsSection() {
		for (Section section : OverheadReport.SECTIONS) {
			assertThat(benchmark(section, section.baseline())).isTrue();
			if (section.floor() != null) {
				assertThat(benchmark(section, section.floor())).isTrue();
			}
			for (Row row : section.rows()) {
				assertThat(benchmark(section, row.method())).as(row.method()).isTrue();
				if (row.ours() && benchmark(section, "r4j" + row.method().substring("ours".length()))) {
					assertThat(row.equivalent()).as("Resilience4j's benchmark of the same name compares with %s",
							row.method())
						.isEqualTo("r4j" + row.method().substring("ours".length()));
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
		assertThat(OverheadReport.selects(OverheadReport.MVC, "plainHandler|oursIdempotent.*")).isTrue();
		assertThat(OverheadReport.selects(OverheadReport.SPRING, "plainHandler|oursIdempotent.*")).isFalse();
		assertThat(OverheadReport.selects(OverheadReport.CORE, "plainHandler|oursIdempotent.*")).isFalse();
	}

	@Test
	void theProcessorModelIsTheFirstModelNameOfCpuinfo() {
		assertThat(OverheadReport.cpuModel(List.of("processor\t: 0", "vendor_id\t: AuthenticAMD",
				"cpu family\t: 25", "model\t\t: 1", "model name\t: AMD EPYC 7B13", "processor\t: 1",
				"model name\t: other")))
			.isEqualTo("AMD EPYC 7B13, family 25 model 1");
		assertThat(OverheadReport.cpuModel(List.of("processor : 0", "model name : Some CPU")))
			.isEqualTo("Some CPU");
		assertThat(OverheadReport.cpuModel(List.of("processor : 0", "model name :", "CPU part : 0xd0c")))
			.isEqualTo("model not known");
		assertThat(OverheadReport.cpuModel(Path.of("does-not-exist", "cpuinfo"))).isEqualTo("model not known");
	}

	@Test
	void theMvcSectionRunsAtTheFirstConfiguredThreadCountOnly() {
		assertThat(OverheadReport.MVC.threads(new int[] { 1, 2 })).containsExactly(1);
		assertThat(OverheadReport.MVC.threads(new int[] { 2 })).containsExactly(2);
		assertThat(OverheadReport.SPRING.threads(new int[] { 1, 2 })).containsExactly(1, 2);
	}

	@Test
	void eachSectionNamesItsBaselineInItsColumns() {
		assertThat(OverheadReport.CORE.baselineColumn()).isEqualTo("direct");
		assertThat(OverheadReport.SPRING.baselineColumn()).isEqualTo("direct");
		assertThat(OverheadReport.MVC.baselineColumn()).isEqualTo("plain");
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

	/** Whether the section's class has a benchmark method of that name (with or without state parameters). */
	private static boolean benchmark(Section section, String method) {
		return Arrays.stream(section.benchmarks().getMethods())
			.anyMatch((candidate) -> candidate.getName().equals(method) && candidate.isAnnotationPresent(Benchmark.class));
	}

}

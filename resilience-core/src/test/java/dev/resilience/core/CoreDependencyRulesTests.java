package dev.resilience.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The core must stay usable without Spring and without Micrometer: it may not name a
 * type from either, in an import or fully qualified.
 */
class CoreDependencyRulesTests {

	private static final Pattern FORBIDDEN = Pattern.compile("\\b(org\\.springframework|io\\.micrometer)\\.");

	@Test
	void coreSourcesReferToNeitherSpringNorMicrometer() throws IOException {
		Path sources = Paths.get("src/main/java");
		assertThat(sources).isDirectory();
		List<String> violations = new ArrayList<>();
		int files;
		try (Stream<Path> paths = Files.walk(sources)) {
			List<Path> javaFiles = paths.filter((path) -> path.toString().endsWith(".java")).toList();
			files = javaFiles.size();
			for (Path file : javaFiles) {
				List<String> lines = readLines(file);
				for (int i = 0; i < lines.size(); i++) {
					Matcher matcher = FORBIDDEN.matcher(lines.get(i));
					if (matcher.find()) {
						violations.add(sources.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).trim());
					}
				}
			}
		}
		assertThat(files).as("core source files scanned").isGreaterThan(10);
		assertThat(violations).as("core references to Spring or Micrometer").isEmpty();
	}

	@Test
	void neitherSpringNorMicrometerIsOnTheCoreClasspath() {
		assertThat(isPresent("org.springframework.core.SpringVersion")).isFalse();
		assertThat(isPresent("io.micrometer.core.instrument.MeterRegistry")).isFalse();
	}

	@Test
	void patternCatchesImportsAndQualifiedNames() {
		assertThat(FORBIDDEN.matcher("import org.springframework.context.ApplicationContext;").find()).isTrue();
		assertThat(FORBIDDEN.matcher("io.micrometer.core.instrument.Counter counter;").find()).isTrue();
		assertThat(FORBIDDEN.matcher("import java.util.List;").find()).isFalse();
	}

	private static boolean isPresent(String className) {
		try {
			Class.forName(className, false, CoreDependencyRulesTests.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException ex) {
			return false;
		}
	}

	private static List<String> readLines(Path file) {
		try {
			return Files.readAllLines(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}

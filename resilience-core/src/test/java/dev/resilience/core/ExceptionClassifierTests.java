package dev.resilience.core;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExceptionClassifierTests {

	@Test
	void emptyListsAcceptEveryException() {
		ExceptionClassifier classifier = ExceptionClassifier.of(List.of(), List.of());
		assertThat(classifier.test(new IOException())).isTrue();
		assertThat(classifier.test(new Error())).isTrue();
		assertThat(classifier.test(null)).isFalse();
	}

	@Test
	void includeListAcceptsSubclassesOnly() {
		ExceptionClassifier classifier = ExceptionClassifier.of(List.of(IOException.class), List.of());
		assertThat(classifier.test(new FileNotFoundException())).isTrue();
		assertThat(classifier.test(new TimeoutException())).isFalse();
	}

	@Test
	void exclusionWinsOverInclusion() {
		ExceptionClassifier classifier = ExceptionClassifier.of(List.of(IOException.class),
				List.of(FileNotFoundException.class));
		assertThat(classifier.test(new IOException())).isTrue();
		assertThat(classifier.test(new FileNotFoundException())).isFalse();
	}

	@Test
	void exclusionAloneAcceptsEverythingElse() {
		ExceptionClassifier classifier = ExceptionClassifier.of(List.of(), List.of(IllegalArgumentException.class));
		assertThat(classifier.test(new UncheckedIOException(new IOException()))).isTrue();
		assertThat(classifier.test(new NumberFormatException())).isFalse();
		// cached decision is the same on the second call
		assertThat(classifier.test(new NumberFormatException())).isFalse();
	}

}

package dev.resilience.autoconfigure.aop;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stand-in for a remote dependency: every call hands out a stage that the test completes
 * when it wants, so a call can be observed in flight, waiting or done.
 */
final class Dependency {

	private final List<CompletableFuture<String>> calls = new CopyOnWriteArrayList<>();

	CompletableFuture<String> call() {
		CompletableFuture<String> stage = new CompletableFuture<>();
		calls.add(stage);
		return stage;
	}

	/**
	 * @param number the call's number, the first being 1
	 * @return that call's stage
	 */
	CompletableFuture<String> call(int number) {
		assertThat(calls).as("calls made to the dependency").hasSizeGreaterThanOrEqualTo(number);
		return calls.get(number - 1);
	}

	int calls() {
		return calls.size();
	}

}

package dev.resilience.core.retry;

import java.util.ArrayList;
import java.util.List;

/**
 * Records a retry's events as readable strings, in order.
 */
final class RecordingListener implements RetryListener {

	final List<String> events = new ArrayList<>();

	final List<Throwable> causes = new ArrayList<>();

	@Override
	public void onRetry(String name, int attempt, long delayNanos, Throwable cause) {
		this.events.add("retry " + name + " attempt=" + attempt + " delay=" + delayNanos);
		this.causes.add(cause);
	}

	@Override
	public void onBudgetDenied(String name) {
		this.events.add("denied " + name);
	}

	@Override
	public void onCallFinished(String name, RetryOutcome outcome, int attempts) {
		this.events.add("finished " + name + " " + outcome + " attempts=" + attempts);
	}

}

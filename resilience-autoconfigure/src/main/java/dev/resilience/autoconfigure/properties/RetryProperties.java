package dev.resilience.autoconfigure.properties;

import java.time.Duration;
import java.util.List;

import dev.resilience.core.retry.Jitter;
import dev.resilience.core.retry.NestedRetryMode;

/**
 * The {@code retry} section of an instance. Unset values ({@code null}) are inherited
 * from {@code resilience.defaults}, then from the built-in defaults.
 */
public class RetryProperties {

	/**
	 * Attempts in all, the first included. Default: 3.
	 */
	private Integer maxAttempts;

	/**
	 * Base wait after the first failed attempt. Default: 100ms.
	 */
	private Duration initialBackoff;

	/**
	 * Growth of the base wait per attempt, at least 1. Default: 2.0.
	 */
	private Double multiplier;

	/**
	 * Cap of any single wait; must not be below initial-backoff. Default: 10s.
	 */
	private Duration maxBackoff;

	/**
	 * How randomness is added to each wait: none, full, equal or decorrelated. Default:
	 * full.
	 */
	private Jitter jitter;

	/**
	 * Exception classes that are retried. Empty retries every exception that is not
	 * ignored. Default: empty.
	 */
	private List<Class<? extends Throwable>> retryOn;

	/**
	 * Exception classes that are never retried; wins over retry-on. Default: empty.
	 */
	private List<Class<? extends Throwable>> ignore;

	/**
	 * Which of nested retrying calls retries, so that attempts do not multiply across
	 * layers: innermost, outermost or all; the outermost call's setting governs the nest.
	 * Asynchronous calls (CompletionStage, Mono, Flux) nest like blocking ones.
	 * Default: innermost.
	 */
	private NestedRetryMode nested;

	/**
	 * Retry budget that keeps retries from turning an outage into a retry storm.
	 */
	private final Budget budget = new Budget();

	public Integer getMaxAttempts() {
		return this.maxAttempts;
	}

	public void setMaxAttempts(Integer maxAttempts) {
		this.maxAttempts = maxAttempts;
	}

	public Duration getInitialBackoff() {
		return this.initialBackoff;
	}

	public void setInitialBackoff(Duration initialBackoff) {
		this.initialBackoff = initialBackoff;
	}

	public Double getMultiplier() {
		return this.multiplier;
	}

	public void setMultiplier(Double multiplier) {
		this.multiplier = multiplier;
	}

	public Duration getMaxBackoff() {
		return this.maxBackoff;
	}

	public void setMaxBackoff(Duration maxBackoff) {
		this.maxBackoff = maxBackoff;
	}

	public Jitter getJitter() {
		return this.jitter;
	}

	public void setJitter(Jitter jitter) {
		this.jitter = jitter;
	}

	public List<Class<? extends Throwable>> getRetryOn() {
		return this.retryOn;
	}

	public void setRetryOn(List<Class<? extends Throwable>> retryOn) {
		this.retryOn = retryOn;
	}

	public List<Class<? extends Throwable>> getIgnore() {
		return this.ignore;
	}

	public void setIgnore(List<Class<? extends Throwable>> ignore) {
		this.ignore = ignore;
	}

	public NestedRetryMode getNested() {
		return this.nested;
	}

	public void setNested(NestedRetryMode nested) {
		this.nested = nested;
	}

	public Budget getBudget() {
		return this.budget;
	}

	/**
	 * The retry budget: every first attempt deposits {@code ratio} tokens, every retry
	 * withdraws one, deposits expire after {@code window}.
	 */
	public static class Budget {

		/**
		 * Whether retries are limited by the budget at all. Default: true.
		 */
		private Boolean enabled;

		/**
		 * Retries allowed per first attempt over the window, in [0, 1]. The tokens are spent
		 * at most twice as fast as they are earned: in each tenth of the window at most twice
		 * its share, or the ratio of that tenth's own first attempts if more. Default: 0.1.
		 */
		private Double ratio;

		/**
		 * Retries per second allowed whatever the traffic, so that a quiet service can
		 * still retry: a minimum, not added to what the ratio earns (a window allows the
		 * larger of this times the window and ratio times its first attempts). A call that
		 * fails although it retried suspends this minimum until an attempt succeeds, so a
		 * failing quiet service retries only what its traffic earns. Paced like the ratio's
		 * tokens, but a tenth of the window always holds the retries of one call.
		 * Default: 1.
		 */
		private Integer minRetriesPerSecond;

		/**
		 * How long a deposit stays in the budget, in [1s, 10m]. Default: 10s.
		 */
		private Duration window;

		public Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(Boolean enabled) {
			this.enabled = enabled;
		}

		public Double getRatio() {
			return this.ratio;
		}

		public void setRatio(Double ratio) {
			this.ratio = ratio;
		}

		public Integer getMinRetriesPerSecond() {
			return this.minRetriesPerSecond;
		}

		public void setMinRetriesPerSecond(Integer minRetriesPerSecond) {
			this.minRetriesPerSecond = minRetriesPerSecond;
		}

		public Duration getWindow() {
			return this.window;
		}

		public void setWindow(Duration window) {
			this.window = window;
		}

	}

}

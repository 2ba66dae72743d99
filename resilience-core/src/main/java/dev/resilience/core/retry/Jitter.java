package dev.resilience.core.retry;

/**
 * How randomness is added to the exponential backoff, after the AWS study "Exponential
 * Backoff And Jitter". With {@code base = min(maxBackoff, initialBackoff x multiplier^(n-1))}
 * for the wait after attempt {@code n}:
 */
public enum Jitter {

	/** {@code base}: every client waits the same, so their retries arrive together. */
	NONE,

	/** {@code random(0, base)}: spreads retries the most; the recommended default. */
	FULL,

	/** {@code base/2 + random(0, base/2)}: never waits less than half of {@code base}. */
	EQUAL,

	/**
	 * {@code min(maxBackoff, random(initialBackoff, previous x 3))}: each wait grows from
	 * the previous wait rather than from the attempt number.
	 */
	DECORRELATED

}

package dev.resilience.core.retry;

/**
 * Which of several retrying calls nested inside one another retries, so that attempts do
 * not multiply across layers.
 */
public enum NestedRetryMode {

	/** Only the innermost retrying call retries; the outer ones make one attempt each. */
	INNERMOST,

	/** Only the outermost retrying call retries; the inner ones make one attempt each. */
	OUTERMOST,

	/** Every layer retries on its own: attempts multiply. */
	ALL

}

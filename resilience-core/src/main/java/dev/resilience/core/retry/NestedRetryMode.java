package dev.resilience.core.retry;

/**
 * Which of several retrying calls nested inside one another retries, so that attempts do
 * not multiply across layers. Three layers of three attempts each over a call that always
 * fails make 3 calls under {@link #INNERMOST} and {@link #OUTERMOST}, 27 under {@link #ALL}.
 * <p>
 * <b>When layers disagree, the outermost layer's mode governs the whole nest.</b> The
 * outermost retrying call is where a request's attempts are owned (the entry point that
 * knows its caller's patience); an inner layer, often a library, cannot know whether and
 * how it is being retried. Each layer's mode therefore matters only when it is the
 * outermost, and one rule covers a nest of any depth, including parts of it that run on
 * other threads under a {@link RetryContext#capture() snapshot} and asynchronous calls
 * ({@link Retry#startExecution()}) started inside it.
 */
public enum NestedRetryMode {

	/**
	 * Every layer may retry, but never an outcome that a nested layer has already decided
	 * on: whatever ends a nested retrying call (its last failure after exhausting its
	 * attempts or being refused by its budget, a failure it does not retry, or a retried
	 * result it gave up on) is final for every layer around it, also when it comes back
	 * wrapped as the cause of another exception. So in effect only the innermost retrying
	 * call retries a failure, while an outer layer still retries failures that did not come
	 * out of a nested retrying call, such as one thrown by its own code after the nested call.
	 * Outcomes are recognised by identity and the exception types are unchanged.
	 */
	INNERMOST,

	/** Only the outermost retrying call retries; the inner ones make one attempt each. */
	OUTERMOST,

	/** Every layer retries on its own: attempts multiply. */
	ALL

}

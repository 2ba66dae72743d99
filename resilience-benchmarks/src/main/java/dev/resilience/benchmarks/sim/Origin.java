package dev.resilience.benchmarks.sim;

/**
 * The service every simulated client ends up calling.
 */
public interface Origin {

	/**
	 * Accepts one attempt; the origin answers it later through {@link Request#respond}.
	 * @param request the attempt
	 */
	void submit(Request request);

	/**
	 * @return requests waiting for a worker; 0 for an origin without a queue
	 */
	default int queueLength() {
		return 0;
	}

}

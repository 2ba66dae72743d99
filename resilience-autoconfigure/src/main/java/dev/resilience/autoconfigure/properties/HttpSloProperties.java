package dev.resilience.autoconfigure.properties;

/**
 * A service level objective over the application's own HTTP routes
 * ({@code resilience.slo.http.<name>}): every request whose path matches {@code path}
 * (and whose method is {@code method}, when set) is one event, bad when it answers with a
 * 5xx status or takes longer than {@code latency-threshold}. Unset objective settings are
 * inherited from {@code resilience.defaults.slo}, then from the built-in defaults.
 */
public class HttpSloProperties extends SloProperties {

	/**
	 * Path pattern of the requests the objective covers, within the application's context
	 * path, in Spring's PathPattern syntax: "/orders/**", "/orders/{id}". Required.
	 */
	private String path;

	/**
	 * HTTP method of the requests the objective covers (GET, POST, ...). Unset: every
	 * method.
	 */
	private String method;

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		this.path = path;
	}

	public String getMethod() {
		return this.method;
	}

	public void setMethod(String method) {
		this.method = method;
	}

}

package dev.resilience.autoconfigure.properties;

import java.util.Objects;

/**
 * Resolved settings of an HTTP service level objective ({@code resilience.slo.http.<name>}).
 *
 * @param name the objective's name, which names its error budget
 * @param path the path pattern of the requests it covers
 * @param method the upper-case HTTP method of the requests it covers, or {@code null} for
 * every method
 * @param slo the objective, its window and its policy thresholds
 */
public record HttpSloSettings(String name, String path, String method, SloSettings slo) {

	public HttpSloSettings {
		Objects.requireNonNull(name, "name must not be null");
		Objects.requireNonNull(path, "path must not be null");
		Objects.requireNonNull(slo, "slo must not be null");
	}

}

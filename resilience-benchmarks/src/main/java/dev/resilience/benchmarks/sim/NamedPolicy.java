package dev.resilience.benchmarks.sim;

import java.util.Objects;

/**
 * A {@link Policy} with its name and description given up front, so that each policy
 * writes only how it makes its strategies.
 */
public abstract class NamedPolicy implements Policy {

	private final String name;

	private final String description;

	/**
	 * @param name a short name for tables and charts
	 * @param description what the policy does, in one sentence
	 */
	protected NamedPolicy(String name, String description) {
		this.name = Objects.requireNonNull(name, "name must not be null");
		this.description = Objects.requireNonNull(description, "description must not be null");
	}

	@Override
	public final String name() {
		return name;
	}

	@Override
	public final String description() {
		return description;
	}

}

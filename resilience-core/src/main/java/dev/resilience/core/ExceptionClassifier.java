package dev.resilience.core;

import java.util.List;
import java.util.Objects;

/**
 * Decides whether an exception is of interest to a policy, from an include list and an
 * exclude list of exception types. Exclusion wins; an empty include list includes every
 * exception that is not excluded. Matching is by {@code instanceof}. The answer per
 * exception class is cached, so classifying costs one lookup after the first time.
 */
public final class ExceptionClassifier {

	private static final ExceptionClassifier ALL = new ExceptionClassifier(List.of(), List.of());

	private final List<Class<? extends Throwable>> include;

	private final List<Class<? extends Throwable>> exclude;

	private final ClassValue<Boolean> decisions = new ClassValue<>() {
		@Override
		protected Boolean computeValue(Class<?> type) {
			return decide(type);
		}
	};

	private ExceptionClassifier(List<Class<? extends Throwable>> include, List<Class<? extends Throwable>> exclude) {
		this.include = List.copyOf(include);
		this.exclude = List.copyOf(exclude);
	}

	/**
	 * A classifier that accepts every exception.
	 * @return the shared instance
	 */
	public static ExceptionClassifier all() {
		return ALL;
	}

	/**
	 * A classifier from an include and an exclude list.
	 * @param include types that are accepted; empty accepts everything not excluded
	 * @param exclude types that are never accepted
	 * @return the classifier
	 */
	public static ExceptionClassifier of(List<Class<? extends Throwable>> include,
			List<Class<? extends Throwable>> exclude) {
		Objects.requireNonNull(include, "include must not be null");
		Objects.requireNonNull(exclude, "exclude must not be null");
		if (include.isEmpty() && exclude.isEmpty()) {
			return ALL;
		}
		return new ExceptionClassifier(include, exclude);
	}

	/**
	 * @param error the exception to classify
	 * @return whether the exception is accepted
	 */
	public boolean test(Throwable error) {
		return error != null && decisions.get(error.getClass());
	}

	public List<Class<? extends Throwable>> include() {
		return include;
	}

	public List<Class<? extends Throwable>> exclude() {
		return exclude;
	}

	private boolean decide(Class<?> type) {
		for (Class<? extends Throwable> excluded : exclude) {
			if (excluded.isAssignableFrom(type)) {
				return false;
			}
		}
		if (include.isEmpty()) {
			return true;
		}
		for (Class<? extends Throwable> included : include) {
			if (included.isAssignableFrom(type)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public String toString() {
		return "ExceptionClassifier[include=" + include + ", exclude=" + exclude + "]";
	}

}

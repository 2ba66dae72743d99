package dev.resilience.core.slo;

/**
 * What the error budget says about shipping changes, from the share of the budget
 * consumed over the SLO window.
 */
public enum ReleasePolicy {

	/** Less than {@code slowDownAt} percent of the budget is consumed. */
	NORMAL,

	/** At least {@code slowDownAt} percent is consumed: ship with care. */
	SLOW_DOWN,

	/** At least {@code freezeAt} percent is consumed: ship only fixes for reliability. */
	FREEZE

}

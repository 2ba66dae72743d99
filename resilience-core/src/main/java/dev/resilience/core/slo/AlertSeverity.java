package dev.resilience.core.slo;

import java.util.Locale;

/**
 * How urgent a burn-rate alert is.
 */
public enum AlertSeverity {

	/** Someone should look now: the budget burns fast enough to be gone within days. */
	PAGE,

	/** Someone should look within working hours: a slow, steady burn. */
	TICKET;

	/**
	 * @return the lower-case name used in reports ({@code page}, {@code ticket})
	 */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

}

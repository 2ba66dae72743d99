package dev.resilience.autoconfigure.loadshedding;

import java.util.Locale;

/**
 * How important a request is to the load shedder: under overload, {@link #SHEDDABLE}
 * requests are shed first and {@link #CRITICAL} ones last. Each priority may use a share
 * of the concurrency limit; a request is shed when the requests in flight already fill
 * its share.
 */
public enum RequestPriority {

	/** Uses the whole limit: shed only when the service is full. */
	CRITICAL(1.0),

	/** Uses up to 90% of the limit, leaving room for critical requests. The default. */
	NORMAL(0.9),

	/** Uses up to half the limit: shed first. Retries of normal requests count as sheddable. */
	SHEDDABLE(0.5);

	private final double share;

	RequestPriority(double share) {
		this.share = share;
	}

	/**
	 * @return the fraction of the limit that requests of this priority may fill
	 */
	public double share() {
		return this.share;
	}

	/**
	 * @return the next lower priority, or this one when it is the lowest
	 */
	public RequestPriority lower() {
		return (this == CRITICAL) ? NORMAL : SHEDDABLE;
	}

	/**
	 * @param value a header value such as {@code critical}, in any case
	 * @return the priority, or {@code null} when the value names none
	 */
	public static RequestPriority parse(String value) {
		if (value == null) {
			return null;
		}
		switch (value.trim().toLowerCase(Locale.ROOT)) {
			case "critical":
				return CRITICAL;
			case "normal":
				return NORMAL;
			case "sheddable":
				return SHEDDABLE;
			default:
				return null;
		}
	}

	/**
	 * @return the value as written in configuration and headers ({@code sheddable})
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

}

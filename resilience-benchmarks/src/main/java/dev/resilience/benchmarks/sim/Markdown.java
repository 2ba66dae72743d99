package dev.resilience.benchmarks.sim;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The text of a Markdown report as it is written, with the number formats every table
 * of the report shares.
 */
final class Markdown {

	private final StringBuilder text = new StringBuilder();

	Markdown line(String line) {
		text.append(line).append('\n');
		return this;
	}

	Markdown line() {
		text.append('\n');
		return this;
	}

	@Override
	public String toString() {
		return text.toString();
	}

	static String number(double value, int decimals) {
		return String.format(Locale.ROOT, "%." + decimals + "f", value);
	}

	static String percent(double ratio, int decimals) {
		return number(ratio * 100, decimals) + "%";
	}

	static String times(double ratio) {
		return number(ratio, 2) + "x";
	}

	/**
	 * @param seconds a recovery time, empty when the run never recovered
	 * @return {@code 2.5 s}, or {@code **never**}
	 */
	static String recovery(OptionalDouble seconds) {
		return seconds.isPresent() ? number(seconds.getAsDouble(), 1) + " s" : "**never**";
	}

}

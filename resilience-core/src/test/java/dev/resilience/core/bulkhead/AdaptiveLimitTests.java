package dev.resilience.core.bulkhead;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.resilience.core.InvalidConfigException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdaptiveLimitTests {

	private static final long MS = 1_000_000L;

	/** No probe within these tests unless one asks for it. */
	private static AdaptiveLimitConfig config(int initial, int min, int max) {
		return new AdaptiveLimitConfig(initial, min, max, 0.2, 1.25, 1_000);
	}

	/** Feeds one window: as many calls as the limit, at least ten, all alike. */
	private static int window(AdaptiveLimit limit, long rttNanos, int inFlight) {
		int samples = Math.max(10, limit.limit());
		int result = limit.limit();
		for (int i = 0; i < samples; i++) {
			result = limit.onSample(rttNanos, inFlight, false);
		}
		return result;
	}

	@Test
	void growsWhileCallsDoNotQueue() {
		AdaptiveLimit limit = new AdaptiveLimit(config(16, 1, 100));
		// 16 * 0.8 + (16 + 4) * 0.2 = 16.8, then 16.8 + 0.2 * sqrt(16.8) = 17.62.
		assertThat(window(limit, 10 * MS, 16)).isEqualTo(16);
		assertThat(window(limit, 10 * MS, 17)).isEqualTo(17);
		for (int i = 0; i < 20; i++) {
			window(limit, 10 * MS, limit.limit());
		}
		assertThat(limit.limit()).isGreaterThan(30);
	}

	@Test
	void doesNotGrowWhileTheTrafficIsTheBound() {
		AdaptiveLimit limit = new AdaptiveLimit(config(16, 1, 100));
		for (int i = 0; i < 50; i++) {
			window(limit, 10 * MS, 7);
		}
		assertThat(limit.limit()).isEqualTo(16);
	}

	@Test
	void shrinksWhenLatencyRisesBeyondTheTolerance() {
		AdaptiveLimit limit = new AdaptiveLimit(config(40, 1, 100));
		window(limit, 10 * MS, 40);
		int before = limit.limit();
		// 12.5 ms is within 1.25 x 10 ms: no queueing worth shrinking for.
		assertThat(window(limit, 12 * MS, before)).isGreaterThanOrEqualTo(before);
		int grown = limit.limit();
		// Gradient 1.25 * 10 / 20 = 0.625: the estimate keeps 1 - 0.2 * 0.375 = 92.5% per window.
		assertThat(window(limit, 20 * MS, grown)).isBetween((int) (grown * 0.925), (int) ((grown + 1) * 0.925));
		for (int i = 0; i < 100; i++) {
			window(limit, 20 * MS, limit.limit());
		}
		assertThat(limit.limit()).as("nothing but slow windows: down to the floor").isEqualTo(1);
	}

	@Test
	void failedCallFasterThanTheBaselineIsNoSample() {
		AdaptiveLimit limit = new AdaptiveLimit(config(20, 1, 100));
		window(limit, 10 * MS, 20);
		int before = limit.limit();
		for (int i = 0; i < 1_000; i++) {
			assertThat(limit.onSample(MS, 20, true)).isEqualTo(before);
		}
		// Had they lowered the baseline, these 10 ms windows would now count as queueing.
		window(limit, 10 * MS, 20);
		assertThat(limit.limit()).isGreaterThanOrEqualTo(before);
	}

	@Test
	void slowFailedCallsPushTheLimitDown() {
		AdaptiveLimit limit = new AdaptiveLimit(config(20, 1, 100));
		window(limit, 10 * MS, 20);
		int before = limit.limit();
		for (int i = 0; i < 20; i++) {
			limit.onSample(1_000 * MS, 20, true);
		}
		assertThat(limit.limit()).isLessThan(before);
	}

	@Test
	void probeHalvesTheLimitForTwoWindowsOfTheOldSizeThenRestoresIt() {
		AdaptiveLimit limit = new AdaptiveLimit(new AdaptiveLimitConfig(40, 1, 100, 0.2, 1.25, 3));
		// Traffic-bound windows keep the estimate still, so the probe is easy to see.
		window(limit, 10 * MS, 5);
		window(limit, 10 * MS, 5);
		assertThat(limit.limit()).isEqualTo(40);
		assertThat(window(limit, 10 * MS, 5)).as("third window: the probe starts").isEqualTo(20);
		// The probe's windows are 40 calls long, not 20.
		for (int i = 0; i < 40 + 39; i++) {
			assertThat(limit.onSample(30 * MS, 5, false)).isEqualTo(20);
		}
		assertThat(limit.onSample(30 * MS, 5, false)).as("restored after two windows").isEqualTo(40);
		// The probe measured 30 ms without queueing: that is the baseline now, so 30 ms is no reason to shrink.
		assertThat(window(limit, 30 * MS, 40)).isGreaterThanOrEqualTo(40);
	}

	@Test
	void neverLeavesItsBoundsWhateverTheSamples() {
		AdaptiveLimitConfig config = new AdaptiveLimitConfig(10, 3, 25, 0.7, 1.1, 2);
		AdaptiveLimit limit = new AdaptiveLimit(config);
		SplittableRandom random = new SplittableRandom(7);
		int seenLow = Integer.MAX_VALUE;
		int seenHigh = 0;
		for (int i = 0; i < 200_000; i++) {
			long rtt = random.nextInt(4) == 0 ? random.nextLong(1, 1_000 * MS) : random.nextLong(5 * MS, 15 * MS);
			int now = limit.onSample(rtt, random.nextInt(0, 40), random.nextInt(10) == 0);
			assertThat(now).isBetween(3, 25);
			seenLow = Math.min(seenLow, now);
			seenHigh = Math.max(seenHigh, now);
		}
		assertThat(seenLow).as("the samples did drive it down to the floor").isEqualTo(3);
		assertThat(seenHigh).as("and up to the ceiling").isEqualTo(25);
	}

	@Test
	void configRulesNameFieldRuleAndValue() {
		assertThatThrownBy(() -> new AdaptiveLimitConfig(1, 0, 10, 0.2, 1.25, 100))
			.isInstanceOf(InvalidConfigException.class)
			.hasMessage("minLimit must be >= 1 but was 0");
		assertThatThrownBy(() -> AdaptiveLimitConfig.of(5, 5, 4))
			.hasMessage("maxLimit must be >= minLimit (5) but was 4");
		assertThatThrownBy(() -> AdaptiveLimitConfig.of(50, 5, 40))
			.hasMessage("initialLimit must be in [minLimit, maxLimit] ([5, 40]) but was 50");
		assertThatThrownBy(() -> new AdaptiveLimitConfig(10, 1, 40, 0.0, 1.25, 100))
			.hasMessage("smoothing must be in (0, 1] but was 0.0");
		assertThatThrownBy(() -> new AdaptiveLimitConfig(10, 1, 40, Double.NaN, 1.25, 100))
			.hasMessage("smoothing must be in (0, 1] but was NaN");
		assertThatThrownBy(() -> new AdaptiveLimitConfig(10, 1, 40, 0.2, 0.9, 100))
			.hasMessage("rttTolerance must be >= 1.0 but was 0.9");
		assertThatThrownBy(() -> new AdaptiveLimitConfig(10, 1, 40, 0.2, Double.POSITIVE_INFINITY, 100))
			.hasMessage("rttTolerance must be finite but was Infinity");
		assertThatThrownBy(() -> new AdaptiveLimitConfig(10, 1, 40, 0.2, 1.25, 0))
			.hasMessage("probeInterval must be >= 1 but was 0");
	}

	@Test
	void defaultsMatchTheDocumentedValues() {
		assertThat(AdaptiveLimitConfig.defaults()).isEqualTo(new AdaptiveLimitConfig(20, 1, 200, 0.2, 1.25, 100));
	}

}

package dev.resilience.core.retry;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BackoffTests {

	private static final long MS = 1_000_000L;

	private static final int DRAWS = 20_000;

	private static Backoff backoff(Jitter jitter, Duration initial, double multiplier, Duration max) {
		return Backoff.of(RetryConfig.builder()
			.jitter(jitter)
			.initialBackoff(initial)
			.multiplier(multiplier)
			.maxBackoff(max)
			.build());
	}

	private static Backoff standard(Jitter jitter) {
		return backoff(jitter, Duration.ofMillis(100), 2.0, Duration.ofSeconds(10));
	}

	@Test
	void noJitterGrowsByMultiplierFromInitialBackoff() {
		Backoff backoff = standard(Jitter.NONE);
		assertThat(backoff.delayNanos(1, 0, EdgeRandom.NEVER)).isEqualTo(100 * MS);
		assertThat(backoff.delayNanos(2, 0, EdgeRandom.NEVER)).isEqualTo(200 * MS);
		assertThat(backoff.delayNanos(3, 0, EdgeRandom.NEVER)).isEqualTo(400 * MS);
		assertThat(backoff.delayNanos(7, 0, EdgeRandom.NEVER)).isEqualTo(6_400 * MS);
	}

	@Test
	void noJitterWithFractionalMultiplierIsExact() {
		Backoff backoff = backoff(Jitter.NONE, Duration.ofMillis(100), 1.5, Duration.ofSeconds(10));
		assertThat(backoff.delayNanos(2, 0, EdgeRandom.NEVER)).isEqualTo(150 * MS);
		assertThat(backoff.delayNanos(4, 0, EdgeRandom.NEVER)).isEqualTo(337_500_000L);
	}

	@Test
	void noJitterIgnoresPreviousDelay() {
		Backoff backoff = standard(Jitter.NONE);
		assertThat(backoff.delayNanos(2, 5_000 * MS, EdgeRandom.NEVER)).isEqualTo(200 * MS);
	}

	@Test
	void multiplierOfOneKeepsInitialBackoff() {
		Backoff backoff = backoff(Jitter.NONE, Duration.ofMillis(250), 1.0, Duration.ofSeconds(1));
		assertThat(backoff.delayNanos(1, 0, EdgeRandom.NEVER)).isEqualTo(250 * MS);
		assertThat(backoff.delayNanos(50, 0, EdgeRandom.NEVER)).isEqualTo(250 * MS);
	}

	@Test
	void baseIsCappedAtMaxBackoff() {
		Backoff backoff = standard(Jitter.NONE);
		assertThat(backoff.delayNanos(8, 0, EdgeRandom.NEVER)).isEqualTo(10_000 * MS);
		assertThat(backoff.delayNanos(30, 0, EdgeRandom.NEVER)).isEqualTo(10_000 * MS);
	}

	@Test
	void hugeAttemptNumberAndMultiplierSaturateAtMaxBackoff() {
		Backoff backoff = backoff(Jitter.NONE, Duration.ofMillis(1), 1e300, Duration.ofSeconds(3));
		assertThat(backoff.delayNanos(2, 0, EdgeRandom.NEVER)).isEqualTo(3_000 * MS);
		assertThat(backoff.delayNanos(Integer.MAX_VALUE, 0, EdgeRandom.NEVER)).isEqualTo(3_000 * MS);
		assertThat(standard(Jitter.NONE).delayNanos(Integer.MAX_VALUE, 0, EdgeRandom.NEVER)).isEqualTo(10_000 * MS);
	}

	@Test
	void maxBackoffBeyondLongNanosSaturatesWithoutOverflow() {
		Duration centuries = Duration.ofDays(365L * 1000);
		for (Jitter jitter : Jitter.values()) {
			Backoff backoff = backoff(jitter, Duration.ofSeconds(1), 10.0, centuries);
			assertThat(backoff.delayNanos(Integer.MAX_VALUE, Long.MAX_VALUE, EdgeRandom.HIGHEST)).as("%s", jitter)
				.isEqualTo(Long.MAX_VALUE);
			assertThat(backoff.delayNanos(Integer.MAX_VALUE, Long.MAX_VALUE, EdgeRandom.LOWEST)).as("%s", jitter)
				.isBetween(0L, Long.MAX_VALUE);
		}
	}

	@Test
	void zeroInitialBackoffAlwaysWaitsZero() {
		for (Jitter jitter : Jitter.values()) {
			Backoff backoff = backoff(jitter, Duration.ZERO, 1e300, Duration.ofSeconds(1));
			assertThat(backoff.delayNanos(Integer.MAX_VALUE, 0, EdgeRandom.HIGHEST)).as("%s", jitter).isZero();
		}
	}

	@Test
	void rejectsAttemptBelowOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> standard(Jitter.NONE).delayNanos(0, 0, EdgeRandom.NEVER))
			.withMessage("attempt must be >= 1 but was 0");
	}

	@Test
	void fullJitterDrawsWithinZeroAndBase() {
		Backoff backoff = standard(Jitter.FULL);
		RandomGenerator random = new SplittableRandom(42);
		for (int attempt = 1; attempt <= 9; attempt++) {
			long base = backoff.baseNanos(attempt);
			long min = Long.MAX_VALUE;
			long max = Long.MIN_VALUE;
			for (int i = 0; i < DRAWS; i++) {
				long delay = backoff.delayNanos(attempt, 0, random);
				min = Math.min(min, delay);
				max = Math.max(max, delay);
			}
			assertThat(min).isGreaterThanOrEqualTo(0).isLessThan(base / 100);
			assertThat(max).isLessThanOrEqualTo(base).isGreaterThan(base - base / 100);
		}
	}

	@Test
	void fullJitterEdgeDrawsAreZeroAndBase() {
		Backoff backoff = standard(Jitter.FULL);
		assertThat(backoff.delayNanos(3, 0, EdgeRandom.LOWEST)).isZero();
		assertThat(backoff.delayNanos(3, 0, EdgeRandom.HIGHEST)).isEqualTo(400 * MS);
		assertThat(backoff.delayNanos(40, 0, EdgeRandom.HIGHEST)).isEqualTo(10_000 * MS);
	}

	@Test
	void equalJitterDrawsWithinHalfBaseAndBase() {
		Backoff backoff = standard(Jitter.EQUAL);
		RandomGenerator random = new SplittableRandom(7);
		for (int attempt = 1; attempt <= 9; attempt++) {
			long base = backoff.baseNanos(attempt);
			long min = Long.MAX_VALUE;
			long max = Long.MIN_VALUE;
			for (int i = 0; i < DRAWS; i++) {
				long delay = backoff.delayNanos(attempt, 0, random);
				min = Math.min(min, delay);
				max = Math.max(max, delay);
			}
			assertThat(min).isGreaterThanOrEqualTo(base / 2).isLessThan(base / 2 + base / 100);
			assertThat(max).isLessThanOrEqualTo(base).isGreaterThan(base - base / 100);
		}
	}

	@Test
	void equalJitterEdgeDrawsAreHalfBaseAndBaseEvenForOddBase() {
		Backoff backoff = backoff(Jitter.EQUAL, Duration.ofNanos(101), 1.0, Duration.ofNanos(101));
		assertThat(backoff.delayNanos(1, 0, EdgeRandom.LOWEST)).isEqualTo(50);
		assertThat(backoff.delayNanos(1, 0, EdgeRandom.HIGHEST)).isEqualTo(101);
	}

	@Test
	void decorrelatedJitterStartsFromInitialBackoffOnFirstRetry() {
		Backoff backoff = standard(Jitter.DECORRELATED);
		assertThat(backoff.delayNanos(1, 0, EdgeRandom.LOWEST)).isEqualTo(100 * MS);
		assertThat(backoff.delayNanos(1, 0, EdgeRandom.HIGHEST)).isEqualTo(300 * MS);
	}

	@Test
	void decorrelatedJitterGrowsFromPreviousDelayAndIsCapped() {
		Backoff backoff = standard(Jitter.DECORRELATED);
		assertThat(backoff.delayNanos(2, 300 * MS, EdgeRandom.HIGHEST)).isEqualTo(900 * MS);
		assertThat(backoff.delayNanos(2, 300 * MS, EdgeRandom.LOWEST)).isEqualTo(100 * MS);
		assertThat(backoff.delayNanos(9, 4_000 * MS, EdgeRandom.HIGHEST)).isEqualTo(10_000 * MS);
		assertThat(backoff.delayNanos(9, Long.MAX_VALUE, EdgeRandom.HIGHEST)).isEqualTo(10_000 * MS);
	}

	@Test
	void decorrelatedJitterNeverDropsBelowInitialBackoffWhenPreviousIsSmaller() {
		Backoff backoff = standard(Jitter.DECORRELATED);
		assertThat(backoff.delayNanos(2, 1, EdgeRandom.HIGHEST)).isEqualTo(100 * MS);
		assertThat(backoff.delayNanos(2, 1, EdgeRandom.LOWEST)).isEqualTo(100 * MS);
	}

	@Test
	void decorrelatedJitterDrawsWithinInitialAndThreeTimesPrevious() {
		Backoff backoff = standard(Jitter.DECORRELATED);
		RandomGenerator random = new SplittableRandom(3);
		long previous = 0;
		long max = 0;
		for (int i = 0; i < DRAWS; i++) {
			long delay = backoff.delayNanos(i % 10 + 1, previous, random);
			long upper = Math.min(10_000 * MS, 3 * ((previous > 0) ? previous : 100 * MS));
			assertThat(delay).isBetween(100 * MS, upper);
			max = Math.max(max, delay);
			// Restart the sequence now and then so small previous values are drawn often too.
			previous = (i % 10 == 9) ? 0 : delay;
		}
		assertThat(max).isEqualTo(10_000 * MS);
	}

}

package dev.resilience.benchmarks.sim;

import java.time.Duration;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScheduledRetryTests {

	private static final long MS = 1_000_000;

	@Test
	void noneGivesUpAfterTheFirstAttempt() {
		assertThat(ScheduledRetry.none().onFailure(1, 0, AttemptFailure.TIMEOUT)).isEqualTo(RetryStrategy.NO_RETRY);
	}

	@Test
	void exponentialWaitsDoubleAndStopAfterMaxAttempts() {
		ScheduledRetry retry = ScheduledRetry.exponential(4, Duration.ofMillis(100), 2);
		assertThat(retry.onFailure(1, 0, AttemptFailure.ERROR)).isEqualTo(100 * MS);
		assertThat(retry.onFailure(2, 100 * MS, AttemptFailure.ERROR)).isEqualTo(200 * MS);
		assertThat(retry.onFailure(3, 200 * MS, AttemptFailure.ERROR)).isEqualTo(400 * MS);
		assertThat(retry.onFailure(4, 400 * MS, AttemptFailure.ERROR)).isEqualTo(RetryStrategy.NO_RETRY);
	}

	@Test
	void fixedWaitsTheSameEveryTime() {
		ScheduledRetry retry = ScheduledRetry.fixed(3, Duration.ofMillis(500));
		assertThat(retry.onFailure(1, 0, AttemptFailure.TIMEOUT)).isEqualTo(500 * MS);
		assertThat(retry.onFailure(2, 500 * MS, AttemptFailure.TIMEOUT)).isEqualTo(500 * MS);
		assertThat(retry.onFailure(3, 500 * MS, AttemptFailure.TIMEOUT)).isEqualTo(RetryStrategy.NO_RETRY);
	}

	@Test
	void fullJitterStaysBelowTheBaseAndSpreadsOverIt() {
		ScheduledRetry retry = ScheduledRetry.exponentialFullJitter(4, Duration.ofMillis(100), 2,
				new SplittableRandom(1));
		long min = Long.MAX_VALUE;
		long max = 0;
		for (int i = 0; i < 1_000; i++) {
			long delay = retry.onFailure(3, 0, AttemptFailure.ERROR);
			min = Math.min(min, delay);
			max = Math.max(max, delay);
		}
		assertThat(min).isGreaterThanOrEqualTo(0).isLessThan(40 * MS);
		assertThat(max).isLessThan(400 * MS).isGreaterThan(360 * MS);
	}

	@Test
	void documentedFrameworkDefaultsAreModelled() {
		Policy resilience4j = Policies.resilience4jDefaults();
		Policy spring = Policies.springRetryableDefaults();
		RetryStrategy r4j = resilience4j.newStrategy(0, () -> 0, new SplittableRandom(1));
		RetryStrategy spr = spring.newStrategy(0, () -> 0, new SplittableRandom(1));
		assertThat(r4j.onFailure(2, 0, AttemptFailure.ERROR)).isEqualTo(500 * MS);
		assertThat(r4j.onFailure(3, 0, AttemptFailure.ERROR)).isEqualTo(RetryStrategy.NO_RETRY);
		assertThat(spr.onFailure(3, 0, AttemptFailure.ERROR)).isEqualTo(1_000 * MS);
		assertThat(spr.onFailure(4, 0, AttemptFailure.ERROR)).isEqualTo(RetryStrategy.NO_RETRY);
	}

}

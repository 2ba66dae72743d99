package dev.resilience.core.retry;

import java.time.Duration;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.resilience.core.time.ManualTicker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RetryBudgetTests {

	private static final Duration WINDOW = Duration.ofSeconds(10);

	private final ManualTicker ticker = ManualTicker.create();

	private RetryBudget budget(double ratio, int minRetriesPerSecond) {
		return RetryBudget.of(new RetryBudgetConfig(true, ratio, minRetriesPerSecond, WINDOW), this.ticker);
	}

	private static void firstAttempts(RetryBudget budget, int count) {
		for (int i = 0; i < count; i++) {
			budget.recordFirstAttempt();
		}
	}

	/** Deposits dated exactly, as a caller that reads the ticker anyway records them. */
	private void datedFirstAttempts(RetryBudget budget, int count) {
		for (int i = 0; i < count; i++) {
			budget.recordFirstAttempt(this.ticker.read());
		}
	}

	private static int grantedRetries(RetryBudget budget, int tries) {
		int granted = 0;
		for (int i = 0; i < tries; i++) {
			if (budget.tryAcquireRetry()) {
				granted++;
			}
		}
		return granted;
	}

	@Test
	void floorOfMinRetriesPerSecondTimesWindowIsAvailableWithoutTraffic() {
		RetryBudget budget = budget(0.1, 10);
		assertThat(budget.available()).isEqualTo(100.0);
		// Paced: twice a slice's share of the window's 100 tokens per 1 s slice.
		assertThat(grantedRetries(budget, 21)).isEqualTo(20);
		assertThat(budget.deniedRetries()).isEqualTo(1);
		for (int slice = 1; slice < 5; slice++) {
			this.ticker.advance(Duration.ofSeconds(1));
			assertThat(grantedRetries(budget, 21)).as("slice %d", slice).isEqualTo(20);
		}
		assertThat(budget.available()).isZero();
		this.ticker.advance(Duration.ofSeconds(1));
		assertThat(budget.tryAcquireRetry()).as("the window's 100 tokens are spent").isFalse();
	}

	@Test
	void aSteadyStreamThatStartsFailingSpendsItsSavingsAtTwiceItsRatioPerSlice() {
		// 100 first attempts a second for 10 s: 100 tokens saved in the window.
		RetryBudget budget = budget(0.1, 0);
		for (int second = 0; second < 10; second++) {
			datedFirstAttempts(budget, 100);
			this.ticker.advance(Duration.ofSeconds(1));
		}
		datedFirstAttempts(budget, 100);
		assertThat(budget.available()).isCloseTo(100.0, within(1e-9));
		// Not 100 at once: 2 x 100 / 10 = 20 in this slice.
		assertThat(grantedRetries(budget, 100)).isEqualTo(20);
		this.ticker.advance(Duration.ofSeconds(1));
		datedFirstAttempts(budget, 100);
		assertThat(grantedRetries(budget, 100)).isEqualTo(20);
	}

	@Test
	void aBurstOfTrafficEarnsItsOwnShareAtOnce() {
		// Quiet for a window, then 1,000 first attempts in one slice: their 100 tokens are
		// all available in that slice, although the pace alone would allow 20.
		RetryBudget budget = budget(0.1, 0);
		this.ticker.advance(Duration.ofSeconds(30));
		datedFirstAttempts(budget, 1_000);
		assertThat(grantedRetries(budget, 101)).isEqualTo(100);
	}

	@Test
	void whileTheFloorHoldsASliceHoldsTheRetriesOfOneCall() {
		// Floor 1/s: 10 tokens, paced at 2 a slice; a retry of 5 attempts makes 4 retries a call.
		RetryBudget budget = RetryBudget.of(new RetryBudgetConfig(true, 0.1, 1, WINDOW), this.ticker, 4);
		assertThat(grantedRetries(budget, 5)).isEqualTo(4);
		// Once the floor is suspended only the ratio counts: nothing was earned.
		this.ticker.advance(Duration.ofSeconds(1));
		budget.recordFailureAfterRetry();
		assertThat(budget.tryAcquireRetry()).isFalse();
		budget.recordSuccess();
		assertThat(grantedRetries(budget, 5)).isEqualTo(4);
	}

	@Test
	void retriesPerCallMustNotBeNegative() {
		RetryBudgetConfig config = RetryBudgetConfig.defaults();
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> RetryBudget.of(config, this.ticker, -1))
			.withMessage("retriesPerCall must be at least 0 but was -1");
	}

	@Test
	void floorIsAMinimumNotAddedToWhatTheRatioEarns() {
		// Floor 1/s over 10 s: 10 tokens. 50 first attempts earn 5, less than the floor.
		RetryBudget budget = budget(0.1, 1);
		firstAttempts(budget, 50);
		assertThat(budget.available()).isCloseTo(10.0, within(1e-9));
		// 200 first attempts earn 20, more than the floor: the floor adds nothing.
		firstAttempts(budget, 150);
		assertThat(budget.available()).isCloseTo(20.0, within(1e-9));
		assertThat(grantedRetries(budget, 25)).isEqualTo(20);
		assertThat(budget.deniedRetries()).isEqualTo(5);
	}

	@Test
	void retriesUnderTheFloorCountAgainstWhatTheRatioEarnsLater() {
		RetryBudget budget = budget(0.1, 1);
		// The floor's 10 tokens, paced at 2 per 1 s slice: 8 retries over 4 slices.
		for (int slice = 0; slice < 4; slice++) {
			assertThat(grantedRetries(budget, 3)).as("slice %d", slice).isEqualTo(2);
			this.ticker.advance(Duration.ofSeconds(1));
		}
		assertThat(budget.available()).isCloseTo(2.0, within(1e-9));
		// 150 first attempts earn 15 tokens: the window's 8 retries leave 7, not 15 - 8 + 10.
		firstAttempts(budget, 150);
		assertThat(budget.available()).isCloseTo(7.0, within(1e-9));
		assertThat(grantedRetries(budget, 8)).isEqualTo(7);
	}

	@Test
	void eachFirstAttemptDepositsRatioAndEachRetryWithdrawsOne() {
		RetryBudget budget = budget(0.5, 0);
		firstAttempts(budget, 10);
		assertThat(budget.available()).isEqualTo(5.0);
		assertThat(grantedRetries(budget, 6)).isEqualTo(5);
		assertThat(budget.deniedRetries()).isEqualTo(1);
	}

	@Test
	void deniesEveryRetryWhenNothingWasDepositedAndNoReserve() {
		RetryBudget budget = budget(1.0, 0);
		assertThat(budget.tryAcquireRetry()).isFalse();
		assertThat(budget.tryAcquireRetry()).isFalse();
		assertThat(budget.deniedRetries()).isEqualTo(2);
	}

	@Test
	void depositsExpireWithinOneWindowButNotBeforeNineTenthsOfIt() {
		RetryBudget budget = budget(1.0, 0);
		this.ticker.advance(Duration.ofMillis(500));
		budget.recordFirstAttempt();
		this.ticker.advance(Duration.ofMillis(9_000).minusNanos(1));
		assertThat(budget.available()).isEqualTo(1.0);
		this.ticker.advance(Duration.ofMillis(500).plusNanos(1));
		assertThat(budget.available()).isZero();
		assertThat(budget.tryAcquireRetry()).isFalse();
	}

	@Test
	void withdrawalsCountForMoreThanOneWindow() {
		RetryBudget budget = budget(0.0, 1);
		// The floor's 10 tokens, 2 a slice, all taken in the first 5 slices.
		this.ticker.advance(Duration.ofMillis(500));
		assertThat(grantedRetries(budget, 3)).isEqualTo(2);
		for (int slice = 1; slice < 5; slice++) {
			this.ticker.advance(Duration.ofSeconds(1));
			assertThat(grantedRetries(budget, 3)).isEqualTo(2);
		}
		// 10.5 s: one window after the first two retries, which still count.
		this.ticker.advance(Duration.ofSeconds(6));
		assertThat(budget.tryAcquireRetry()).as("exactly one window later").isFalse();
		this.ticker.advance(Duration.ofMillis(500).minusNanos(1));
		assertThat(budget.tryAcquireRetry()).isFalse();
		// 11 s: the first slice's withdrawals have expired, the others' not yet.
		this.ticker.advance(1);
		assertThat(budget.available()).isEqualTo(2.0);
		assertThat(grantedRetries(budget, 3)).isEqualTo(2);
	}

	@Test
	void budgetRefillsFromTrafficAndDrainsWhenTrafficStops() {
		RetryBudget budget = budget(0.1, 0);
		for (int second = 0; second < 10; second++) {
			datedFirstAttempts(budget, 100);
			this.ticker.advance(Duration.ofSeconds(1));
		}
		// The first second's deposits have just expired; nine seconds of 10 tokens remain.
		assertThat(budget.available()).isCloseTo(90.0, within(1e-9));
		datedFirstAttempts(budget, 100);
		assertThat(budget.available()).isCloseTo(100.0, within(1e-9));
		this.ticker.advance(Duration.ofSeconds(5));
		assertThat(budget.available()).isCloseTo(50.0, within(1e-9));
		this.ticker.advance(Duration.ofSeconds(5));
		assertThat(budget.available()).isZero();
	}

	@Test
	void availableNeverDropsBelowZeroWhenDepositsExpireBeforeWithdrawals() {
		RetryBudget budget = budget(1.0, 0);
		budget.recordFirstAttempt();
		assertThat(budget.tryAcquireRetry()).isTrue();
		this.ticker.advance(WINDOW);
		assertThat(budget.available()).isZero();
		budget.recordFirstAttempt();
		assertThat(budget.tryAcquireRetry()).as("the old withdrawal still counts").isFalse();
	}

	@Test
	void longIdlePeriodDoesNotResurrectOldSlices() {
		RetryBudget budget = budget(1.0, 0);
		firstAttempts(budget, 10);
		assertThat(grantedRetries(budget, 3)).isEqualTo(3);
		this.ticker.advance(WINDOW.multipliedBy(11 * 1000).plusMillis(2_300));
		assertThat(budget.available()).isZero();
		firstAttempts(budget, 2);
		assertThat(budget.available()).isEqualTo(2.0);
		assertThat(grantedRetries(budget, 3)).isEqualTo(2);
	}

	@Test
	void disabledBudgetGrantsEveryRetryButStillCounts() {
		RetryBudget budget = RetryBudget.of(RetryBudgetConfig.disabled(), this.ticker);
		assertThat(budget.available()).isEqualTo(10.0);
		assertThat(grantedRetries(budget, 15)).isEqualTo(15);
		assertThat(budget.deniedRetries()).isZero();
		assertThat(budget.available()).isZero();
		this.ticker.advance(WINDOW.plusSeconds(1));
		assertThat(budget.available()).isEqualTo(10.0);
		assertThat(budget.config()).isEqualTo(RetryBudgetConfig.disabled());
	}

	@Test
	void worksAcrossTickerWrapAround() {
		ManualTicker nearEnd = ManualTicker.startingAt(Long.MAX_VALUE - Duration.ofSeconds(3).toNanos());
		RetryBudget budget = RetryBudget.of(new RetryBudgetConfig(true, 1.0, 0, WINDOW), nearEnd);
		firstAttempts(budget, 4);
		nearEnd.advance(Duration.ofSeconds(5));
		assertThat(nearEnd.read()).isNegative();
		firstAttempts(budget, 1);
		assertThat(budget.available()).isEqualTo(5.0);
		nearEnd.advance(WINDOW);
		assertThat(budget.available()).isZero();
	}

	/**
	 * For windows that are not a multiple of the slice count, at random instants: a deposit
	 * never counts a full window or more after it was made, and a withdrawal always counts
	 * for a full window.
	 */
	@Test
	void expiryIsConservativeForAnyWindowLengthAndInstant() {
		SplittableRandom random = new SplittableRandom(11);
		for (int i = 0; i < 500; i++) {
			long window = 1_000_000_000L + random.nextLong(0, 1_000_000_000L);
			long tenth = window / 10;
			long at = random.nextLong(0, 3 * window);
			RetryBudgetConfig depositsOnly = new RetryBudgetConfig(true, 1.0, 0, Duration.ofNanos(window));
			ManualTicker depositClock = ManualTicker.create();
			RetryBudget deposits = RetryBudget.of(depositsOnly, depositClock);
			depositClock.setTo(at);
			deposits.recordFirstAttempt(depositClock.read());
			depositClock.setTo(at + 9 * tenth - 1);
			assertThat(deposits.available()).as("window %d, deposit at %d", window, at).isEqualTo(1.0);
			depositClock.setTo(at + window);
			assertThat(deposits.available()).as("window %d, deposit at %d", window, at).isZero();

			// A floor of just over one token: one retry per window.
			RetryBudgetConfig reserveOnly = new RetryBudgetConfig(true, 0.0, 1, Duration.ofNanos(window));
			ManualTicker withdrawalClock = ManualTicker.create();
			RetryBudget withdrawals = RetryBudget.of(reserveOnly, withdrawalClock);
			withdrawalClock.setTo(at);
			assertThat(withdrawals.tryAcquireRetry()).isTrue();
			withdrawalClock.setTo(at + window - 1);
			assertThat(withdrawals.tryAcquireRetry()).as("window %d, withdrawal at %d", window, at).isFalse();
			withdrawalClock.setTo(at + window + tenth + 1);
			assertThat(withdrawals.tryAcquireRetry()).as("window %d, withdrawal at %d", window, at).isTrue();
		}
	}

	@Test
	void undatedDepositCountsFromTheLatestReadingSoItExpiresEarlyNeverLate() {
		RetryBudget budget = budget(1.0, 0);
		assertThat(budget.available()).isZero();
		// Read at 0; three undated deposits 5 s later still count from the slice of 0.
		this.ticker.advance(Duration.ofSeconds(5));
		firstAttempts(budget, 3);
		this.ticker.advance(Duration.ofSeconds(4));
		assertThat(budget.available()).as("9 s after the reading").isEqualTo(3.0);
		this.ticker.advance(Duration.ofSeconds(1));
		assertThat(budget.available()).as("one window after the reading, 5 s after the deposits").isZero();
		// A deposit dated by its caller counts from its own slice.
		budget.recordFirstAttempt(this.ticker.read());
		this.ticker.advance(Duration.ofSeconds(9));
		assertThat(budget.available()).isEqualTo(1.0);
	}

	@Test
	void undatedDepositsAfterTheLatestReadingCountAtOnce() {
		RetryBudget budget = budget(0.1, 0);
		this.ticker.advance(Duration.ofMinutes(5));
		// Nobody read the clock for five minutes: every deposit of that time expires at the
		// first reading, never counting more than a window after it was made.
		firstAttempts(budget, 1_000);
		assertThat(budget.available()).isZero();
		// From that reading on, deposits count as they come.
		firstAttempts(budget, 100);
		assertThat(budget.available()).isCloseTo(10.0, within(1e-9));
		assertThat(grantedRetries(budget, 11)).isEqualTo(10);
	}

	@Test
	void callFailingAfterRetryingSuspendsTheFloorUntilASuccess() {
		RetryBudget budget = budget(0.1, 1);
		assertThat(budget.available()).isEqualTo(10.0);
		assertThat(budget.isFloorSuspended()).isFalse();
		budget.recordFailureAfterRetry();
		assertThat(budget.isFloorSuspended()).isTrue();
		assertThat(budget.available()).isZero();
		assertThat(budget.tryAcquireRetry()).isFalse();
		// What the ratio earns still counts while the floor is suspended.
		firstAttempts(budget, 20);
		assertThat(budget.available()).isCloseTo(2.0, within(1e-9));
		assertThat(grantedRetries(budget, 3)).isEqualTo(2);
		budget.recordSuccess();
		assertThat(budget.isFloorSuspended()).isFalse();
		// The floor is back: 10 tokens less the 2 retries of the window.
		assertThat(budget.available()).isCloseTo(8.0, within(1e-9));
	}

	@Test
	void successWithTheFloorInForceChangesNothing() {
		RetryBudget budget = budget(0.1, 1);
		budget.recordSuccess();
		assertThat(budget.isFloorSuspended()).isFalse();
		assertThat(budget.available()).isEqualTo(10.0);
	}

}

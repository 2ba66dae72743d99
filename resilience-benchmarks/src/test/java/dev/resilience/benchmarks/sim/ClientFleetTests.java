package dev.resilience.benchmarks.sim;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import dev.resilience.benchmarks.sim.Recorder.Series;
import dev.resilience.core.time.Ticker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ClientFleetTests {

	private static final long SECOND = 1_000_000_000L;

	private final EventLoop loop = EventLoop.create();

	private final Recorder recorder = Recorder.create(SECOND, 100 * SECOND);

	@Test
	void nestedLayersMultiplyAttemptsAtTheOrigin() {
		FlakyOrigin alwaysFails = FlakyOrigin.create(loop, SECOND / 100, 1.0, new SplittableRandom(1), recorder);
		ClientFleet fleet = ClientFleet.create(loop, Policies.nestedNaive(), 1, new SplittableRandom(2), alwaysFails,
				recorder, 0);
		fleet.startLogicalRequest(0);
		loop.runToCompletion();
		assertThat(recorder.total(Series.ORIGIN_ATTEMPTS)).isEqualTo(4 * 4 * 4);
		assertThat(recorder.total(Series.FAILED)).isEqualTo(1);
		assertThat(recorder.total(Series.GOODPUT)).isZero();
	}

	@Test
	void aTimedOutAttemptIsRetriedWhileTheOriginStillServesIt() {
		Slowdown always = new Slowdown(Duration.ZERO, Duration.ofSeconds(100), 1_000);
		QueueingOrigin slow = QueueingOrigin.create(loop, 10, SECOND / 10, always, new SplittableRandom(1), recorder);
		ClientFleet fleet = ClientFleet.create(loop, Policies.immediate(3), 1, new SplittableRandom(2), slow,
				recorder, SECOND);
		fleet.startLogicalRequest(0);
		loop.runUntil(5 * SECOND);
		// Four attempts went out one timeout apart; none can be answered within a second
		// when the mean service time is 100 s.
		assertThat(recorder.total(Series.ORIGIN_ATTEMPTS)).isEqualTo(4);
		assertThat(recorder.total(Series.FAILED)).isEqualTo(1);
		assertThat(recorder.total(Series.ORIGIN_COMPLETIONS)).isLessThanOrEqualTo(1);
	}

	@Test
	void anAttemptRefusedByTheClientPutsNoLoadOnTheOrigin() {
		Policy refuseAll = new NamedPolicy("refuse", "refuses every attempt, retries twice") {

			@Override
			public RetryStrategy newStrategy(int layer, Ticker ticker, RandomGenerator random) {
				return new RetryStrategy() {

					@Override
					public Permit beforeAttempt(int attempt) {
						return null;
					}

					@Override
					public long onFailure(int attempt, long previousDelayNanos, AttemptFailure failure) {
						assertThat(failure).isEqualTo(AttemptFailure.REJECTED);
						return (attempt < 3) ? 0 : NO_RETRY;
					}

				};
			}

		};
		FlakyOrigin origin = FlakyOrigin.create(loop, SECOND / 100, 0, new SplittableRandom(1), recorder);
		ClientFleet fleet = ClientFleet.create(loop, refuseAll, 1, new SplittableRandom(2), origin, recorder, 0);
		fleet.startLogicalRequest(0);
		loop.runToCompletion();
		assertThat(recorder.total(Series.ORIGIN_ATTEMPTS)).isZero();
		assertThat(recorder.total(Series.REJECTED)).isEqualTo(3);
		assertThat(recorder.total(Series.FAILED)).isEqualTo(1);
	}

	@Test
	void poissonArrivalsComeAtTheRequestedRate() {
		FlakyOrigin origin = FlakyOrigin.create(loop, SECOND / 100, 0, new SplittableRandom(1), recorder);
		ClientFleet fleet = ClientFleet.create(loop, Policies.noRetry(), 1_000, new SplittableRandom(2), origin,
				recorder, SECOND);
		fleet.generateArrivals(400, 50 * SECOND, new SplittableRandom(3));
		loop.runToCompletion();
		// 20,000 expected, standard deviation about 141.
		assertThat(recorder.total(Series.OFFERED)).isBetween(19_500L, 20_500L);
		assertThat(recorder.total(Series.GOODPUT)).isEqualTo(recorder.total(Series.OFFERED));
	}

	@Test
	void theClientsOfOneProcessShareItsStrategies() {
		int[] callsPerStrategy = new int[3];
		int[] created = new int[1];
		Policy counting = new NamedPolicy("counting", "counts the calls each strategy starts") {

			@Override
			public RetryStrategy newStrategy(int layer, Ticker ticker, RandomGenerator random) {
				int index = created[0]++;
				return new RetryStrategy() {

					@Override
					public void onCallStarted() {
						callsPerStrategy[index]++;
					}

					@Override
					public long onFailure(int attempt, long previousDelayNanos, AttemptFailure failure) {
						return NO_RETRY;
					}

				};
			}

		};
		FlakyOrigin origin = FlakyOrigin.create(loop, SECOND / 100, 0, new SplittableRandom(1), recorder);
		ClientFleet fleet = ClientFleet.create(loop, counting, 9, 3, new SplittableRandom(2), origin, recorder, 0);
		for (int client : new int[] { 0, 3, 6, 5 }) {
			fleet.startLogicalRequest(client);
		}
		loop.runToCompletion();
		assertThat(created[0]).isEqualTo(3);
		// Client c runs in process c % 3: clients 0, 3 and 6 share process 0; client 5 is in process 2.
		assertThat(callsPerStrategy).containsExactly(3, 0, 1);
	}

	@Test
	void aFleetNeedsBetweenOneProcessAndOnePerClient() {
		FlakyOrigin origin = FlakyOrigin.create(loop, SECOND / 100, 0, new SplittableRandom(1), recorder);
		assertThatIllegalArgumentException().isThrownBy(() -> ClientFleet.create(loop, Policies.noRetry(), 10, 11,
				new SplittableRandom(2), origin, recorder, 0))
			.withMessageContaining("processes must be in [1, clients (10)] but was 11");
		assertThatIllegalArgumentException().isThrownBy(() -> ClientFleet.create(loop, Policies.noRetry(), 10, 0,
				new SplittableRandom(2), origin, recorder, 0));
	}

}

package dev.resilience.benchmarks.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.resilience.benchmarks.sim.Recorder.Series;
import dev.resilience.core.bulkhead.Bulkhead;
import dev.resilience.core.bulkhead.BulkheadConfig;

import static org.assertj.core.api.Assertions.assertThat;

class QueueingOriginTests {

	private static final long SECOND = 1_000_000_000L;

	private final EventLoop loop = EventLoop.create();

	private final Recorder recorder = Recorder.create(SECOND / 10, 100 * SECOND);

	private final Request.Listener ignore = new Request.Listener() {

		@Override
		public void onResponse(Request request, boolean success) {
		}

		@Override
		public void onTimeout(Request request) {
		}

	};

	@Test
	void servesNoMoreThanItsCapacityUnderOverload() {
		QueueingOrigin origin = QueueingOrigin.create(loop, 50, SECOND / 10, Slowdown.none(), new SplittableRandom(1),
				recorder);
		for (int i = 0; i < 20_000; i++) {
			origin.submit(new Request(ignore, null, 0));
		}
		loop.runUntil(20 * SECOND);
		// 50 workers x 100 ms mean = 500/s; 20 s of it is 10,000 give or take the noise.
		assertThat(recorder.total(Series.ORIGIN_COMPLETIONS)).isBetween(9_700L, 10_300L);
		assertThat(origin.queueLength()).isBetween(9_700, 10_300);
	}

	@Test
	void sheddingOriginRejectsBeyondItsBulkheadAtOnceAndServesTheRest() {
		Bulkhead admission = Bulkhead.of("origin", BulkheadConfig.ofMaxConcurrentCalls(100));
		QueueingOrigin origin = QueueingOrigin.shedding(loop, 50, SECOND / 10, Slowdown.none(),
				new SplittableRandom(1), recorder, admission);
		List<Boolean> answers = new ArrayList<>();
		List<Long> rejectedAt = new ArrayList<>();
		Request.Listener listener = new Request.Listener() {

			@Override
			public void onResponse(Request request, boolean success) {
				answers.add(success);
				if (!success) {
					rejectedAt.add(loop.read());
				}
			}

			@Override
			public void onTimeout(Request request) {
			}

		};
		for (int i = 0; i < 20_000; i++) {
			origin.submit(new Request(listener, null, 0));
		}
		assertThat(origin.queueLength()).as("50 in service, 50 waiting").isEqualTo(50);
		loop.runToCompletion();
		// 100 admitted and served; the other 19,900 answered as failures 1 ms after arriving.
		assertThat(answers).hasSize(20_000);
		assertThat(answers.stream().filter((success) -> success)).hasSize(100);
		assertThat(rejectedAt).hasSize(19_900)
			.allSatisfy((at) -> assertThat(at).isEqualTo(QueueingOrigin.REJECTION_NANOS));
		assertThat(recorder.total(Series.ORIGIN_COMPLETIONS)).isEqualTo(100);
		assertThat(admission.availableConcurrentCalls()).as("every permit back").isEqualTo(100);
	}

	@Test
	void keepsServingRequestsWhoseClientGaveUpAndCountsThemAsWasted() {
		QueueingOrigin origin = QueueingOrigin.create(loop, 1, SECOND / 10, Slowdown.none(), new SplittableRandom(1),
				recorder);
		Request abandoned = new Request(ignore, null, 0);
		Request waiting = new Request(ignore, null, 0);
		origin.submit(abandoned);
		origin.submit(waiting);
		abandoned.timeOut();
		loop.runToCompletion();
		assertThat(recorder.total(Series.ORIGIN_COMPLETIONS)).isEqualTo(2);
		assertThat(recorder.total(Series.WASTED)).isEqualTo(1);
	}

	@Test
	void workStartedDuringTheSlowdownTakesFactorTimesLonger() {
		Slowdown slowdown = new Slowdown(Duration.ofSeconds(10), Duration.ofSeconds(10), 10);
		QueueingOrigin origin = QueueingOrigin.create(loop, 1_000, SECOND / 10, slowdown, new SplittableRandom(1),
				recorder);
		long[] totalNanos = new long[2];
		Request.Listener timing = new Request.Listener() {

			@Override
			public void onResponse(Request request, boolean success) {
				totalNanos[(request.sentAtNanos() < 10 * SECOND) ? 0 : 1] += loop.read() - request.sentAtNanos();
			}

			@Override
			public void onTimeout(Request request) {
			}

		};
		for (int i = 0; i < 500; i++) {
			origin.submit(new Request(timing, null, 0));
		}
		loop.runUntil(10 * SECOND);
		for (int i = 0; i < 500; i++) {
			origin.submit(new Request(timing, null, 10 * SECOND));
		}
		loop.runToCompletion();
		assertThat(totalNanos[0] / 500.0 / SECOND).isBetween(0.08, 0.12);
		assertThat(totalNanos[1] / 500.0 / SECOND).isBetween(0.8, 1.2);
	}

}

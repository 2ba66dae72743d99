package dev.resilience.benchmarks.sim;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EventLoopTests {

	@Test
	void firesEventsInTimeOrderWhateverTheSchedulingOrder() {
		EventLoop loop = EventLoop.create();
		List<Long> seen = new ArrayList<>();
		loop.at(30, () -> seen.add(loop.read()));
		loop.at(10, () -> seen.add(loop.read()));
		loop.at(20, () -> seen.add(loop.read()));
		loop.runToCompletion();
		assertThat(seen).containsExactly(10L, 20L, 30L);
	}

	@Test
	void firesEventsAtTheSameInstantInSchedulingOrder() {
		EventLoop loop = EventLoop.create();
		List<String> seen = new ArrayList<>();
		loop.at(5, () -> seen.add("first"));
		loop.at(5, () -> seen.add("second"));
		loop.at(5, () -> seen.add("third"));
		loop.runToCompletion();
		assertThat(seen).containsExactly("first", "second", "third");
	}

	@Test
	void actsAsATickerThatReadsTheCurrentEventsTime() {
		EventLoop loop = EventLoop.create();
		long[] readInside = new long[1];
		loop.after(1_000, () -> loop.after(500, () -> readInside[0] = loop.read()));
		loop.runToCompletion();
		assertThat(readInside[0]).isEqualTo(1_500);
	}

	@Test
	void runUntilStopsAtTheEndAndKeepsLaterEvents() {
		EventLoop loop = EventLoop.create();
		List<Long> seen = new ArrayList<>();
		loop.at(10, () -> seen.add(10L));
		loop.at(100, () -> seen.add(100L));
		loop.runUntil(50);
		assertThat(seen).containsExactly(10L);
		assertThat(loop.read()).isEqualTo(50);
		assertThat(loop.pendingEvents()).isEqualTo(1);
		assertThat(loop.firedEvents()).isEqualTo(1);
	}

	@Test
	void backgroundEventsFireInTimeOrderButDoNotKeepTheLoopRunning() {
		EventLoop loop = EventLoop.create();
		List<String> seen = new ArrayList<>();
		loop.every(5, 10, () -> seen.add("tick " + loop.read()));
		loop.at(20, () -> seen.add("event 20"));
		loop.at(30, () -> seen.add("event 30"));
		loop.runToCompletion();
		assertThat(seen).containsExactly("tick 5", "tick 15", "event 20", "tick 25", "event 30");
		assertThat(loop.pendingEvents()).isEqualTo(1);
		loop.runUntil(50);
		assertThat(seen).endsWith("tick 35", "tick 45");
	}

	@Test
	void refusesAnEventInThePast() {
		EventLoop loop = EventLoop.create();
		loop.runUntil(100);
		assertThatIllegalArgumentException().isThrownBy(() -> loop.at(99, () -> {
		})).withMessageContaining("atNanos must be >= now (100) but was 99");
	}

}

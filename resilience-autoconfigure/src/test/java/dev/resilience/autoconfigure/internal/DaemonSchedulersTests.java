package dev.resilience.autoconfigure.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.impl.NoOpLog;
import org.junit.jupiter.api.Test;

class DaemonSchedulersTests {

	/** Records what is logged at which level; every level is enabled. */
	private static final class RecordingLog implements Log {

		private final List<String> lines = new ArrayList<>();

		private synchronized void record(String level, Object message, Throwable t) {
			this.lines.add(level + " " + message + ((t != null) ? " (" + t.getClass().getSimpleName() + ")" : ""));
		}

		synchronized List<String> lines() {
			return List.copyOf(this.lines);
		}

		// @formatter:off
		@Override public void trace(Object message) { record("TRACE", message, null); }
		@Override public void trace(Object message, Throwable t) { record("TRACE", message, t); }
		@Override public void debug(Object message) { record("DEBUG", message, null); }
		@Override public void debug(Object message, Throwable t) { record("DEBUG", message, t); }
		@Override public void info(Object message) { record("INFO", message, null); }
		@Override public void info(Object message, Throwable t) { record("INFO", message, t); }
		@Override public void warn(Object message) { record("WARN", message, null); }
		@Override public void warn(Object message, Throwable t) { record("WARN", message, t); }
		@Override public void error(Object message) { record("ERROR", message, null); }
		@Override public void error(Object message, Throwable t) { record("ERROR", message, t); }
		@Override public void fatal(Object message) { record("FATAL", message, null); }
		@Override public void fatal(Object message, Throwable t) { record("FATAL", message, t); }
		@Override public boolean isTraceEnabled() { return true; }
		@Override public boolean isDebugEnabled() { return true; }
		@Override public boolean isInfoEnabled() { return true; }
		@Override public boolean isWarnEnabled() { return true; }
		@Override public boolean isErrorEnabled() { return true; }
		@Override public boolean isFatalEnabled() { return true; }
		// @formatter:on

	}

	@Test
	void aRepeatedTaskRunsAgainAfterThrowingAnError() throws InterruptedException {
		for (boolean atFixedRate : new boolean[] { true, false }) {
			AtomicInteger runs = new AtomicInteger();
			CountDownLatch fiveRuns = new CountDownLatch(5);
			RecordingLog log = new RecordingLog();
			Runnable task = () -> {
				int run = runs.incrementAndGet();
				fiveRuns.countDown();
				if (run == 1) {
					throw new NoClassDefFoundError("org/example/Driver");
				}
				if (run == 2) {
					throw new IllegalStateException("still down");
				}
			};
			ScheduledExecutorService scheduler = DaemonSchedulers.repeat("test-repeat", Duration.ofMillis(5),
					atFixedRate, task, log, "exchange");
			try {
				// Without the guard the first error ends the periodic task: one run, then none.
				assertThat(fiveRuns.await(30, TimeUnit.SECONDS)).as("five runs, fixed rate " + atFixedRate).isTrue();
			}
			finally {
				DaemonSchedulers.shutdownAndWait(scheduler, Duration.ofSeconds(10));
			}
			assertThat(log.lines()).startsWith("ERROR Could not exchange; trying again at the next run (NoClassDefFoundError)",
					"DEBUG Could not exchange again (IllegalStateException)", "INFO Could exchange again");
			assertThat(log.lines()).hasSize(3);
		}
	}

	@Test
	void theSchedulersThreadIsANamedDaemon() throws InterruptedException {
		CountDownLatch ran = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		ScheduledExecutorService scheduler = DaemonSchedulers.repeat("test-daemon", Duration.ofMillis(1), false, () -> {
			synchronized (threads) {
				threads.add(Thread.currentThread());
			}
			ran.countDown();
		}, new NoOpLog(), "run");
		try {
			assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			DaemonSchedulers.shutdownAndWait(scheduler, Duration.ofSeconds(10));
		}
		synchronized (threads) {
			assertThat(threads.get(0).isDaemon()).isTrue();
			assertThat(threads.get(0).getName()).isEqualTo("test-daemon");
		}
	}


	@Test
	void aShutDownSchedulerDropsTheTasksWaitingForTheirTime() throws InterruptedException {
		ScheduledExecutorService scheduler = DaemonSchedulers.singleThread("test-delayed");
		AtomicInteger runs = new AtomicInteger();
		scheduler.schedule(runs::incrementAndGet, 1, TimeUnit.HOURS);
		scheduler.shutdown();
		// Without the policy the hour-long wait would keep it from terminating.
		assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		assertThat(runs).hasValue(0);
	}

	@Test
	void aTaskRunOnceLogsWhatItThrows() {
		RecordingLog log = new RecordingLog();
		DaemonSchedulers.keptRunning(() -> {
			throw new IllegalStateException("down");
		}, log, "exchange early").run();
		assertThat(log.lines()).containsExactly(
				"ERROR Could not exchange early; trying again at the next run (IllegalStateException)");
	}
}

package dev.resilience.core.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Real threads that start each round together behind a gate, so they race. The threads
 * are kept between rounds: starting dozens of threads per round would cost more than the
 * round itself.
 */
public final class Race implements AutoCloseable {

	private final int threads;

	private final ExecutorService executor;

	private Race(int threads) {
		this.threads = threads;
		this.executor = Executors.newFixedThreadPool(threads, (runnable) -> {
			Thread thread = new Thread(runnable, "race");
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * @param threads how many threads race in each round
	 * @return a race whose threads stay until it is closed
	 */
	public static Race of(int threads) {
		return new Race(threads);
	}

	/**
	 * Runs one round: {@code task} on every thread, all released at the same instant;
	 * fails the test if a thread throws or the round takes longer than ten seconds.
	 * @param task what each thread runs, given its index
	 */
	public void run(IndexedTask task) throws InterruptedException {
		CountDownLatch ready = new CountDownLatch(threads);
		CountDownLatch gate = new CountDownLatch(1);
		List<Future<?>> results = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			int index = i;
			results.add(executor.submit(() -> {
				ready.countDown();
				gate.await();
				task.run(index);
				return null;
			}));
		}
		assertThat(ready.await(10, TimeUnit.SECONDS)).as("threads ready in time").isTrue();
		gate.countDown();
		for (Future<?> result : results) {
			try {
				result.get(10, TimeUnit.SECONDS);
			}
			catch (ExecutionException ex) {
				throw new AssertionError("A racing thread failed", ex.getCause());
			}
			catch (java.util.concurrent.TimeoutException ex) {
				throw new AssertionError("A racing thread did not finish in time", ex);
			}
		}
	}

	@Override
	public void close() {
		executor.shutdownNow();
	}

	/**
	 * The work of one racing thread.
	 */
	@FunctionalInterface
	public interface IndexedTask {

		void run(int index) throws Exception;

	}

}

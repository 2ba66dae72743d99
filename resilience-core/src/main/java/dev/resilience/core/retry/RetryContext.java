package dev.resilience.core.retry;

import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * The retrying calls ({@link Retry#execute}) active on the current thread, innermost last.
 * {@link Retry} enters it before its loop and leaves it in a {@code finally} block, and
 * uses it to keep retries nested inside one another from multiplying (see
 * {@link NestedRetryMode}). Code running inside a retrying call can read which attempt it
 * is part of, for example to send it along with an outgoing request.
 * <p>
 * The context is per thread. Work handed to another thread carries it along when wrapped
 * with a {@link #capture() snapshot}:
 * <pre>{@code
 * executor.submit(RetryContext.capture().wrap(task));
 * }</pre>
 * Inside the wrapped task, nested retrying calls see the captured calls as their enclosing
 * ones, and a nested call's final failure reaches the capturing thread's calls even when it
 * comes back wrapped (as the cause of an {@code ExecutionException}, for instance).
 * <p>
 * Asynchronous retrying calls ({@link Retry#startExecution()}) take part too: one started
 * inside a retrying call is nested in it, and while each of its attempts starts, the code
 * sees the calls it was started in and the asynchronous call itself as its context
 * ({@link RetryExecution#context()}).
 * <p>
 * Reading the context or entering and leaving it allocates nothing once a thread has been
 * that deep before; capturing a non-empty context and running a wrapped task do allocate.
 */
public final class RetryContext {

	/** Each thread's nest is created once and reused: a call's success path must not allocate. */
	private static final ThreadLocal<RetryNest> CURRENT = ThreadLocal.withInitial(RetryNest::new);

	private RetryContext() {
	}

	/**
	 * The attempt that the current code is part of: the 1-based attempt number of the
	 * innermost active retrying call that may retry. In {@link NestedRetryMode#OUTERMOST
	 * OUTERMOST} mode that is the outermost call, since the inner ones make one attempt
	 * each; in the other modes it is the innermost call.
	 * @return the attempt number, or 0 outside any retrying call
	 */
	public static int currentAttempt() {
		return CURRENT.get().currentAttempt();
	}

	/**
	 * @return how many retrying calls enclose the current code, captured ones included; 0
	 * outside any
	 */
	public static int depth() {
		return CURRENT.get().depth();
	}

	/**
	 * Captures the current thread's retrying calls, to be applied on another thread with
	 * {@link Snapshot#wrap(Runnable)} or {@link Snapshot#wrap(Callable)}.
	 * @return the snapshot; an empty one, shared and allocation-free, outside any call
	 */
	public static Snapshot capture() {
		RetryNest nest = CURRENT.get();
		if (nest.depth() == 0) {
			return Snapshot.EMPTY;
		}
		RetryNest.Frame[] active = nest.activeFrames();
		RetryNest.Frame[] standIns = new RetryNest.Frame[active.length];
		for (int i = 0; i < active.length; i++) {
			standIns[i] = active[i].standIn();
		}
		return new Snapshot(standIns);
	}

	/**
	 * @return the current thread's nest, for {@link Retry}
	 */
	static RetryNest nest() {
		return CURRENT.get();
	}

	/**
	 * The retrying calls active on one thread at one moment: their modes and attempt
	 * numbers as they were then. Immutable; one snapshot may wrap any number of tasks, run
	 * on any threads, at once.
	 * <p>
	 * A wrapped task runs with the snapshot's calls in place of whatever context its thread
	 * has, and the thread's own context is restored afterwards, even when the task runs
	 * inline on the capturing thread. While a captured call is still active on the
	 * capturing thread, the final failures of retrying calls nested inside the task are
	 * reported to it; once it has ended, they are dropped.
	 */
	public static final class Snapshot {

		static final Snapshot EMPTY = new Snapshot(new RetryNest.Frame[0]);

		private final RetryNest.Frame[] standIns;

		Snapshot(RetryNest.Frame[] standIns) {
			this.standIns = standIns;
		}

		/**
		 * @return the captured frames, outermost first; not to be modified
		 */
		RetryNest.Frame[] frames() {
			return this.standIns;
		}

		/**
		 * @return how many retrying calls were active when the snapshot was taken
		 */
		public int depth() {
			return this.standIns.length;
		}

		/**
		 * @return {@link RetryContext#currentAttempt()} as it was when the snapshot was
		 * taken
		 */
		public int currentAttempt() {
			return RetryNest.of(this.standIns).currentAttempt();
		}

		/**
		 * @param task the work to run under this snapshot
		 * @return a task that runs {@code task} with this snapshot as its thread's context
		 */
		public Runnable wrap(Runnable task) {
			Objects.requireNonNull(task, "task must not be null");
			return () -> {
				RetryNest previous = install();
				try {
					task.run();
				}
				finally {
					restore(previous);
				}
			};
		}

		/**
		 * @param <V> the result type
		 * @param task the work to run under this snapshot
		 * @return a task that runs {@code task} with this snapshot as its thread's context
		 */
		public <V> Callable<V> wrap(Callable<V> task) {
			Objects.requireNonNull(task, "task must not be null");
			return () -> {
				RetryNest previous = install();
				try {
					return task.call();
				}
				finally {
					restore(previous);
				}
			};
		}

		/**
		 * Makes this snapshot the current thread's context until the returned scope is
		 * closed, which restores the thread's own context: for code that runs inline, such
		 * as the start of an asynchronous attempt.
		 * <pre>{@code
		 * try (RetryContext.Scope scope = snapshot.apply()) {
		 *     return startTheAttempt();
		 * }
		 * }</pre>
		 * @return the scope to close on the same thread
		 */
		public Scope apply() {
			RetryNest previous = install();
			return (previous != null) ? () -> restore(previous) : Scope.NOTHING;
		}

		/**
		 * @return the thread's own nest, to restore, or null when nothing was replaced
		 */
		private RetryNest install() {
			RetryNest own = CURRENT.get();
			if (this.standIns.length == 0 && own.depth() == 0) {
				// An empty context over an empty one: nothing to replace, nothing to allocate.
				return null;
			}
			// A fresh nest per run: the stand-ins' frames are shared by every run of this
			// snapshot, but the frames a task enters above them must be its own.
			CURRENT.set(RetryNest.of(this.standIns));
			return own;
		}

		private static void restore(RetryNest previous) {
			if (previous != null) {
				CURRENT.set(previous);
			}
		}

		@Override
		public String toString() {
			return "RetryContext.Snapshot[depth=" + depth() + ", attempt=" + currentAttempt() + "]";
		}

	}

	/**
	 * A snapshot {@linkplain Snapshot#apply() applied} to the current thread; closing it
	 * restores the thread's own context.
	 */
	@FunctionalInterface
	public interface Scope extends AutoCloseable {

		/** A scope that replaced nothing. */
		Scope NOTHING = () -> {
		};

		/**
		 * Restores the context the thread had before the snapshot was applied.
		 */
		@Override
		void close();

	}

}

package dev.resilience.core.retry;

/**
 * The retrying calls active on one thread, innermost last: the machinery behind
 * {@link RetryContext}. Only its owner thread enters and leaves frames; other threads touch
 * a frame only to report a final outcome through a {@link RetryContext.Snapshot}, and that
 * part of a frame is guarded by the frame's lock.
 * <p>
 * Frames are reused from call to call, so entering and leaving a retrying call allocates
 * nothing once the thread has been as deep before. An asynchronous call
 * ({@link RetryExecution}) has a frame of its own for its whole life instead, which it places
 * above the frames it was started in while each attempt starts (through a snapshot).
 */
final class RetryNest {

	/** How far down a cause chain a final outcome is recognised; chains are short, cycles are not. */
	private static final int MAX_CAUSES = 16;

	private Frame[] frames = new Frame[4];

	/** frames[0] of a nest of this thread's own, also held here for {@link #enter}. */
	private final Frame outermost;

	RetryNest() {
		this.outermost = new Frame(0);
		this.frames[0] = this.outermost;
	}

	private RetryNest(Frame[] frames, int depth) {
		this.frames = frames;
		this.depth = depth;
		Frame first = frames[0];
		if (first == null) {
			first = new Frame(0);
			frames[0] = first;
		}
		this.outermost = first;
	}

	private int depth;

	/**
	 * Enters a retrying call.
	 * @param ownMode the call's own configured mode; it governs only when the call is the
	 * outermost of its nest
	 * @return the call's frame, to be given to {@link #leave} in a {@code finally} block
	 */
	Frame enter(NestedRetryMode ownMode) {
		int index = this.depth;
		if (index == 0) {
			// The common case, a retrying call that is not nested: one load fewer on the
			// path from the thread to the frame than through the array.
			Frame frame = this.outermost;
			frame.enter(ownMode, true);
			this.depth = 1;
			return frame;
		}
		return enterNested(index);
	}

	private Frame enterNested(int index) {
		NestedRetryMode mode = this.frames[0].mode;
		if (index == this.frames.length) {
			this.frames = java.util.Arrays.copyOf(this.frames, index * 2);
		}
		Frame frame = this.frames[index];
		if (frame == null) {
			frame = new Frame(index);
			this.frames[index] = frame;
		}
		frame.enter(mode, mode != NestedRetryMode.OUTERMOST);
		this.depth = index + 1;
		return frame;
	}

	/**
	 * Leaves a retrying call. Restores the depth the call found rather than counting down,
	 * so one unbalanced exit cannot leave stale frames behind for the thread's next call.
	 */
	void leave(Frame frame) {
		frame.leave();
		this.depth = frame.index;
	}

	/**
	 * Tells the enclosing call that the given call has made its final decision about an
	 * outcome, so that the enclosing call does not retry it. Only INNERMOST nests need this.
	 * @param frame the call that finished
	 * @param outcome the exception it threw or the retried result it returned
	 */
	void reportFinal(Frame frame, Object outcome) {
		if (frame.index > 0 && frame.mode == NestedRetryMode.INNERMOST) {
			this.frames[frame.index - 1].rememberFinal(outcome);
		}
	}

	/**
	 * @param failure a failure an attempt threw
	 * @return whether it, or an exception it wraps, is the final outcome of a nested
	 * retrying call (one that ran on this thread, or on another thread under a snapshot)
	 */
	boolean isFinalFailure(Throwable failure) {
		Throwable current = failure;
		for (int i = 0; current != null && i < MAX_CAUSES; i++) {
			if (isFinal(current)) {
				return true;
			}
			current = current.getCause();
		}
		return false;
	}

	/**
	 * @param outcome a result or failure an attempt produced
	 * @return whether it is, by identity, the final outcome of a nested retrying call
	 */
	boolean isFinal(Object outcome) {
		// Every frame is asked, not only the caller's: a failure reported into an outer frame
		// through a snapshot may reach a call entered after the snapshot was taken.
		for (int i = 0; i < this.depth; i++) {
			if (this.frames[i].holdsFinal(outcome)) {
				return true;
			}
		}
		return false;
	}

	int depth() {
		return this.depth;
	}

	/**
	 * @return the attempt of the innermost call that may retry (the layer whose attempts
	 * are counted), that of the innermost call if none may, 0 outside any call
	 */
	int currentAttempt() {
		for (int i = this.depth - 1; i >= 0; i--) {
			if (this.frames[i].mayRetry) {
				return this.frames[i].attempt;
			}
		}
		return (this.depth > 0) ? this.frames[this.depth - 1].attempt : 0;
	}

	/**
	 * @return the frames now active, for a snapshot to copy; read by the owner thread only
	 */
	Frame[] activeFrames() {
		return java.util.Arrays.copyOf(this.frames, this.depth);
	}

	/**
	 * A nest for another thread that starts with stand-ins of captured frames.
	 */
	static RetryNest of(Frame[] standIns) {
		return new RetryNest(java.util.Arrays.copyOf(standIns, Math.max(4, standIns.length * 2)), standIns.length);
	}

	/**
	 * One active retrying call. Mode, attempt and the may-retry decision are read and
	 * written by the owner thread only; the final outcomes reported by nested calls can
	 * also arrive from other threads and are guarded by this frame's lock.
	 */
	static final class Frame {

		/** How many reported outcomes a frame keeps: they are checked right after they are reported. */
		private static final int KEPT_OUTCOMES = 8;

		/** Stands for a null result, so that a retried null result can be reported too. */
		private static final Object NULL = new Object();

		private static final java.lang.invoke.VarHandle GENERATION;

		static {
			try {
				GENERATION = java.lang.invoke.MethodHandles.lookup().findVarHandle(Frame.class, "generation", int.class);
			}
			catch (ReflectiveOperationException ex) {
				throw new ExceptionInInitializerError(ex);
			}
		}

		final int index;

		/** The mode of the outermost call of the nest, which governs every frame in it. */
		NestedRetryMode mode;

		boolean mayRetry;

		int attempt;

		/**
		 * Bumped when the frame is left, so that reports arriving late from another
		 * thread, for a call that already ended, are dropped. Written by the owner with
		 * release semantics (a plain store on x86, where a volatile store costs a fence on
		 * every call) and read by other threads with acquire semantics: a report that reads
		 * the older value just after the owner left is one that slipped in just as the call
		 * ended, which the frame tolerates anyway (see {@link #rememberFinalFrom}).
		 */
		private int generation;

		/** Set on a stand-in: the captured frame on the capturing thread and its generation then. */
		private final Frame source;

		private final int sourceGeneration;

		/** Reported outcomes, a ring; guarded by this. */
		private Object[] outcomes;

		private int nextOutcome;

		/** Written under the lock, read without it so that an empty frame is left without locking. */
		private volatile int outcomeCount;

		Frame(int index) {
			this(index, null, 0);
		}

		private Frame(int index, Frame source, int sourceGeneration) {
			this.index = index;
			this.source = source;
			this.sourceGeneration = sourceGeneration;
		}

		/**
		 * @return a stand-in of this frame for a nest on another thread, frozen at its
		 * current mode and attempt; reports made to it reach this frame while its call lasts
		 */
		Frame standIn() {
			Frame copy = new Frame(this.index, (this.source != null) ? this.source : this,
					(this.source != null) ? this.sourceGeneration : currentGeneration());
			copy.mode = this.mode;
			copy.mayRetry = this.mayRetry;
			copy.attempt = this.attempt;
			return copy;
		}

		private int currentGeneration() {
			return (int) GENERATION.getAcquire(this);
		}

		void enter(NestedRetryMode mode, boolean mayRetry) {
			this.mode = mode;
			this.mayRetry = mayRetry;
			// A call enters at its first attempt.
			this.attempt = 1;
			if (this.outcomeCount != 0) {
				// A report that raced with the previous leave of this frame; it names a call that is over.
				clearOutcomes();
			}
		}

		/**
		 * Ends the call of an asynchronous execution's own frame: reports still arriving
		 * through stand-ins are dropped.
		 */
		void retire() {
			// Not on the per-call path: a full update, as a retirement may come from any thread.
			GENERATION.getAndAdd(this, 1);
		}

		void leave() {
			// The attempt is left as it is: frames above the depth are never read.
			GENERATION.setRelease(this, this.generation + 1);
			if (this.outcomeCount != 0) {
				clearOutcomes();
			}
		}

		void rememberFinal(Object outcome) {
			remember(outcome);
			Object unwrapped = unwrapped(outcome);
			if (unwrapped != outcome) {
				// An asynchronous call sees a failure without the CompletionException or
				// ExecutionException that a blocking join() wrapped it in.
				remember(unwrapped);
			}
		}

		private void remember(Object outcome) {
			if (this.source != null) {
				this.source.rememberFinalFrom(this.sourceGeneration, outcome);
			}
			else {
				add(outcome);
			}
		}

		private static Object unwrapped(Object outcome) {
			Object current = outcome;
			for (int i = 0; i < MAX_CAUSES
					&& (current instanceof java.util.concurrent.CompletionException
							|| current instanceof java.util.concurrent.ExecutionException)
					&& ((Throwable) current).getCause() != null; i++) {
				current = ((Throwable) current).getCause();
			}
			return current;
		}

		private void rememberFinalFrom(int generation, Object outcome) {
			synchronized (this) {
				// Checked under the lock, but the owner bumps the generation without it: a
				// report that slips in just as the call ends is cleared when the frame is next
				// entered, and until then it names only an object of the call that ended.
				if (generation == (int) GENERATION.getAcquire(this)) {
					add(outcome);
				}
			}
		}

		private synchronized void add(Object outcome) {
			if (this.outcomes == null) {
				this.outcomes = new Object[KEPT_OUTCOMES];
			}
			this.outcomes[this.nextOutcome] = (outcome != null) ? outcome : NULL;
			this.nextOutcome = (this.nextOutcome + 1) % KEPT_OUTCOMES;
			this.outcomeCount = Math.min(this.outcomeCount + 1, KEPT_OUTCOMES);
		}

		boolean holdsFinal(Object outcome) {
			if (this.source != null) {
				// A stand-in keeps nothing: what is reported to it goes to the captured frame,
				// which answers while its call lasts.
				return this.source.currentGeneration() == this.sourceGeneration && this.source.holdsFinal(outcome);
			}
			if (this.outcomeCount == 0) {
				return false;
			}
			Object wanted = (outcome != null) ? outcome : NULL;
			synchronized (this) {
				for (Object held : this.outcomes) {
					if (held == wanted) {
						return true;
					}
				}
				return false;
			}
		}

		private synchronized void clearOutcomes() {
			java.util.Arrays.fill(this.outcomes, null);
			this.nextOutcome = 0;
			this.outcomeCount = 0;
		}

	}

}

package dev.resilience.benchmarks.sim;

/**
 * One attempt as the origin sees it. The client abandons it when its timeout fires
 * first; the origin cannot tell and serves it anyway, which is the wasted work that
 * keeps an overloaded origin overloaded.
 */
public final class Request {

	/** Receives the client-side ending of a request. */
	interface Listener {

		void onResponse(Request request, boolean success);

		void onTimeout(Request request);

	}

	private final Listener listener;

	private final Object owner;

	private final long sentAtNanos;

	private boolean answered;

	private boolean abandoned;

	Request(Listener listener, Object owner, long sentAtNanos) {
		this.listener = listener;
		this.owner = owner;
		this.sentAtNanos = sentAtNanos;
	}

	/**
	 * The origin answers.
	 * @param success whether the answer is a success
	 * @return {@code false} when the client had already given up, so the work was wasted
	 */
	public boolean respond(boolean success) {
		if (abandoned || answered) {
			return false;
		}
		answered = true;
		listener.onResponse(this, success);
		return true;
	}

	/**
	 * The client's timeout fires; does nothing when the answer came first.
	 */
	void timeOut() {
		if (answered) {
			return;
		}
		abandoned = true;
		listener.onTimeout(this);
	}

	/**
	 * @return whether the client has given up on this request
	 */
	public boolean isAbandoned() {
		return abandoned;
	}

	/**
	 * @return when the client sent it
	 */
	public long sentAtNanos() {
		return sentAtNanos;
	}

	Object owner() {
		return owner;
	}

}

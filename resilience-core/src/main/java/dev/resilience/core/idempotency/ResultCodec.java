package dev.resilience.core.idempotency;

/**
 * Turns a call's result into a {@link StoredResult} and back, so that a duplicate call can
 * be answered with the first call's result. An implementation must round-trip: what
 * {@link #decode} returns for a stored result must be what the caller of the first call
 * got, as far as the caller can tell. {@code null} results must be handled if the call
 * can return {@code null}.
 *
 * @param <T> the result type
 */
public interface ResultCodec<T> {

	/**
	 * @param result what the call returned
	 * @return its stored form
	 * @throws Exception when the result cannot be serialized; the call's claim is then
	 * released and the caller gets {@link IdempotencySerializationException}
	 */
	StoredResult encode(T result) throws Exception;

	/**
	 * @param stored what {@link #encode} produced, possibly in another process
	 * @return the result
	 * @throws Exception when the stored form cannot be read; the caller gets
	 * {@link IdempotencySerializationException}
	 */
	T decode(StoredResult stored) throws Exception;

}

package dev.resilience.autoconfigure.idempotency;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.resilience.core.idempotency.ResultCodec;
import dev.resilience.core.idempotency.StoredResult;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What a handler answered, as stored for replay: status, content type, the headers the
 * handler set, and the body bytes exactly as written.
 *
 * @param status the HTTP status
 * @param contentType the content type, or {@code null}
 * @param headers the stored headers by name, in order
 * @param body the body
 */
record HttpResponseSnapshot(int status, String contentType, Map<String, List<String>> headers, byte[] body) {

	/** Tells a client that the answer is a replay of the first call's answer. */
	static final String REPLAYED_HEADER = "Idempotent-Replayed";

	/**
	 * Never stored: credentials and cookies belong to the response they were issued in,
	 * and the rest describes the transfer, which the container sets again.
	 */
	private static final Set<String> UNSTORED_HEADERS = Set.of("set-cookie", "set-cookie2", "authorization",
			"proxy-authorization", "www-authenticate", "proxy-authenticate", "content-type", "content-length",
			"transfer-encoding", "connection", "date", REPLAYED_HEADER.toLowerCase(Locale.ROOT));

	private static final String STATUS = "status";

	private static final String CONTENT_TYPE = "content-type";

	private static final String HEADER_PREFIX = "header:";

	/** Stores a snapshot as its body and a few attributes. */
	static final ResultCodec<HttpResponseSnapshot> CODEC = new ResultCodec<>() {

		@Override
		public StoredResult encode(HttpResponseSnapshot snapshot) {
			Map<String, String> metadata = new LinkedHashMap<>();
			metadata.put(STATUS, Integer.toString(snapshot.status()));
			if (snapshot.contentType() != null) {
				metadata.put(CONTENT_TYPE, snapshot.contentType());
			}
			// A header value cannot hold a line break, so one joins several values.
			snapshot.headers().forEach((name, values) -> metadata.put(HEADER_PREFIX + name, String.join("\n", values)));
			return StoredResult.of(snapshot.body(), metadata);
		}

		@Override
		public HttpResponseSnapshot decode(StoredResult stored) {
			Map<String, String> metadata = stored.metadata();
			Map<String, List<String>> headers = new LinkedHashMap<>();
			metadata.forEach((name, value) -> {
				if (name.startsWith(HEADER_PREFIX)) {
					headers.put(name.substring(HEADER_PREFIX.length()), Arrays.asList(value.split("\n", -1)));
				}
			});
			return new HttpResponseSnapshot(Integer.parseInt(metadata.get(STATUS)), metadata.get(CONTENT_TYPE),
					headers, stored.body());
		}

	};

	/**
	 * @param response the response, after the handler wrote it
	 * @param before the headers it had before the handler ran
	 * @param body the body the handler wrote
	 * @return what to store: the headers the handler set or changed, less those never
	 * stored
	 */
	static HttpResponseSnapshot capture(HttpServletResponse response, Map<String, List<String>> before, byte[] body) {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		headers(response).forEach((name, values) -> {
			if (!UNSTORED_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !values.equals(before.get(name))) {
				headers.put(name, values);
			}
		});
		return new HttpResponseSnapshot(response.getStatus(), response.getContentType(), headers, body);
	}

	/**
	 * @param response a response
	 * @return its headers now, by name
	 */
	static Map<String, List<String>> headers(HttpServletResponse response) {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		for (String name : new ArrayList<>(response.getHeaderNames())) {
			Collection<String> values = response.getHeaders(name);
			headers.put(name, new ArrayList<>(values));
		}
		return headers;
	}

	/**
	 * Writes the stored answer to a response, marked as a replay.
	 * @param response the duplicate's response
	 * @throws IOException when the body cannot be written
	 */
	void replayTo(HttpServletResponse response) throws IOException {
		response.setStatus(status);
		headers.forEach((name, values) -> {
			response.setHeader(name, values.isEmpty() ? "" : values.get(0));
			for (int i = 1; i < values.size(); i++) {
				response.addHeader(name, values.get(i));
			}
		});
		if (contentType != null) {
			response.setContentType(contentType);
		}
		response.setHeader(REPLAYED_HEADER, "true");
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
		response.flushBuffer();
	}

}

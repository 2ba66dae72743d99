package dev.resilience.autoconfigure.idempotency;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.resilience.core.idempotency.Fingerprints;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

/**
 * A request whose body has been read up front to fingerprint it, and which serves the
 * same bytes to the handler. The fingerprint covers the method, the path with its query
 * and the body; for form and multipart requests, whose body the container parses itself,
 * the parameters and the uploaded files stand for the body.
 */
final class FingerprintedRequest {

	private final HttpServletRequest request;

	private final String fingerprint;

	private FingerprintedRequest(HttpServletRequest request, String fingerprint) {
		this.request = request;
		this.fingerprint = fingerprint;
	}

	static FingerprintedRequest of(HttpServletRequest request) throws IOException {
		ByteArrayOutputStream digestInput = new ByteArrayOutputStream();
		write(digestInput, request.getMethod() + " " + request.getRequestURI() + "?"
				+ ((request.getQueryString() != null) ? request.getQueryString() : "") + "\n");
		if (isParsedByContainer(request)) {
			// Reading the stream here would leave the container no parameters to parse.
			Map<String, String[]> parameters = new TreeMap<>(request.getParameterMap());
			parameters.forEach((name, values) -> write(digestInput, name + "=" + String.join("&", values) + "\n"));
			if (request instanceof MultipartHttpServletRequest multipart) {
				for (Map.Entry<String, List<MultipartFile>> files : new TreeMap<>(multipart.getMultiFileMap()).entrySet()) {
					for (MultipartFile file : files.getValue()) {
						write(digestInput, files.getKey() + ":" + file.getOriginalFilename() + ":"
								+ Fingerprints.sha256Hex(file.getBytes()) + "\n");
					}
				}
			}
			return new FingerprintedRequest(request, Fingerprints.sha256Hex(digestInput.toByteArray()));
		}
		byte[] body = request.getInputStream().readAllBytes();
		digestInput.write(body);
		return new FingerprintedRequest(new CachedBody(request, body),
				Fingerprints.sha256Hex(digestInput.toByteArray()));
	}

	private static boolean isParsedByContainer(HttpServletRequest request) {
		String contentType = request.getContentType();
		if (contentType == null) {
			return false;
		}
		String type = contentType.toLowerCase(Locale.ROOT);
		return type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/");
	}

	private static void write(ByteArrayOutputStream out, String text) {
		out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
	}

	/** @return the request to hand on, serving the body that was read */
	HttpServletRequest request() {
		return request;
	}

	/** @return the request's digest */
	String fingerprint() {
		return fingerprint;
	}

	/** Serves a body read in advance, as many times as asked. */
	private static final class CachedBody extends HttpServletRequestWrapper {

		private final byte[] body;

		CachedBody(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream bytes = new ByteArrayInputStream(body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return bytes.read();
				}

				@Override
				public int read(byte[] buffer, int offset, int length) {
					return bytes.read(buffer, offset, length);
				}

				@Override
				public boolean isFinished() {
					return bytes.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("The body was read in advance; read it synchronously");
				}

			};
		}

		@Override
		public BufferedReader getReader() {
			String encoding = getCharacterEncoding();
			Charset charset = (encoding != null) ? Charset.forName(encoding) : StandardCharsets.ISO_8859_1;
			return new BufferedReader(new InputStreamReader(getInputStream(), charset));
		}

		@Override
		public int getContentLength() {
			return body.length;
		}

		@Override
		public long getContentLengthLong() {
			return body.length;
		}

	}

}

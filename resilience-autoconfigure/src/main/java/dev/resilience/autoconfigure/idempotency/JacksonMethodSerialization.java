package dev.resilience.autoconfigure.idempotency;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import dev.resilience.core.idempotency.Fingerprints;
import dev.resilience.core.idempotency.ResultCodec;
import dev.resilience.core.idempotency.StoredResult;
import org.springframework.core.ResolvableType;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serialises results and arguments with the application's {@link JsonMapper}, so that
 * they look as they would in its HTTP responses. A result is written and read as the
 * method's declared generic return type ({@code List<Order>} comes back as a list of
 * orders, not of maps); for a method returning {@code CompletionStage<T>} or
 * {@code CompletableFuture<T>} or {@code Mono<T>}, as {@code T}.
 */
final class JacksonMethodSerialization implements MethodSerialization {

	/** Return types served as a Flux, whose elements are stored as one list. */
	private static final Set<String> STREAM_TYPES = Set.of("reactor.core.publisher.Flux",
			"org.reactivestreams.Publisher", "reactor.core.CorePublisher");

	private final JsonMapper mapper;

	JacksonMethodSerialization(JsonMapper mapper) {
		this.mapper = mapper;
	}

	@Override
	public ResultCodec<Object> resultCodec(Method method, Class<?> targetClass) {
		ResolvableType declared = ResolvableType.forMethodReturnType(method, targetClass);
		if (CompletionStage.class.isAssignableFrom(method.getReturnType())
				|| method.getReturnType().getName().equals("reactor.core.publisher.Mono")) {
			// What is stored is what the call completes with: T of CompletionStage<T>,
			// CompletableFuture<T> (the only stage types the annotations accept) or Mono<T>.
			declared = declared.getGeneric(0);
		}
		else if (STREAM_TYPES.contains(method.getReturnType().getName())) {
			// A Flux is stored as the list of its elements, and replayed from it.
			declared = ResolvableType.forClassWithGenerics(List.class, declared.getGeneric(0));
		}
		Class<?> returnType = declared.toClass();
		if (returnType == void.class || returnType == Void.class) {
			return VoidCodec.INSTANCE;
		}
		Type type = declared.getType();
		JavaType javaType = mapper.getTypeFactory().constructType(type);
		return new JsonCodec(mapper.writerFor(javaType), mapper.readerFor(javaType), javaType);
	}

	@Override
	public String fingerprint(Object[] arguments) {
		return Fingerprints.sha256Hex(mapper.writeValueAsBytes(arguments));
	}

	/** A result as JSON of the declared type; {@code null} as JSON {@code null}. */
	private static final class JsonCodec implements ResultCodec<Object> {

		private final ObjectWriter writer;

		private final ObjectReader reader;

		private final JavaType type;

		JsonCodec(ObjectWriter writer, ObjectReader reader, JavaType type) {
			this.writer = writer;
			this.reader = reader;
			this.type = type;
		}

		@Override
		public StoredResult encode(Object result) throws Exception {
			byte[] json = writer.writeValueAsBytes(result);
			// Read it back now: a result that cannot be read would otherwise be found out
			// only by the first duplicate, which would then fail until the ttl ends.
			try {
				reader.readValue(json);
			}
			catch (RuntimeException ex) {
				throw new IllegalStateException("a " + type + " written as JSON cannot be read back ("
						+ ex.getMessage() + "); return a type the JSON mapper can read", ex);
			}
			return StoredResult.of(json);
		}

		@Override
		public Object decode(StoredResult stored) throws Exception {
			return reader.readValue(stored.body());
		}

		@Override
		public String toString() {
			return "JSON codec of " + type;
		}

	}

	/** A method that returns nothing has nothing to store. */
	private enum VoidCodec implements ResultCodec<Object> {

		INSTANCE;

		@Override
		public StoredResult encode(Object result) {
			return StoredResult.empty();
		}

		@Override
		public Object decode(StoredResult stored) {
			return null;
		}

	}

}

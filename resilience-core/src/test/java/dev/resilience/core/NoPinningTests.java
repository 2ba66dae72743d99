package dev.resilience.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A virtual thread that blocks inside a {@code synchronized} section pins its carrier
 * thread on Java 21 to 23 (JEP 444): a bulkhead wait, a retry's backoff or an idempotency
 * wait held there would stall other virtual threads. The core therefore waits only outside
 * monitors (semaphores, {@code LockSupport}, {@code ReentrantLock}). This test reads every
 * {@code synchronized} section of the core's sources, and the private methods of the same
 * class that it calls, and fails on anything that waits or calls out to code that might
 * (a sleeper, a store, a user's call, a listener).
 */
class NoPinningTests {

	private static final Pattern SYNCHRONIZED = Pattern.compile("\\bsynchronized\\b");

	private static final Pattern BLOCKING = Pattern.compile("\\.(sleep|await|wait|join|acquire|acquireUninterruptibly"
			+ "|take|put|lockInterruptibly|park|parkNanos|parkUntil|execute|call|run)\\s*\\("
			+ "|\\btryAcquire\\s*\\([^)]*,|\\b(sleeper|store|listener|call)\\s*\\.\\s*\\w+\\s*\\(");

	private static final Pattern CALL = Pattern.compile("(?<![.\\w])(\\w+)\\s*\\(");

	@Test
	void noSynchronizedSectionOfTheCoreWaitsOrCallsOut() throws IOException {
		Path sources = Paths.get("src/main/java");
		List<String> violations = new ArrayList<>();
		int sections = 0;
		try (Stream<Path> paths = Files.walk(sources)) {
			for (Path file : paths.filter((path) -> path.toString().endsWith(".java")).toList()) {
				String code = Files.readString(file);
				sections += countSections(code);
				for (String violation : violations(code)) {
					violations.add(sources.relativize(file) + ": " + violation);
				}
			}
		}
		assertThat(sections).as("synchronized sections found (the scan works)").isGreaterThanOrEqualTo(4);
		assertThat(violations).as("waits or call-outs under a monitor").isEmpty();
	}

	@Test
	void detectsAWaitInASynchronizedBlock() {
		String code = """
				class Sample {
					void pause() throws InterruptedException {
						synchronized (this.lock) {
							this.sleeper.sleep(10); // "synchronized { }" in a comment is ignored
						}
					}
				}
				""";
		assertThat(violations(code)).singleElement().asString().contains("sleeper.sleep(");
	}

	@Test
	void detectsAWaitInAPrivateMethodCalledFromASynchronizedMethod() {
		String code = """
				class Sample {
					synchronized long next() {
						return rotate();
					}
					private long rotate() {
						java.util.concurrent.locks.LockSupport.parkNanos(5);
						return 1;
					}
				}
				""";
		assertThat(violations(code)).singleElement().asString().contains("parkNanos(");
	}

	@Test
	void acceptsShortBookkeepingUnderAMonitor() {
		String code = """
				class Sample {
					boolean tryAcquire() {
						synchronized (lock) {
							rotateTo(ticker.read());
							return semaphore.tryAcquire() && counts.get(key) != null;
						}
					}
					private void rotateTo(long now) {
						slots[(int) (now % 10)] = 0;
					}
				}
				""";
		assertThat(violations(code)).isEmpty();
	}

	private static int countSections(String code) {
		Matcher matcher = SYNCHRONIZED.matcher(stripCommentsAndLiterals(code));
		int count = 0;
		while (matcher.find()) {
			count++;
		}
		return count;
	}

	private static List<String> violations(String source) {
		String code = stripCommentsAndLiterals(source);
		List<String> found = new ArrayList<>();
		Matcher matcher = SYNCHRONIZED.matcher(code);
		while (matcher.find()) {
			int line = lineOf(code, matcher.start());
			String body = bodyAfter(code, matcher.end());
			for (String reached : reachable(code, body)) {
				Matcher blocking = BLOCKING.matcher(reached);
				while (blocking.find()) {
					found.add("synchronized at line " + line + " reaches " + blocking.group().trim());
				}
			}
		}
		return found;
	}

	/** The section's body, and the bodies of the same class's methods it calls, transitively. */
	private static List<String> reachable(String code, String body) {
		List<String> bodies = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		List<String> queue = new ArrayList<>(List.of(body));
		while (!queue.isEmpty()) {
			String next = queue.remove(queue.size() - 1);
			bodies.add(next);
			Matcher calls = CALL.matcher(next);
			while (calls.find()) {
				String name = calls.group(1);
				if (seen.add(name)) {
					Matcher declaration = Pattern
						.compile("\\b(private|static|final|void|[A-Z]\\w*|long|int|boolean|double)\\s+" + name
								+ "\\s*\\([^)]*\\)\\s*(throws[^{]*)?\\{")
						.matcher(code);
					if (declaration.find()) {
						queue.add(bodyAfter(code, declaration.end() - 1));
					}
				}
			}
		}
		return bodies;
	}

	/** The text between the first '{' at or after {@code from} and its matching '}'. */
	private static String bodyAfter(String code, int from) {
		int open = code.indexOf('{', from);
		int depth = 0;
		for (int i = open; i < code.length(); i++) {
			char c = code.charAt(i);
			if (c == '{') {
				depth++;
			}
			else if (c == '}' && --depth == 0) {
				return code.substring(open + 1, i);
			}
		}
		throw new IllegalStateException("unbalanced braces after offset " + from);
	}

	private static int lineOf(String code, int offset) {
		int line = 1;
		for (int i = 0; i < offset; i++) {
			if (code.charAt(i) == '\n') {
				line++;
			}
		}
		return line;
	}

	/** Blanks comments, strings and characters, keeping offsets and line breaks. */
	private static String stripCommentsAndLiterals(String code) {
		StringBuilder out = new StringBuilder(code);
		int i = 0;
		while (i < code.length()) {
			if (code.startsWith("//", i)) {
				int end = code.indexOf('\n', i);
				end = (end < 0) ? code.length() : end;
				blank(out, i, end);
				i = end;
			}
			else if (code.startsWith("/*", i)) {
				int end = code.indexOf("*/", i + 2);
				end = (end < 0) ? code.length() : end + 2;
				blank(out, i, end);
				i = end;
			}
			else if (code.startsWith("\"\"\"", i)) {
				int end = code.indexOf("\"\"\"", i + 3);
				end = (end < 0) ? code.length() : end + 3;
				blank(out, i, end);
				i = end;
			}
			else if (code.charAt(i) == '"' || code.charAt(i) == '\'') {
				char quote = code.charAt(i);
				int end = i + 1;
				while (end < code.length() && code.charAt(end) != quote) {
					end += (code.charAt(end) == '\\') ? 2 : 1;
				}
				end = Math.min(end + 1, code.length());
				blank(out, i, end);
				i = end;
			}
			else {
				i++;
			}
		}
		return out.toString();
	}

	private static void blank(StringBuilder out, int start, int end) {
		for (int i = start; i < end; i++) {
			if (out.charAt(i) != '\n') {
				out.setCharAt(i, ' ');
			}
		}
	}

}

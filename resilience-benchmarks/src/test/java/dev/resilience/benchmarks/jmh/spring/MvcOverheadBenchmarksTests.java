package dev.resilience.benchmarks.jmh.spring;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;

import dev.resilience.autoconfigure.idempotency.IdempotentHandlerAdapter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MVC benchmarks' set-up and endpoints, once each, so that a broken harness fails the
 * build rather than the benchmark run.
 */
class MvcOverheadBenchmarksTests {

	@Test
	void everyEndpointAnswersAsTheBenchmarksExpect() throws Exception {
		MvcOverheadBenchmarks benchmarks = new MvcOverheadBenchmarks();
		MvcOverheadBenchmarks.Keys keys = new MvcOverheadBenchmarks.Keys();
		keys.setUp();
		try {
			benchmarks.start(null);
			for (MockHttpServletResponse response : new MockHttpServletResponse[] { benchmarks.plainHandler(),
					benchmarks.proxyFloor(), benchmarks.oursUnannotated(), benchmarks.oursAnnotations(),
					benchmarks.r4jAnnotations(), benchmarks.oursIdempotentFirstCall(keys) }) {
				assertThat(response.getContentAsString()).isEqualTo("ok");
				assertThat(response.getHeader(IdempotentHandlerAdapter.REPLAYED_HEADER)).isNull();
			}
			benchmarks.oursIdempotentReplay(keys);
			MockHttpServletResponse replayed = benchmarks.oursIdempotentReplay(keys);
			assertThat(replayed.getContentAsString()).isEqualTo("ok");
			assertThat(replayed.getHeader(IdempotentHandlerAdapter.REPLAYED_HEADER)).isEqualTo("true");
		}
		finally {
			benchmarks.tearDown();
		}
	}

	@Test
	void firstCallKeysComeRoundOnlyAfterThePool() {
		MvcOverheadBenchmarks.Keys keys = new MvcOverheadBenchmarks.Keys();
		keys.setUp();
		String first = keys.next();
		for (int i = 1; i < MvcOverheadBenchmarks.KEY_POOL; i++) {
			assertThat(keys.next()).isNotEqualTo(first);
		}
		assertThat(keys.next()).isEqualTo(first);
	}

}

package dev.resilience.autoconfigure.loadshedding;

import java.util.concurrent.atomic.AtomicInteger;

import dev.resilience.autoconfigure.properties.LoadSheddingProperties;
import dev.resilience.autoconfigure.properties.LoadSheddingSettings;
import dev.resilience.core.bulkhead.Bulkhead;
import dev.resilience.core.time.ManualTicker;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The load shedder's admission by priority, and the filter's answers, on a limit pinned at
 * ten requests.
 */
class LoadSheddingFilterTests {

	private final ManualTicker ticker = ManualTicker.create();

	private static LoadSheddingProperties pinnedAtTen() {
		LoadSheddingProperties properties = new LoadSheddingProperties();
		properties.setEnabled(true);
		properties.setMinConcurrentRequests(10);
		properties.setInitialConcurrentRequests(10);
		properties.setMaxConcurrentRequests(10);
		properties.getRoutes().put("/reports/**", RequestPriority.SHEDDABLE);
		properties.getRoutes().put("/checkout", RequestPriority.CRITICAL);
		return properties;
	}

	private LoadShedder shedder(LoadSheddingProperties properties) {
		return LoadShedder.of(LoadSheddingSettings.of(properties), this.ticker);
	}

	@Test
	void eachPriorityFillsOnlyItsShareOfTheLimit() {
		LoadShedder shedder = shedder(pinnedAtTen());
		for (int i = 0; i < 5; i++) {
			assertThat(shedder.tryAdmit(RequestPriority.SHEDDABLE)).isNotNull();
		}
		assertThat(shedder.tryAdmit(RequestPriority.SHEDDABLE)).as("sheddable: half of 10").isNull();
		for (int i = 0; i < 4; i++) {
			assertThat(shedder.tryAdmit(RequestPriority.NORMAL)).isNotNull();
		}
		assertThat(shedder.tryAdmit(RequestPriority.NORMAL)).as("normal: 90% of 10").isNull();
		assertThat(shedder.tryAdmit(RequestPriority.CRITICAL)).isNotNull();
		assertThat(shedder.tryAdmit(RequestPriority.CRITICAL)).as("critical: the whole limit").isNull();
		assertThat(shedder.inFlight()).isEqualTo(10);
		assertThat(shedder.admittedRequests()).isEqualTo(10);
		assertThat(shedder.shedRequests(RequestPriority.SHEDDABLE)).isEqualTo(1);
		assertThat(shedder.shedRequests(RequestPriority.NORMAL)).isEqualTo(1);
		assertThat(shedder.shedRequests(RequestPriority.CRITICAL)).isEqualTo(1);
	}

	@Test
	void releasedPermitAdmitsTheNextRequest() {
		LoadShedder shedder = shedder(pinnedAtTen());
		Bulkhead.Permit[] permits = new Bulkhead.Permit[10];
		for (int i = 0; i < 10; i++) {
			permits[i] = shedder.tryAdmit(RequestPriority.CRITICAL);
		}
		assertThat(shedder.tryAdmit(RequestPriority.CRITICAL)).isNull();
		permits[0].release();
		assertThat(shedder.tryAdmit(RequestPriority.CRITICAL)).isNotNull();
	}

	@Test
	void shedRequestGets503WithRetryAfterAndTheOverloadedHeaderWithoutReachingTheApplication() throws Exception {
		LoadShedder shedder = shedder(pinnedAtTen());
		fill(shedder, 10);
		AtomicInteger reached = new AtomicInteger();
		MockHttpServletResponse response = filter(new LoadSheddingFilter(shedder), request("/orders"),
				(req, res) -> reached.incrementAndGet());
		assertThat(reached).hasValue(0);
		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getHeader("Retry-After")).isEqualTo("1");
		assertThat(response.getHeader("Resilience-Overloaded")).isEqualTo("true");
		assertThat(response.getContentType()).startsWith("application/problem+json");
		assertThat(response.getContentAsString()).contains("\"status\":503");
	}

	@Test
	void exemptPathsPassEvenWhenFull() throws Exception {
		LoadShedder shedder = shedder(pinnedAtTen());
		fill(shedder, 10);
		LoadSheddingFilter filter = new LoadSheddingFilter(shedder);
		assertThat(filter(filter, request("/actuator/health"), (req, res) -> { }).getStatus()).isEqualTo(200);
		assertThat(filter(filter, request("/readyz"), (req, res) -> { }).getStatus()).isEqualTo(200);
		assertThat(filter(filter, request("/actuatorx"), (req, res) -> { }).getStatus()).isEqualTo(503);
	}

	@Test
	void priorityComesFromTheHeaderThenTheRouteThenTheDefault() {
		LoadSheddingFilter filter = new LoadSheddingFilter(shedder(pinnedAtTen()));
		assertThat(filter.priority(request("/orders"))).isEqualTo(RequestPriority.NORMAL);
		assertThat(filter.priority(request("/reports/daily"))).isEqualTo(RequestPriority.SHEDDABLE);
		assertThat(filter.priority(request("/checkout"))).isEqualTo(RequestPriority.CRITICAL);
		MockHttpServletRequest promoted = request("/reports/daily");
		promoted.addHeader("Resilience-Priority", "Critical");
		assertThat(filter.priority(promoted)).isEqualTo(RequestPriority.CRITICAL);
		MockHttpServletRequest unknown = request("/checkout");
		unknown.addHeader("Resilience-Priority", "urgent");
		assertThat(filter.priority(unknown)).as("an unknown value is ignored").isEqualTo(RequestPriority.CRITICAL);
	}

	@Test
	void retriesCountOnePriorityLower() {
		LoadSheddingFilter filter = new LoadSheddingFilter(shedder(pinnedAtTen()));
		MockHttpServletRequest retry = request("/checkout");
		retry.addHeader("Resilience-Attempt", "2");
		assertThat(filter.priority(retry)).isEqualTo(RequestPriority.NORMAL);
		MockHttpServletRequest retriedNormal = request("/orders");
		retriedNormal.addHeader("Resilience-Attempt", "3");
		assertThat(filter.priority(retriedNormal)).isEqualTo(RequestPriority.SHEDDABLE);
		MockHttpServletRequest first = request("/orders");
		first.addHeader("Resilience-Attempt", "1");
		assertThat(filter.priority(first)).isEqualTo(RequestPriority.NORMAL);
	}

	@Test
	void ignoresThePriorityHeaderWhenItIsSwitchedOff() {
		LoadSheddingProperties properties = pinnedAtTen();
		properties.setPriorityHeader("");
		LoadSheddingFilter filter = new LoadSheddingFilter(shedder(properties));
		MockHttpServletRequest request = request("/orders");
		request.addHeader("Resilience-Priority", "critical");
		assertThat(filter.priority(request)).isEqualTo(RequestPriority.NORMAL);
	}

	@Test
	void admittedRequestGivesItsPermitBackWhenItEndsOrFails() throws Exception {
		LoadShedder shedder = shedder(pinnedAtTen());
		LoadSheddingFilter filter = new LoadSheddingFilter(shedder);
		AtomicInteger inFlightDuringRequest = new AtomicInteger();
		filter(filter, request("/orders"), (req, res) -> inFlightDuringRequest.set(shedder.inFlight()));
		assertThat(inFlightDuringRequest).hasValue(1);
		assertThat(shedder.inFlight()).isZero();
		assertThatThrownBy(() -> filter(filter, request("/orders"), (req, res) -> {
			throw new ServletException("handler failed");
		})).isInstanceOf(ServletException.class);
		assertThat(shedder.inFlight()).isZero();
	}

	@Test
	void asynchronousRequestHoldsItsPermitUntilItCompletes() throws Exception {
		LoadShedder shedder = shedder(pinnedAtTen());
		MockHttpServletRequest request = request("/stream");
		request.setAsyncSupported(true);
		MockHttpServletResponse response = new MockHttpServletResponse();
		new LoadSheddingFilter(shedder).doFilter(request, response, (req, res) -> req.startAsync());
		assertThat(shedder.inFlight()).isEqualTo(1);
		request.getAsyncContext().complete();
		assertThat(shedder.inFlight()).isZero();
	}

	private static void fill(LoadShedder shedder, int requests) {
		for (int i = 0; i < requests; i++) {
			assertThat(shedder.tryAdmit(RequestPriority.CRITICAL)).isNotNull();
		}
	}

	private static MockHttpServletRequest request(String path) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
		request.setRequestURI(path);
		return request;
	}

	private static MockHttpServletResponse filter(LoadSheddingFilter filter, MockHttpServletRequest request,
			FilterChain chain) throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		filter.doFilter(request, response, (chain != null) ? chain : new MockFilterChain());
		return response;
	}

}

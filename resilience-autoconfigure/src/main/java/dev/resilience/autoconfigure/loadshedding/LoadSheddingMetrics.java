package dev.resilience.autoconfigure.loadshedding;

import dev.resilience.autoconfigure.metrics.ResilienceMeterNames;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes the load shedder: {@code resilience.loadshedding.limit} and
 * {@code resilience.loadshedding.in.flight} gauges, and {@code resilience.loadshedding.requests}
 * counted by {@code outcome} ({@code admitted}, {@code shed}) and, for shed requests,
 * {@code priority}.
 */
public final class LoadSheddingMetrics implements MeterBinder {

	private final LoadShedder shedder;

	public LoadSheddingMetrics(LoadShedder shedder) {
		this.shedder = shedder;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder(ResilienceMeterNames.LOAD_SHEDDING_LIMIT, this.shedder, LoadShedder::limit)
			.description("Requests the load shedder admits at once now")
			.register(registry);
		Gauge.builder(ResilienceMeterNames.LOAD_SHEDDING_IN_FLIGHT, this.shedder, LoadShedder::inFlight)
			.description("Requests running now")
			.register(registry);
		FunctionCounter.builder(ResilienceMeterNames.LOAD_SHEDDING_REQUESTS, this.shedder, LoadShedder::admittedRequests)
			.description("Requests admitted or shed by the load shedder")
			.tag(ResilienceMeterNames.TAG_OUTCOME, "admitted")
			.tag(ResilienceMeterNames.TAG_PRIORITY, "all")
			.register(registry);
		for (RequestPriority priority : RequestPriority.values()) {
			FunctionCounter
				.builder(ResilienceMeterNames.LOAD_SHEDDING_REQUESTS, this.shedder, (s) -> s.shedRequests(priority))
				.description("Requests admitted or shed by the load shedder")
				.tag(ResilienceMeterNames.TAG_OUTCOME, "shed")
				.tag(ResilienceMeterNames.TAG_PRIORITY, priority.value())
				.register(registry);
		}
	}

}

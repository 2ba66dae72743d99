package dev.resilience.autoconfigure.loadshedding;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/loadshedding}: the load shedder's limit, what is in flight, and how
 * many requests it admitted and shed, by priority.
 */
@Endpoint(id = "loadshedding")
public class LoadSheddingEndpoint {

	private final LoadShedder shedder;

	public LoadSheddingEndpoint(LoadShedder shedder) {
		this.shedder = shedder;
	}

	@ReadOperation
	public LoadSheddingDescriptor loadShedding() {
		Map<String, Long> shed = new LinkedHashMap<>();
		for (RequestPriority priority : RequestPriority.values()) {
			shed.put(priority.value(), this.shedder.shedRequests(priority));
		}
		return new LoadSheddingDescriptor(this.shedder.limit(), this.shedder.settings().limit().minLimit(),
				this.shedder.settings().limit().maxLimit(), this.shedder.inFlight(), this.shedder.admittedRequests(),
				shed);
	}

	/**
	 * The load shedder's state.
	 *
	 * @param limit requests that may be in flight now
	 * @param minLimit the floor of the limit
	 * @param maxLimit the ceiling of the limit
	 * @param inFlight requests running now
	 * @param admittedRequests requests admitted since start
	 * @param shedRequests requests shed since start, by priority
	 */
	public record LoadSheddingDescriptor(int limit, int minLimit, int maxLimit, int inFlight, long admittedRequests,
			Map<String, Long> shedRequests) {
	}

}

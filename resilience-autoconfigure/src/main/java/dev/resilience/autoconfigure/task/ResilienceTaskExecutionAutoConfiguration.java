package dev.resilience.autoconfigure.task;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Offers the {@link RetryContextTaskDecorator}, which Spring Boot applies to the task
 * executor it auto-configures, so that nested retries stay nested across {@code @Async}.
 */
@AutoConfiguration(before = TaskExecutionAutoConfiguration.class)
public final class ResilienceTaskExecutionAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RetryContextTaskDecorator retryContextTaskDecorator() {
		return new RetryContextTaskDecorator();
	}

}

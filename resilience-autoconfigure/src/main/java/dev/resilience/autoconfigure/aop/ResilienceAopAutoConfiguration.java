package dev.resilience.autoconfigure.aop;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.core.ResilienceRegistry;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Applies {@code @Retryable}, {@code @CircuitBreaker} and {@code @Bulkhead} to the
 * application's beans through one advisor, and checks every annotated method when its
 * bean is created.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.aop.framework.ProxyFactory")
@Import(ResilienceAopAutoConfiguration.AutoProxyRegistrar.class)
public final class ResilienceAopAutoConfiguration {

	/**
	 * Runs outside {@code @Transactional} (which has the lowest precedence), so that every
	 * retry attempt gets a transaction of its own.
	 */
	public static final int ADVISOR_ORDER = Ordered.LOWEST_PRECEDENCE - 100;

	@Bean
	@ConditionalOnMissingBean
	MethodResilienceResolver methodResilienceResolver(ResilienceRegistry registry) {
		return new MethodResilienceResolver(registry);
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static ResilienceAdvisor resilienceAdvisor(ObjectProvider<MethodResilienceResolver> resolver) {
		ResilienceAdvisor advisor = new ResilienceAdvisor(new ResilienceMethodInterceptor(resolver));
		advisor.setOrder(ADVISOR_ORDER);
		return advisor;
	}

	@Bean
	static ResilienceAnnotationsBeanPostProcessor resilienceAnnotationsBeanPostProcessor(
			ObjectProvider<MethodResilienceResolver> resolver) {
		return new ResilienceAnnotationsBeanPostProcessor(resolver);
	}

	/**
	 * Makes sure an auto-proxy creator exists even when Spring Boot's AOP
	 * auto-configuration is switched off; an existing, more capable one is kept. Like
	 * Spring Boot's own, it proxies classes unless {@code spring.aop.proxy-target-class}
	 * is {@code false}, an application's explicit choice of interface proxies.
	 */
	static final class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar {

		private final Environment environment;

		AutoProxyRegistrar(Environment environment) {
			this.environment = environment;
		}

		@Override
		public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
			AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
			if (this.environment.getProperty("spring.aop.proxy-target-class", Boolean.class, Boolean.TRUE)) {
				AopConfigUtils.forceAutoProxyCreatorToUseClassProxying(registry);
			}
		}

	}

}

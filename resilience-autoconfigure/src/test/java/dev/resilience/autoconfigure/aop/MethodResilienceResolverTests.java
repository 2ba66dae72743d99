package dev.resilience.autoconfigure.aop;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;

import org.junit.jupiter.api.Test;
import org.springframework.aop.TargetClassAware;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.core.ResilienceRegistry;

/**
 * The per-call lookup answers from the class of the object a method was last invoked on;
 * these pin down that it still answers for the right class whenever that changes.
 */
class MethodResilienceResolverTests {

	private final MethodResilienceResolver resolver = new MethodResilienceResolver(ResilienceRegistry.ofDefaults());

	private final Method call = method(Inventory.class, "call");

	private static Method method(Class<?> type, String name) {
		try {
			return type.getMethod(name);
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private String instanceFor(Method method, Object target) {
		MethodResilience resilience = this.resolver.resolveFor(method, target);
		return (resilience != null) ? resilience.pipeline().name() : null;
	}

	@Test
	void aMethodInvokedOnBeansOfTwoClassesInTurnGetsEachClassesInstance() {
		for (int i = 0; i < 3; i++) {
			assertThat(instanceFor(this.call, new Warehouse())).isEqualTo("Warehouse.call");
			assertThat(instanceFor(this.call, new Store())).isEqualTo("Store.call");
			assertThat(instanceFor(this.call, new Store())).isEqualTo("Store.call");
		}
	}

	@Test
	void anObjectThatNamesItsTargetClassIsAskedOnEveryCall() {
		Switching target = new Switching();
		for (int i = 0; i < 3; i++) {
			target.named = Warehouse.class;
			assertThat(instanceFor(this.call, target)).isEqualTo("Warehouse.call");
			target.named = Store.class;
			assertThat(instanceFor(this.call, target)).isEqualTo("Store.call");
		}
		// A plain object of the class the switching one named last is not taken for it.
		assertThat(instanceFor(this.call, new Warehouse())).isEqualTo("Warehouse.call");
	}

	@Test
	void withoutATargetTheMethodsDeclaringClassCounts() {
		assertThat(instanceFor(this.call, null)).isEqualTo("Inventory.call");
		assertThat(instanceFor(this.call, new Warehouse())).isEqualTo("Warehouse.call");
		assertThat(instanceFor(this.call, null)).isEqualTo("Inventory.call");
	}

	@Test
	void aMethodWithoutAnnotationsResolvesToNothingEveryTime() {
		Method plain = method(Inventory.class, "plain");
		for (int i = 0; i < 2; i++) {
			assertThat(this.resolver.resolveFor(plain, new Warehouse())).isNull();
			assertThat(this.resolver.resolveFor(plain, new Store())).isNull();
		}
	}

	@Test
	void theLookupIsTheSameObjectOnEveryCallOfTheSameClass() {
		Warehouse target = new Warehouse();
		MethodResilience first = this.resolver.resolveFor(this.call, target);
		assertThat(this.resolver.resolveFor(this.call, new Warehouse())).isSameAs(first);
		assertThat(this.resolver.resolve(this.call, Warehouse.class)).isSameAs(first);
	}

	public static class Inventory {

		@Bulkhead
		public String call() {
			return "ok";
		}

		public String plain() {
			return "ok";
		}

	}

	public static class Warehouse extends Inventory {

	}

	public static class Store extends Inventory {

	}

	/** A target that says which class it stands for, as a proxy used as a target does. */
	public static class Switching extends Inventory implements TargetClassAware {

		Class<?> named;

		@Override
		public Class<?> getTargetClass() {
			return this.named;
		}

	}

}

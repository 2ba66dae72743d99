package dev.resilience.autoconfigure.properties;

import java.beans.PropertyDescriptor;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.core.ResolvableType;

/**
 * The tree of known {@code resilience.*} keys, read from the properties classes so that it
 * cannot drift from them. Tells whether a configured name is known and, when it is not,
 * which known name is closest (a misspelt {@code max-atempts} suggests
 * {@code max-attempts}). Names are compared in Spring Boot's uniform form (lower case,
 * dashes ignored), as binding compares them.
 */
final class PropertyKeys {

	/** The root of every key. */
	static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("resilience");

	private static final PropertyKeys INSTANCE = new PropertyKeys(Node.group("resilience", ResilienceProperties.class));

	private final Node root;

	private PropertyKeys(Node root) {
		this.root = root;
	}

	/**
	 * @return the keys of {@link ResilienceProperties}
	 */
	static PropertyKeys get() {
		return INSTANCE;
	}

	/**
	 * @param name a name under {@code resilience}
	 * @return whether the name is a known key, a known group, or an element of a known
	 * list or map
	 */
	boolean isKnown(ConfigurationPropertyName name) {
		return match(name, false) != null;
	}

	/**
	 * @param name a name under {@code resilience} that is not known
	 * @return the closest known name, or {@code null} if none is close
	 */
	String suggest(ConfigurationPropertyName name) {
		return match(name, true);
	}

	/**
	 * Walks the name down the tree. Without correction, returns the name if it is known
	 * and {@code null} otherwise; with correction, replaces each unknown element by its
	 * closest known sibling and returns the result if it differs from the name.
	 */
	private String match(ConfigurationPropertyName name, boolean correct) {
		if (!ROOT.isAncestorOf(name)) {
			return null;
		}
		StringBuilder result = new StringBuilder(ROOT.toString());
		Node node = this.root;
		boolean corrected = false;
		for (int i = ROOT.getNumberOfElements(); i < name.getNumberOfElements(); i++) {
			String original = name.getElement(i, Form.ORIGINAL);
			if (node.mapValue != null) {
				appendMapKey(result, original);
				node = node.mapValue;
			}
			else if (node.list && name.isNumericIndex(i)) {
				result.append('[').append(original).append(']');
				node = Node.LIST_ELEMENT;
			}
			else if (node.children.isEmpty()) {
				// Below a value: no key of ours continues a scalar.
				return null;
			}
			else {
				Node child = node.children.get(name.getElement(i, Form.UNIFORM));
				if (child == null) {
					if (!correct) {
						return null;
					}
					child = closest(node, name.getElement(i, Form.UNIFORM));
					if (child == null) {
						return null;
					}
					corrected = true;
				}
				result.append('.').append(child.key);
				node = child;
			}
		}
		return (correct && !corrected) ? null : result.toString();
	}

	private static void appendMapKey(StringBuilder result, String key) {
		boolean plain = key.chars().allMatch((c) -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
		result.append(plain ? "." + key : "[" + key + "]");
	}

	private static Node closest(Node node, String uniform) {
		int allowed = Math.max(2, uniform.length() / 3);
		Node best = null;
		int bestDistance = Integer.MAX_VALUE;
		for (Map.Entry<String, Node> child : node.children.entrySet()) {
			int distance = editDistance(uniform, child.getKey());
			if (distance <= allowed && distance < uniform.length() && distance < bestDistance) {
				best = child.getValue();
				bestDistance = distance;
			}
		}
		return best;
	}

	/** Levenshtein distance; keys are short, so the quadratic table is cheap. */
	static int editDistance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

	/**
	 * A key: a group with children, a map with any key over one value shape, a list, or a
	 * plain value.
	 */
	private static final class Node {

		static final Node LIST_ELEMENT = new Node("", Map.of(), null, false);

		final String key;

		/** Children by uniform key, for a group. */
		final Map<String, Node> children;

		final Node mapValue;

		final boolean list;

		private Node(String key, Map<String, Node> children, Node mapValue, boolean list) {
			this.key = key;
			this.children = children;
			this.mapValue = mapValue;
			this.list = list;
		}

		static Node group(String key, Class<?> type) {
			Map<String, Node> children = new LinkedHashMap<>();
			for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
				if (property.getReadMethod() == null || "class".equals(property.getName())) {
					continue;
				}
				String childKey = PropertyValues.kebabCase(property.getName());
				children.put(childKey.replace("-", ""), child(childKey, property));
			}
			return new Node(key, Map.copyOf(children), null, false);
		}

		private static Node child(String key, PropertyDescriptor property) {
			Class<?> type = property.getPropertyType();
			if (Map.class.isAssignableFrom(type)) {
				ResolvableType valueType = ResolvableType.forMethodReturnType(property.getReadMethod()).asMap().getGeneric(1);
				Node value = isGroup(valueType.resolve(Object.class)) ? group("", valueType.resolve())
						: new Node("", Map.of(), null, false);
				return new Node(key, Map.of(), value, false);
			}
			if (isGroup(type)) {
				return group(key, type);
			}
			return new Node(key, Map.of(), null, Collection.class.isAssignableFrom(type));
		}

		private static boolean isGroup(Class<?> type) {
			return !type.isEnum() && type.getPackageName().equals(PropertyKeys.class.getPackageName());
		}

	}

}

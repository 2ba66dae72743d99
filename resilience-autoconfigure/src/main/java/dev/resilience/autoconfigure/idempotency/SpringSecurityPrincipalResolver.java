package dev.resilience.autoconfigure.idempotency;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The name of the authenticated principal in Spring Security's context. Anonymous
 * authentication counts as none: all anonymous callers share one scope, as they would
 * without Spring Security.
 */
final class SpringSecurityPrincipalResolver implements IdempotencyPrincipalResolver {

	/** The class whose presence selects this resolver. */
	static final String SECURITY_CONTEXT_HOLDER = "org.springframework.security.core.context.SecurityContextHolder";

	@Override
	public String currentPrincipal() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated()
				|| authentication instanceof AnonymousAuthenticationToken) {
			return null;
		}
		return authentication.getName();
	}

	@Override
	public String toString() {
		return "SpringSecurityPrincipalResolver";
	}

}

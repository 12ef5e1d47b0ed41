package io.roam.gateway.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.roam.contracts.security.ProjectRole;
import io.roam.service.Names;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Turns a verified JWT into a {@link Caller}: its name is the subject (else {@code upn}, else
 * {@code preferred_username}), its grants the object in the claim named by
 * {@link SecurityConfiguration#projectsClaim()}. A claim that is not an object of project names to
 * {@code reader|writer|admin} fails authentication rather than being half understood; a missing claim grants nothing.
 */
@ApplicationScoped
public class JwtCallerAugmentor implements SecurityIdentityAugmentor {

    private final SecurityConfiguration configuration;

    public JwtCallerAugmentor(SecurityConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || identity.getAttribute(Caller.IDENTITY_ATTRIBUTE) != null
                || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        try {
            Caller caller = caller(token);
            return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity)
                    .addAttribute(Caller.IDENTITY_ATTRIBUTE, caller)
                    .build());
        }
        catch (AuthenticationFailedException refused) {
            return Uni.createFrom().failure(refused);
        }
    }

    private Caller caller(JsonWebToken token) {
        String name = token.getSubject() != null ? token.getSubject() : token.getName();
        if (name == null || name.isBlank()) {
            throw new AuthenticationFailedException("a JWT without a subject");
        }
        return new Caller(name, grants(token), Caller.Kind.JWT, "jwt:" + token.getIssuer() + " " + name);
    }

    private Map<String, ProjectRole> grants(JsonWebToken token) {
        Object claim = token.getClaim(configuration.projectsClaim());
        if (claim == null) {
            return Map.of();
        }
        if (!(claim instanceof JsonObject projects)) {
            throw new AuthenticationFailedException("the projects claim of a JWT is not an object");
        }
        Map<String, ProjectRole> grants = new HashMap<>();
        for (Map.Entry<String, JsonValue> entry : projects.entrySet()) {
            if (!Names.isProjectOrEveryProject(entry.getKey()) || !(entry.getValue() instanceof JsonString role)) {
                throw new AuthenticationFailedException("the projects claim of a JWT names an invalid project or role");
            }
            try {
                grants.put(entry.getKey(), ProjectRole.fromWireName(role.getString()));
            }
            catch (IllegalArgumentException unknownRole) {
                throw new AuthenticationFailedException("the projects claim of a JWT names an unknown role");
            }
        }
        return grants;
    }
}

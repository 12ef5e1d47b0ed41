package io.roam.catalog.token;

import static io.roam.service.ClientText.quotable;

import io.roam.catalog.DatabaseTime;
import io.roam.catalog.security.TokenDigests;
import io.roam.contracts.security.ApiTokenRegistration;
import io.roam.contracts.security.ApiTokenView;
import io.roam.contracts.security.IssuedApiToken;
import io.roam.contracts.security.ProjectRole;
import io.roam.service.InvalidRequestException;
import io.roam.service.Names;
import io.roam.service.Problem;
import io.roam.service.ResourceNotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Issues, lists, revokes and introspects API tokens. A token is {@code roam_} and 43 base64url characters (32
 * random bytes); the catalog keeps only its SHA-256, so the secret exists only in the answer to the one request
 * that issued it. Nothing here logs a token or puts it in a message.
 */
@ApplicationScoped
public class TokenService {

    static final String PREFIX = "roam_";
    /** Every project, in a grant map. */
    static final String EVERY_PROJECT = Names.EVERY_PROJECT;

    private static final int SECRET_BYTES = 32;
    private static final int MAXIMUM_NAME_LENGTH = 100;
    private static final int MAXIMUM_CREATED_BY_LENGTH = 255;
    /** Far more than a token needs, and few enough that a grant map stays a small row. */
    private static final int MAXIMUM_PROJECTS = 100;
    /** The gateway allows 365 days ahead; a day more absorbs the time between its check and this one. */
    private static final Duration MAXIMUM_LIFETIME = Duration.ofDays(366);
    /** No control, format or line-breaking characters, which could forge a line wherever a name is shown. */
    private static final Pattern PRINTABLE = Pattern.compile("[\\P{C}&&[^\\p{Zl}\\p{Zp}]]+");

    private final SecureRandom random = new SecureRandom();
    private final EntityManager entityManager;

    public TokenService(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * Generates and stores a token.
     *
     * @throws InvalidRequestException naming every invalid field
     */
    @Transactional
    public IssuedApiToken issue(ApiTokenRegistration registration) {
        Instant now = DatabaseTime.now();
        validate(registration, now);
        String token = generateToken();
        ApiTokenEntity entity = new ApiTokenEntity();
        entity.id = UUID.randomUUID();
        entity.name = registration.name();
        entity.tokenSha256 = TokenDigests.sha256Hex(token);
        entity.projects = new TreeMap<>();
        registration.projects().forEach((project, role) -> entity.projects.put(project, role.wireName()));
        entity.createdBy = registration.createdBy();
        entity.createdAt = now;
        entity.expiresAt = DatabaseTime.of(registration.expiresAt());
        entity.persist();
        return new IssuedApiToken(entity.toView(), token);
    }

    /** The tokens not revoked (expired ones included, until revoked), newest first. */
    @Transactional
    public List<ApiTokenView> list() {
        return query("select * from api_token where revoked_at is null order by created_at desc, id desc", Map.of());
    }

    /**
     * The tokens not revoked whose grants name {@code project}, newest first. {@code *} names only the tokens
     * granting every project: a token for every project is not a token for each of them, to whoever lists tokens.
     */
    @Transactional
    public List<ApiTokenView> listNaming(String project) {
        return query("select * from api_token where revoked_at is null and jsonb_exists(projects, :project) "
                + "order by created_at desc, id desc", Map.of("project", project));
    }

    private List<ApiTokenView> query(String sql, Map<String, Object> parameters) {
        var query = entityManager.createNativeQuery(sql, ApiTokenEntity.class);
        parameters.forEach(query::setParameter);
        @SuppressWarnings("unchecked")
        List<ApiTokenEntity> tokens = query.getResultList();
        return tokens.stream().map(ApiTokenEntity::toView).toList();
    }

    /** A token, revoked or not. */
    @Transactional
    public ApiTokenView view(UUID id) {
        return require(id).toView();
    }

    /** Revokes a token at once; revoking it again keeps the first revocation's time. */
    @Transactional
    public void revoke(UUID id) {
        ApiTokenEntity token = require(id);
        if (token.revokedAt == null) {
            token.revokedAt = DatabaseTime.now();
        }
    }

    /**
     * The token's details when it is known, not revoked and not expired. Looked up by its hash, so that the time
     * the answer takes depends on no comparison with the secret.
     */
    @Transactional
    public Optional<ApiTokenView> introspect(String token) {
        Instant now = DatabaseTime.now();
        return ApiTokenEntity.findByTokenSha256(TokenDigests.sha256Hex(token))
                .filter(found -> found.isValidAt(now))
                .map(ApiTokenEntity::toView);
    }

    private String generateToken() {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    private static ApiTokenEntity require(UUID id) {
        return ApiTokenEntity.<ApiTokenEntity>findByIdOptional(id)
                .orElseThrow(() -> new ResourceNotFoundException("no API token has id " + id));
    }

    private static void validate(ApiTokenRegistration registration, Instant now) {
        if (registration == null) {
            throw new InvalidRequestException("body", "an API token registration is required");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        printable(errors, "name", registration.name(), MAXIMUM_NAME_LENGTH);
        projects(errors, registration.projects());
        if (registration.expiresAt() == null) {
            errors.add(new Problem.FieldError("expiresAt", "is required: no token lives forever"));
        }
        else if (!registration.expiresAt().isAfter(now)) {
            errors.add(new Problem.FieldError("expiresAt", "must be in the future"));
        }
        else if (registration.expiresAt().isAfter(now.plus(MAXIMUM_LIFETIME))) {
            errors.add(new Problem.FieldError("expiresAt", "must be at most " + MAXIMUM_LIFETIME.toDays() + " days ahead"));
        }
        printable(errors, "createdBy", registration.createdBy(), MAXIMUM_CREATED_BY_LENGTH);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }

    private static void projects(List<Problem.FieldError> errors, Map<String, ProjectRole> projects) {
        if (projects == null || projects.isEmpty()) {
            errors.add(new Problem.FieldError("projects", "at least one project is required, as in {\"llm\": \"writer\"}, or "
                    + EVERY_PROJECT + " for every project"));
            return;
        }
        if (projects.size() > MAXIMUM_PROJECTS) {
            errors.add(new Problem.FieldError("projects", "at most " + MAXIMUM_PROJECTS + " projects are allowed"));
            return;
        }
        projects.forEach((project, role) -> {
            if (!Names.isProjectOrEveryProject(project)) {
                errors.add(new Problem.FieldError("projects", "'" + quotable(project) + "' is neither " + EVERY_PROJECT
                        + " nor a project name, which " + Names.PROJECT_RULE));
            }
            else if (role == null) {
                errors.add(new Problem.FieldError("projects." + project, "is required: reader, writer or admin"));
            }
        });
    }

    private static void printable(List<Problem.FieldError> errors, String field, String value, int maximumLength) {
        if (value == null || value.isBlank()) {
            errors.add(new Problem.FieldError(field, "is required"));
        }
        else if (value.codePointCount(0, value.length()) > maximumLength) {
            errors.add(new Problem.FieldError(field, "must be at most " + maximumLength + " characters"));
        }
        else if (!PRINTABLE.matcher(value).matches()) {
            errors.add(new Problem.FieldError(field, "must be printable: no control or line-breaking characters"));
        }
    }
}

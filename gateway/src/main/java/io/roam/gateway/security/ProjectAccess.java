package io.roam.gateway.security;

import static java.util.Objects.requireNonNull;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.roam.contracts.security.ProjectRole;
import io.roam.service.InvalidRequestException;
import io.roam.service.ResourceNotFoundException;
import io.roam.storage.InvalidLocationException;
import io.roam.storage.Location;
import io.roam.storage.StorageException;
import jakarta.enterprise.context.RequestScoped;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one place that decides whether the current caller may act on a project. Every resource asks here before it
 * does anything with a project's data:
 * <ul>
 *   <li>{@link #require}: for a project the request names (a body, a query parameter): 403 unless the caller holds the
 *       role;</li>
 *   <li>{@link #requireFound}: for a resource read by id, after fetching it: 404, as if it did not exist, when the
 *       caller holds no role in its project (its existence must not leak), 403 when the role is too low;</li>
 *   <li>{@link #requireReadable}, {@link #requireWritable}: the storage profiles a project may copy from and to.</li>
 * </ul>
 */
@RequestScoped
public class ProjectAccess {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(project|kind|run|version)}");

    private final SecurityIdentity identity;
    private final StoragePermissions storage;

    public ProjectAccess(SecurityIdentity identity, StoragePermissions storage) {
        this.identity = identity;
        this.storage = storage;
    }

    /** The authenticated caller of this request. */
    public Caller caller() {
        Caller caller = identity.isAnonymous() ? null : identity.getAttribute(Caller.IDENTITY_ATTRIBUTE);
        if (caller == null) {
            throw new UnauthorizedException();
        }
        return caller;
    }

    /** @throws AccessDeniedException unless the caller holds at least {@code role} in {@code project} */
    public void require(String project, ProjectRole role) {
        requireNonNull(project, "project is null");
        if (!caller().holds(project, role)) {
            throw new AccessDeniedException("the caller is not " + article(role) + " of project '" + project + "'");
        }
    }

    /**
     * For a resource of {@code project} that was read by id.
     *
     * @param notFound the message of the 404, the same as the catalog's for an id it does not know
     * @throws ResourceNotFoundException when the caller holds no role in {@code project}
     * @throws AccessDeniedException when it holds one lower than {@code role}
     */
    public void requireFound(String project, ProjectRole role, String notFound) {
        requireNonNull(project, "project is null");
        if (caller().roleIn(project).isEmpty()) {
            throw new ResourceNotFoundException(notFound);
        }
        require(project, role);
    }

    /**
     * For a listing filtered by {@code project}: a reader of it; without the filter, a reader of every project (the
     * listing would otherwise mix projects), else 400.
     */
    public void requireListable(String project) {
        if (project != null) {
            require(project, ProjectRole.READER);
        }
        else if (!caller().holdsEveryProject(ProjectRole.READER)) {
            throw new InvalidRequestException("project", "is required unless the caller may read every project");
        }
    }

    /** @throws AccessDeniedException unless the caller holds {@code role} in every one of {@code projects} */
    public void requireInEvery(Collection<String> projects, ProjectRole role) {
        for (String project : projects) {
            if (!caller().holds(project, role)) {
                throw new AccessDeniedException(Caller.EVERY_PROJECT.equals(project)
                        ? "the caller is not " + article(role) + " of every project"
                        : "the caller is not " + article(role) + " of project '" + project + "'");
            }
        }
    }

    /**
     * Whether the caller holds {@code role} in every one of {@code projects} (the projects of an API token, say); never
     * for no projects, so that a grant naming none is nobody's to see.
     */
    public boolean holdsInEvery(Map<String, ProjectRole> projects, ProjectRole role) {
        return !projects.isEmpty() && projects.keySet().stream().allMatch(project -> caller().holds(project, role));
    }

    /** @throws AccessDeniedException unless {@code project} may copy from the profile serving {@code source} */
    public void requireReadable(Location source, String project) {
        storage.refusalToRead(source, project).ifPresent(refusal -> {
            throw new AccessDeniedException(refusal);
        });
    }

    /** @throws AccessDeniedException unless {@code project} may copy to the profile serving {@code target} */
    public void requireWritable(Location target, String project) {
        storage.refusalToWrite(target, project).ifPresent(refusal -> {
            throw new AccessDeniedException(refusal);
        });
    }

    /**
     * For a replication policy's target template ({@code s3://ckpt/{run}/{version}/}): the profile serving it, with
     * the project filled in and the other placeholders as plain names, must be writable by the project. A template
     * that is no location or that no profile serves is refused with 400: a target that cannot be checked is not allowed.
     */
    public void requireWritableTemplate(String field, String template, String project) {
        if (template == null) {
            return;
        }
        Location target;
        try {
            target = Location.parse(PLACEHOLDER.matcher(template).replaceAll(placeholder ->
                    placeholder.group(1).equals("project") ? project : "placeholder"));
            requireWritable(target, project);
        }
        catch (InvalidLocationException | StorageException notALocationOfAProfile) {
            throw new InvalidRequestException(field, "is not a location template a storage profile serves: "
                    + notALocationOfAProfile.getMessage());
        }
    }

    private static String article(ProjectRole role) {
        return (role == ProjectRole.ADMIN ? "an " : "a ") + role.wireName();
    }
}

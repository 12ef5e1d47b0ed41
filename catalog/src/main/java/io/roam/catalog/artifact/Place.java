package io.roam.catalog.artifact;

/**
 * Where a location is, as far as the catalog's storage profiles tell: the profile serving it and that
 * profile's region and cloud labels. Every part may be null: a location no profile of the catalog
 * serves (or a profile without labels) is somewhere, only not anywhere known.
 */
public record Place(String profile, String region, String cloud) {

    public static final Place UNKNOWN = new Place(null, null, null);
}

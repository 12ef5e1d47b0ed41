-- Replicas are recorded under the canonical form of their location (Location.canonical() in the storage
-- SPI): a bare absolute path as file://..., the scheme in lowercase, gcs:// as gs:// and az:// as abfs://.
-- Before, one place written two ways ('/data/x/' and 'file:///data/x/') made two replicas of one artifact.
create function pg_temp.canonical_location(location text) returns text
    language sql immutable
    as $$
        select case
            when location like '/%' then 'file://' || location
            when strpos(location, '://') = 0 then location
            else case lower(split_part(location, '://', 1))
                     when 'gcs' then 'gs'
                     when 'az' then 'abfs'
                     else lower(split_part(location, '://', 1))
                 end || substr(location, strpos(location, '://'))
        end
    $$;

-- Of the replicas that name one place, the one kept is the one a reader would trust most: available, then
-- the most recently verified, then the most recently updated.
delete from replica
where id in (
    select id
    from (
        select id,
               row_number() over (
                   partition by artifact_id, pg_temp.canonical_location(location)
                   order by state = 'AVAILABLE' desc, verified_at desc nulls last, updated_at desc, id
               ) as rank
        from replica
    ) ranked
    where rank > 1
);

update replica
set location = pg_temp.canonical_location(location)
where location <> pg_temp.canonical_location(location);

-- The function lives as long as the connection, which the application may go on using.
drop function pg_temp.canonical_location(text);

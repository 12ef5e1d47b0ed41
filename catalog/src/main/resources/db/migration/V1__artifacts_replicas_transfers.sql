-- Artifacts: one row per logical dataset, checkpoint or model version.
create table artifact (
    id                        uuid primary key,
    project                   varchar(128)  not null,
    kind                      varchar(16)   not null,
    name                      varchar(256)  not null,
    version                   varchar(256)  not null,
    created_at                timestamptz   not null,
    -- Set by the first verified copy; null until then.
    manifest_digest_algorithm varchar(32),
    manifest_digest           varchar(128),
    file_count                bigint,
    total_bytes               bigint,
    constraint artifact_coordinates_unique unique (project, kind, name, version)
);

-- The files of an artifact, as read and digested by a worker.
create table artifact_file (
    artifact_id      uuid          not null references artifact (id) on delete cascade,
    path             varchar(2048) not null,
    size             bigint        not null,
    digest_algorithm varchar(32)   not null,
    digest           varchar(128)  not null,
    primary key (artifact_id, path)
);

-- Physical copies: one per artifact and location.
create table replica (
    id                 uuid primary key,
    artifact_id        uuid          not null references artifact (id) on delete cascade,
    location           varchar(2048) not null,
    state              varchar(16)   not null,
    digest_algorithm   varchar(32),
    digest             varchar(128),
    verified_at        timestamptz,
    transfer_id        uuid,
    state_reason       text,
    updated_at         timestamptz   not null,
    constraint replica_location_unique unique (artifact_id, location)
);

create table transfer (
    id               uuid primary key,
    artifact_id      uuid          not null references artifact (id) on delete cascade,
    purpose          varchar(16)   not null,
    source           varchar(2048) not null,
    target           varchar(2048) not null,
    state            varchar(16)   not null,
    bytes_done       bigint        not null default 0,
    bytes_total      bigint        not null default 0,
    files_done       bigint        not null default 0,
    files_total      bigint        not null default 0,
    bytes_per_second bigint        not null default 0,
    error_code       varchar(64),
    error_message    text,
    error_retryable  boolean,
    created_at       timestamptz   not null,
    updated_at       timestamptz   not null
);

create index transfer_artifact_index on transfer (artifact_id);

-- Ids of transfer events already applied: the catalog's idempotency record.
create table processed_event (
    event_id     uuid primary key,
    transfer_id  uuid        not null,
    processed_at timestamptz not null
);

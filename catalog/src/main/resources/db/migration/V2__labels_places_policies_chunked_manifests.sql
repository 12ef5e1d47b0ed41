-- Labels to find artifacts by (step, epoch, dataset split, ...).
alter table artifact add column labels jsonb not null default '{}'::jsonb;
create index artifact_listing_index on artifact (project, created_at desc, id desc);
create index artifact_labels_index on artifact using gin (labels jsonb_path_ops);
create index artifact_run_index on artifact (project, kind, name, created_at desc);

-- Where a replica is: the storage profile serving its location and that profile's labels, so that a job
-- can be pointed at the nearest verified copy.
alter table replica add column profile varchar(128);
alter table replica add column region varchar(128);
alter table replica add column cloud varchar(128);
create index replica_state_index on replica (state, verified_at);

-- The replication policy that asked for a transfer, if any: its retention applies to the replica written.
alter table transfer add column policy_id uuid;
create index transfer_target_index on transfer (artifact_id, target);

-- Manifest chunks of a transfer, collected until its SUCCEEDED event says how many entries there were.
create table transfer_file (
    transfer_id      uuid          not null references transfer (id) on delete cascade,
    path             varchar(2048) not null,
    size             bigint        not null,
    digest_algorithm varchar(32)   not null,
    digest           varchar(128)  not null,
    primary key (transfer_id, path)
);

create table replication_policy (
    id           uuid primary key,
    project      varchar(128) not null,
    name         varchar(128) not null,
    -- Comma-separated artifact kinds, such as CHECKPOINT,MODEL.
    kinds        varchar(64)  not null,
    name_pattern varchar(256) not null,
    -- A JSON array of target URI templates.
    targets      jsonb        not null,
    keep_last    integer,
    created_at   timestamptz  not null,
    constraint replication_policy_name_unique unique (project, name)
);

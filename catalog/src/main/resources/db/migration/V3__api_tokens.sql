-- Long-lived API tokens the gateway accepts besides JWTs. Only the SHA-256 of a token is stored (hex of the
-- whole "roam_..." string): the token itself is shown once, when issued, and a copy of this table grants nothing.
create table api_token (
    id           uuid primary key,
    name         varchar(100) not null,
    token_sha256 char(64)     not null,
    -- The grants, a JSON object of project (or *) to role: {"llm": "writer"}.
    projects     jsonb        not null,
    created_by   varchar(255) not null,
    created_at   timestamptz  not null,
    expires_at   timestamptz  not null,
    revoked_at   timestamptz,
    constraint api_token_sha256_unique unique (token_sha256)
);
-- Listing shows the tokens not revoked, newest first.
create index api_token_listing_index on api_token (created_at desc, id desc) where revoked_at is null;

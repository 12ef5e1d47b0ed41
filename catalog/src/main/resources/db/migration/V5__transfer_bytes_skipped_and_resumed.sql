-- What a transfer did not have to send: files already at the target, and what an earlier attempt had stored there.
alter table transfer
    add column bytes_skipped bigint not null default 0,
    add column bytes_resumed bigint not null default 0;

-- KYC Desk head office schema (PostgreSQL 13 or later).
--
-- IT runs this once, as a superuser or as the database's owner with CREATEROLE,
-- in the database the counters will report to:
--
--     kycdesk hq init --print > kycdesk-hq.sql
--     psql -d kycdesk -v ON_ERROR_STOP=1 -f kycdesk-hq.sql
--
-- (or `kycdesk hq init --apply --admin 'host=… dbname=kycdesk user=postgres'`).
-- It is idempotent: running it again after an upgrade adds what is missing and
-- replaces the functions; it never drops data.
--
-- Who may do what
--
--   kyc_counter   group of the counters' logins: one login per counter PC. It has
--                 no privilege on any table. It may only call kyc.ingest (add
--                 events about its own calls), kyc.pull_resolutions (read the
--                 resolutions of its own calls) and kyc.whoami. Both functions are
--                 SECURITY DEFINER and stamp every row with the outlet and counter
--                 registered for the login (session_user), so a counter cannot write,
--                 rewrite or read another counter's rows, whatever it sends.
--   kyc_hq_read   head office, read-only: reports, lists, exports.
--   kyc_hq_write  head office staff who resolve unknown outcomes, import invoices
--                 and set the daily quota (member of kyc_hq_read).
--
-- Why one login per counter stamped by the database, not row-level security:
-- with RLS a counter would need INSERT and UPDATE on the tables, and could then
-- rewrite its own history (turn a billed success into a rejection, delete
-- rows). Through kyc.ingest it can only move a call forward along its own event
-- sequence; it never chooses the outlet or counter its rows are filed under,
-- and one round trip applies a whole batch with its rollups.

CREATE SCHEMA IF NOT EXISTS kyc;
REVOKE ALL ON SCHEMA kyc FROM PUBLIC;

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kyc_counter') THEN
        CREATE ROLE kyc_counter NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kyc_hq_read') THEN
        CREATE ROLE kyc_hq_read NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kyc_hq_write') THEN
        CREATE ROLE kyc_hq_write NOLOGIN IN ROLE kyc_hq_read;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA kyc TO kyc_counter, kyc_hq_read, kyc_hq_write;

-- Settings: the report time zone (the day a call counts in) and the token's
-- daily quota (0: unknown).
CREATE TABLE IF NOT EXISTS kyc.settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);
INSERT INTO kyc.settings (key, value) VALUES
    ('timezone', 'Asia/Jakarta'),
    ('daily_quota', '0'),
    ('schema_version', '1')
ON CONFLICT (key) DO NOTHING;

-- One row per counter login.
CREATE TABLE IF NOT EXISTS kyc.counters (
    id            serial PRIMARY KEY,
    login         name NOT NULL UNIQUE,
    outlet_id     text NOT NULL,
    counter_id    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz,          -- last contact (database clock)
    last_call_at  timestamptz,          -- newest call start it reported (corrected)
    app_version   text NOT NULL DEFAULT '',
    install_id    text NOT NULL DEFAULT '', -- changes when the counter is reinstalled
    clock_skew_ms bigint NOT NULL DEFAULT 0, -- database clock minus the counter's, last batch
    UNIQUE (outlet_id, counter_id)
);

-- One row per call, its latest state. Partitioned by month of the counter's own
-- start time (which every event of a call repeats unchanged, so it can be part
-- of the key); reports use `day`, from the start time corrected by the counter's
-- measured clock skew.
CREATE TABLE IF NOT EXISTS kyc.calls (
    started_at        timestamptz NOT NULL,
    counter_ref       int NOT NULL,
    call_id           uuid NOT NULL,
    seq               int NOT NULL,
    outlet_id         text NOT NULL,
    counter_id        text NOT NULL,
    day               date NOT NULL,
    hq_started_at     timestamptz NOT NULL,
    ended_at          timestamptz,
    product           text NOT NULL,
    cust_ref_no       text NOT NULL,
    os_user           text NOT NULL DEFAULT '',
    profile           text NOT NULL DEFAULT '',
    app_version       text NOT NULL DEFAULT '',
    install_id        text NOT NULL DEFAULT '',
    outcome           text NOT NULL,
    error_kind        text NOT NULL DEFAULT '',
    http_status       int NOT NULL DEFAULT 0,
    attempts          int NOT NULL DEFAULT 0,
    trx_id            text NOT NULL DEFAULT '',
    ref_id            text NOT NULL DEFAULT '',
    live              boolean,
    match_nik         boolean,
    match_full_name   boolean,
    match_birth_date  boolean,
    match_birth_place boolean,
    match_address     boolean,
    face_score        real,
    resolution        text NOT NULL DEFAULT '',  -- '' | billed | not_billed
    resolution_note   text NOT NULL DEFAULT '',
    resolution_source text NOT NULL DEFAULT '',  -- '' | hq | counter
    resolved_by       text NOT NULL DEFAULT '',
    resolved_at       timestamptz,
    skew_ms           bigint NOT NULL DEFAULT 0,
    first_received_at timestamptz NOT NULL,
    received_at       timestamptz NOT NULL,
    PRIMARY KEY (counter_ref, call_id, started_at)
) PARTITION BY RANGE (started_at);

-- Calls whose start lies outside every monthly partition (a clock years off).
CREATE TABLE IF NOT EXISTS kyc.calls_default PARTITION OF kyc.calls DEFAULT;

CREATE INDEX IF NOT EXISTS calls_open_idx ON kyc.calls (day)
    WHERE outcome IN ('unknown', 'pending') AND resolution = '';
CREATE INDEX IF NOT EXISTS calls_trx_idx ON kyc.calls (trx_id) WHERE trx_id <> '';
CREATE INDEX IF NOT EXISTS calls_day_idx ON kyc.calls (day, outlet_id, counter_id);
CREATE INDEX IF NOT EXISTS calls_ref_idx ON kyc.calls (cust_ref_no);

-- The rollups every report reads: per day, outlet, counter and product
-- (kyc.daily_counter) and per day, outlet and product (kyc.daily_outlet), one
-- column per count. kyc.ingest and kyc.resolve maintain both in the same
-- transaction as the calls they count; kyc.rebuild_daily recomputes a range.
-- "open" counts unknown or pending calls nobody has resolved yet.
CREATE TABLE IF NOT EXISTS kyc.daily_counter (
    day          date NOT NULL,
    outlet_id    text NOT NULL,
    counter_id   text NOT NULL,
    product      text NOT NULL,
    total        bigint NOT NULL DEFAULT 0,
    success      bigint NOT NULL DEFAULT 0,
    rejected     bigint NOT NULL DEFAULT 0,
    failed       bigint NOT NULL DEFAULT 0,
    unknown      bigint NOT NULL DEFAULT 0,
    pending      bigint NOT NULL DEFAULT 0,
    open         bigint NOT NULL DEFAULT 0,
    res_billed   bigint NOT NULL DEFAULT 0,
    res_unbilled bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (day, outlet_id, counter_id, product)
);
CREATE TABLE IF NOT EXISTS kyc.daily_outlet (
    day          date NOT NULL,
    outlet_id    text NOT NULL,
    product      text NOT NULL,
    total        bigint NOT NULL DEFAULT 0,
    success      bigint NOT NULL DEFAULT 0,
    rejected     bigint NOT NULL DEFAULT 0,
    failed       bigint NOT NULL DEFAULT 0,
    unknown      bigint NOT NULL DEFAULT 0,
    pending      bigint NOT NULL DEFAULT 0,
    open         bigint NOT NULL DEFAULT 0,
    res_billed   bigint NOT NULL DEFAULT 0,
    res_unbilled bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (day, outlet_id, product)
);

-- A call's contribution to the rollup columns (1 or 0 each), so a change of
-- state is its new vector minus its old one.
CREATE OR REPLACE FUNCTION kyc.counts(outcome text, resolution text)
RETURNS int[] LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY[1,
        (outcome = 'success')::int, (outcome = 'rejected')::int, (outcome = 'failed')::int,
        (outcome = 'unknown')::int, (outcome = 'pending')::int,
        (outcome IN ('unknown', 'pending') AND resolution = '')::int,
        (resolution = 'billed')::int, (resolution = 'not_billed')::int];
$$;

-- Adds the deltas (rows of day, outlet, counter, product, count vector) to
-- both rollups, in key order (concurrent batches lock rows in the same order).
CREATE OR REPLACE FUNCTION kyc.add_counts(deltas jsonb)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = kyc, pg_temp AS $$
BEGIN
    WITH d AS (
        SELECT (x->>0)::date AS day, x->>1 AS outlet_id, x->>2 AS counter_id, x->>3 AS product,
               (x->4->>0)::bigint AS c0, (x->4->>1)::bigint AS c1, (x->4->>2)::bigint AS c2, (x->4->>3)::bigint AS c3,
               (x->4->>4)::bigint AS c4, (x->4->>5)::bigint AS c5, (x->4->>6)::bigint AS c6, (x->4->>7)::bigint AS c7,
               (x->4->>8)::bigint AS c8
        FROM jsonb_array_elements(deltas) x
    ), byc AS (
        SELECT day, outlet_id, counter_id, product, sum(c0) c0, sum(c1) c1, sum(c2) c2, sum(c3) c3, sum(c4) c4,
               sum(c5) c5, sum(c6) c6, sum(c7) c7, sum(c8) c8
        FROM d GROUP BY 1, 2, 3, 4
    ), upc AS (
        INSERT INTO kyc.daily_counter AS t (day, outlet_id, counter_id, product, total, success, rejected, failed,
            unknown, pending, open, res_billed, res_unbilled)
        SELECT * FROM byc ORDER BY day, outlet_id, counter_id, product
        ON CONFLICT (day, outlet_id, counter_id, product) DO UPDATE SET
            total = t.total + EXCLUDED.total, success = t.success + EXCLUDED.success,
            rejected = t.rejected + EXCLUDED.rejected, failed = t.failed + EXCLUDED.failed,
            unknown = t.unknown + EXCLUDED.unknown, pending = t.pending + EXCLUDED.pending,
            open = t.open + EXCLUDED.open, res_billed = t.res_billed + EXCLUDED.res_billed,
            res_unbilled = t.res_unbilled + EXCLUDED.res_unbilled
        RETURNING 1
    )
    INSERT INTO kyc.daily_outlet AS t (day, outlet_id, product, total, success, rejected, failed,
        unknown, pending, open, res_billed, res_unbilled)
    SELECT day, outlet_id, product, sum(c0), sum(c1), sum(c2), sum(c3), sum(c4), sum(c5), sum(c6), sum(c7), sum(c8)
    FROM byc GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (day, outlet_id, product) DO UPDATE SET
        total = t.total + EXCLUDED.total, success = t.success + EXCLUDED.success,
        rejected = t.rejected + EXCLUDED.rejected, failed = t.failed + EXCLUDED.failed,
        unknown = t.unknown + EXCLUDED.unknown, pending = t.pending + EXCLUDED.pending,
        open = t.open + EXCLUDED.open, res_billed = t.res_billed + EXCLUDED.res_billed,
        res_unbilled = t.res_unbilled + EXCLUDED.res_unbilled;
END
$$;

-- Every manual resolution, in order; counters pull theirs by id.
CREATE TABLE IF NOT EXISTS kyc.resolutions (
    id          bigserial PRIMARY KEY,
    counter_ref int NOT NULL,
    call_id     uuid NOT NULL,
    started_at  timestamptz NOT NULL,
    resolution  text NOT NULL,
    note        text NOT NULL,
    resolved_by text NOT NULL,
    resolved_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS resolutions_counter_idx ON kyc.resolutions (counter_ref, id);

-- The vendor's billing exports, as imported.
CREATE TABLE IF NOT EXISTS kyc.invoice_imports (
    id          serial PRIMARY KEY,
    name        text NOT NULL,
    imported_at timestamptz NOT NULL DEFAULT now(),
    imported_by text NOT NULL DEFAULT session_user,
    first_day   date,
    last_day    date,
    lines       int NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS kyc.invoice_lines (
    import_id int NOT NULL REFERENCES kyc.invoice_imports (id) ON DELETE CASCADE,
    line      int NOT NULL,
    trx_id    text NOT NULL,
    billed_on date,
    product   text NOT NULL DEFAULT '',
    PRIMARY KEY (import_id, line)
);
CREATE INDEX IF NOT EXISTS invoice_lines_trx_idx ON kyc.invoice_lines (trx_id);

-- Monthly partitions: one per month from `first` for `months` months. A month
-- whose rows already sit in the default partition is moved into its own.
CREATE OR REPLACE FUNCTION kyc.ensure_partitions(first date, months int)
RETURNS int LANGUAGE plpgsql SECURITY DEFINER SET search_path = kyc, pg_temp AS $$
DECLARE
    lo date;
    hi date;
    part text;
    made int := 0;
BEGIN
    FOR i IN 0 .. months - 1 LOOP
        lo := date_trunc('month', first)::date + make_interval(months => i);
        hi := lo + interval '1 month';
        part := 'calls_' || to_char(lo, 'YYYY_MM');
        CONTINUE WHEN EXISTS (SELECT FROM pg_class WHERE relname = part AND relnamespace = 'kyc'::regnamespace);
        IF EXISTS (SELECT FROM kyc.calls_default
                   WHERE started_at >= lo::timestamp AT TIME ZONE 'UTC' AND started_at < hi::timestamp AT TIME ZONE 'UTC') THEN
            EXECUTE format('CREATE TABLE kyc.%I (LIKE kyc.calls INCLUDING DEFAULTS)', part);
            EXECUTE format('WITH moved AS (DELETE FROM kyc.calls_default WHERE started_at >= %L AND started_at < %L RETURNING *)
                            INSERT INTO kyc.%I SELECT * FROM moved',
                           lo::timestamp AT TIME ZONE 'UTC', hi::timestamp AT TIME ZONE 'UTC', part);
            EXECUTE format('ALTER TABLE kyc.calls ATTACH PARTITION kyc.%I FOR VALUES FROM (%L) TO (%L)',
                           part, lo::timestamp AT TIME ZONE 'UTC', hi::timestamp AT TIME ZONE 'UTC');
        ELSE
            EXECUTE format('CREATE TABLE kyc.%I PARTITION OF kyc.calls FOR VALUES FROM (%L) TO (%L)',
                           part, lo::timestamp AT TIME ZONE 'UTC', hi::timestamp AT TIME ZONE 'UTC');
        END IF;
        made := made + 1;
    END LOOP;
    RETURN made;
END
$$;

-- Daily upkeep (cron `kycdesk hq maintain`, or pg_cron): next months'
-- partitions, and a partition for any month whose calls sit in the default
-- one (late calls from a counter that was offline for months, a clock far off).
CREATE OR REPLACE FUNCTION kyc.maintain()
RETURNS int LANGUAGE plpgsql SECURITY DEFINER SET search_path = kyc, pg_temp AS $$
DECLARE
    made int;
    m date;
BEGIN
    made := kyc.ensure_partitions((now() - interval '1 month')::date, 4);
    FOR m IN SELECT DISTINCT date_trunc('month', started_at AT TIME ZONE 'UTC')::date FROM kyc.calls_default
             WHERE started_at BETWEEN now() - interval '10 years' AND now() + interval '10 years'
    LOOP
        made := made + kyc.ensure_partitions(m, 1);
    END LOOP;
    RETURN made;
END
$$;

-- Few partitions to start with: every partition a batch might touch costs
-- planning time on each new connection. Last month to two months ahead;
-- kyc.maintain adds the rest.
SELECT kyc.ensure_partitions((now() - interval '1 month')::date, 4);

-- The counter behind this connection.
CREATE OR REPLACE FUNCTION kyc.whoami()
RETURNS TABLE (outlet_id text, counter_id text, login name)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = kyc, pg_temp AS $$
    SELECT c.outlet_id, c.counter_id, c.login FROM kyc.counters c WHERE c.login = session_user;
$$;

CREATE OR REPLACE FUNCTION kyc.me()
RETURNS kyc.counters LANGUAGE plpgsql SECURITY DEFINER SET search_path = kyc, pg_temp AS $$
DECLARE
    me kyc.counters;
BEGIN
    SELECT * INTO me FROM kyc.counters WHERE login = session_user;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'KY001',
            MESSAGE = format('login %s is not registered as a counter', session_user),
            HINT = 'IT registers each counter once: kycdesk hq add-counter';
    END IF;
    RETURN me;
END
$$;

-- ingest applies a batch of call events from the calling counter.
--
-- Every event carries the call's whole non-personal state after one change,
-- with `seq` counting the changes of that call (1 pending, 2 final, 3… retries,
-- resolutions). Per call only the highest seq counts: an event whose seq is not
-- above the stored one (a redelivery, a late or reordered event) changes
-- nothing, so delivering a batch twice is a no-op and order across batches does
-- not matter. Events that break the contract (unknown product or outcome, no
-- call id) are counted as rejected and skipped rather than failing the batch.
--
-- sent_at is the counter's clock when it sent the batch: the difference to the
-- database's clock, when over a minute, corrects the start time reports use.
CREATE OR REPLACE FUNCTION kyc.ingest(batch jsonb, sent_at timestamptz, claimed_outlet text, claimed_counter text)
RETURNS TABLE (applied int, ignored int, rejected int, skew_ms bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = kyc, pg_temp AS $$
DECLARE
    me kyc.counters;
    tz text;
    skew interval;
    n_total int;
    n_valid int;
    n_applied int;
    lo timestamptz;
    hi timestamptz;
    deltas jsonb;
BEGIN
    me := kyc.me();
    IF claimed_outlet IS DISTINCT FROM me.outlet_id OR claimed_counter IS DISTINCT FROM me.counter_id THEN
        RAISE EXCEPTION USING ERRCODE = 'KY002',
            MESSAGE = format('this PC is set up as outlet %s counter %s, but login %s is registered for outlet %s counter %s',
                             claimed_outlet, claimed_counter, session_user, me.outlet_id, me.counter_id);
    END IF;
    -- One batch per counter at a time: the rollup deltas below read the old
    -- state of the calls they replace (kyc.resolve takes the same lock).
    PERFORM pg_advisory_xact_lock(hashtext('kyc.counter'), me.id);

    skew := date_trunc('second', clock_timestamp() - sent_at);
    IF abs(extract(epoch FROM skew)) < 60 THEN
        skew := interval '0';
    END IF;
    SELECT value INTO tz FROM kyc.settings WHERE key = 'timezone';

    n_total := coalesce(jsonb_array_length(batch), 0);
    -- The batch's time span, so that only the partitions it can touch are
    -- searched for the calls' earlier state.
    SELECT min(v), max(v) INTO lo, hi FROM (
        SELECT (e->>'started_at')::timestamptz AS v FROM jsonb_array_elements(coalesce(batch, '[]'::jsonb)) e
        WHERE jsonb_typeof(e->'started_at') = 'string') t;
    WITH raw AS (
        SELECT * FROM jsonb_to_recordset(coalesce(batch, '[]'::jsonb)) AS e(
            call_id uuid, seq int, started_at timestamptz, ended_at timestamptz,
            product text, cust_ref_no text, os_user text, profile text, app_version text, install_id text,
            outcome text, error_kind text, http_status int, attempts int, trx_id text, ref_id text,
            live boolean, match_nik boolean, match_full_name boolean, match_birth_date boolean,
            match_birth_place boolean, match_address boolean, face_score real,
            resolution text, resolved_at timestamptz)
    ), valid AS (
        SELECT * FROM raw
        WHERE call_id IS NOT NULL AND seq >= 1 AND started_at IS NOT NULL
          AND product IN ('passive-liveness', 'id-recognize', 'id-validation')
          AND outcome IN ('pending', 'success', 'rejected', 'failed', 'unknown')
          AND coalesce(resolution, '') IN ('', 'billed', 'not_billed')
          AND length(coalesce(cust_ref_no, '')) BETWEEN 1 AND 128
          AND length(coalesce(os_user, '')) <= 128 AND length(coalesce(profile, '')) <= 128
          AND length(coalesce(trx_id, '')) <= 64 AND length(coalesce(ref_id, '')) <= 64
          AND length(coalesce(error_kind, '')) <= 64 AND length(coalesce(app_version, '')) <= 64
          AND length(coalesce(install_id, '')) <= 64
    ), ev AS (
        SELECT DISTINCT ON (call_id) * FROM valid ORDER BY call_id, seq DESC
    ), old AS (
        SELECT c.call_id, c.seq, c.day, c.product, c.outcome, c.resolution
        FROM kyc.calls c JOIN ev ON c.counter_ref = me.id AND c.call_id = ev.call_id AND c.started_at = ev.started_at
        WHERE c.started_at BETWEEN lo AND hi
    ), up AS (
        INSERT INTO kyc.calls AS c (
            started_at, counter_ref, call_id, seq, outlet_id, counter_id, day, hq_started_at, ended_at,
            product, cust_ref_no, os_user, profile, app_version, install_id, outcome, error_kind,
            http_status, attempts, trx_id, ref_id, live, match_nik, match_full_name, match_birth_date,
            match_birth_place, match_address, face_score, resolution, resolution_source, resolved_by, resolved_at,
            skew_ms, first_received_at, received_at)
        SELECT ev.started_at, me.id, ev.call_id, ev.seq, me.outlet_id, me.counter_id,
               ((ev.started_at + skew) AT TIME ZONE tz)::date, ev.started_at + skew, ev.ended_at + skew,
               ev.product, ev.cust_ref_no, coalesce(ev.os_user, ''), coalesce(ev.profile, ''),
               coalesce(ev.app_version, ''), coalesce(ev.install_id, ''), ev.outcome, coalesce(ev.error_kind, ''),
               coalesce(ev.http_status, 0), coalesce(ev.attempts, 0), coalesce(ev.trx_id, ''), coalesce(ev.ref_id, ''),
               ev.live, ev.match_nik, ev.match_full_name, ev.match_birth_date, ev.match_birth_place, ev.match_address,
               ev.face_score, coalesce(ev.resolution, ''),
               CASE WHEN coalesce(ev.resolution, '') <> '' THEN 'counter' ELSE '' END,
               CASE WHEN coalesce(ev.resolution, '') <> '' THEN 'counter ' || me.counter_id ELSE '' END,
               ev.resolved_at + skew,
               (extract(epoch FROM skew) * 1000)::bigint, now(), now()
        FROM ev LEFT JOIN old USING (call_id)
        WHERE old.call_id IS NULL OR old.seq < ev.seq
        ORDER BY ev.call_id
        ON CONFLICT (counter_ref, call_id, started_at) DO UPDATE SET
            seq = EXCLUDED.seq, ended_at = EXCLUDED.ended_at, os_user = EXCLUDED.os_user,
            profile = EXCLUDED.profile, app_version = EXCLUDED.app_version, install_id = EXCLUDED.install_id,
            outcome = EXCLUDED.outcome, error_kind = EXCLUDED.error_kind, http_status = EXCLUDED.http_status,
            attempts = EXCLUDED.attempts, trx_id = EXCLUDED.trx_id, ref_id = EXCLUDED.ref_id,
            live = EXCLUDED.live, match_nik = EXCLUDED.match_nik, match_full_name = EXCLUDED.match_full_name,
            match_birth_date = EXCLUDED.match_birth_date, match_birth_place = EXCLUDED.match_birth_place,
            match_address = EXCLUDED.match_address, face_score = EXCLUDED.face_score,
            -- head office's resolution wins over the counter's; a counter's
            -- event without one leaves the stored one alone.
            resolution = CASE WHEN c.resolution_source = 'hq' OR EXCLUDED.resolution = '' THEN c.resolution ELSE EXCLUDED.resolution END,
            resolution_source = CASE WHEN c.resolution_source = 'hq' OR EXCLUDED.resolution = '' THEN c.resolution_source ELSE 'counter' END,
            resolved_by = CASE WHEN c.resolution_source = 'hq' OR EXCLUDED.resolution = '' THEN c.resolved_by ELSE EXCLUDED.resolved_by END,
            resolved_at = CASE WHEN c.resolution_source = 'hq' OR EXCLUDED.resolution = '' THEN c.resolved_at ELSE EXCLUDED.resolved_at END,
            received_at = now()
        WHERE c.seq < EXCLUDED.seq
        RETURNING c.call_id, c.day, c.product, c.outcome, c.resolution
    ), delta AS (
        SELECT up.day, up.product, kyc.counts(up.outcome, up.resolution) AS c FROM up
        UNION ALL
        SELECT o.day, o.product, (SELECT array_agg(-v ORDER BY i) FROM unnest(kyc.counts(o.outcome, o.resolution)) WITH ORDINALITY u(v, i))
        FROM old o JOIN up USING (call_id)
    )
    SELECT (SELECT count(*) FROM valid), (SELECT count(*) FROM up),
           (SELECT coalesce(jsonb_agg(jsonb_build_array(day, me.outlet_id, me.counter_id, product, to_jsonb(c))), '[]'::jsonb) FROM delta)
    INTO n_valid, n_applied, deltas;
    PERFORM kyc.add_counts(deltas);

    UPDATE kyc.counters c SET
        last_seen_at = now(),
        last_call_at = greatest(c.last_call_at,
            (SELECT max((e->>'started_at')::timestamptz) + skew FROM jsonb_array_elements(coalesce(batch, '[]'::jsonb)) e
             WHERE e ? 'started_at' AND jsonb_typeof(e->'started_at') = 'string')),
        app_version = coalesce((SELECT e->>'app_version' FROM jsonb_array_elements(coalesce(batch, '[]'::jsonb)) e
                                WHERE e ? 'app_version' LIMIT 1), c.app_version),
        install_id = coalesce((SELECT e->>'install_id' FROM jsonb_array_elements(coalesce(batch, '[]'::jsonb)) e
                               WHERE e ? 'install_id' LIMIT 1), c.install_id),
        clock_skew_ms = (extract(epoch FROM clock_timestamp() - sent_at) * 1000)::bigint
    WHERE c.id = me.id;

    RETURN QUERY SELECT n_applied, n_valid - n_applied, n_total - n_valid,
                        (extract(epoch FROM skew) * 1000)::bigint;
END
$$;

-- The resolutions of the calling counter's calls after `after_id`, oldest
-- first. Also the counter's heartbeat: it proves the counter is alive even on a
-- day without calls.
CREATE OR REPLACE FUNCTION kyc.pull_resolutions(after_id bigint, max_rows int)
RETURNS TABLE (id bigint, call_id uuid, resolution text, note text, resolved_by text, resolved_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = kyc, pg_temp AS $$
DECLARE
    me kyc.counters;
BEGIN
    me := kyc.me();
    UPDATE kyc.counters c SET last_seen_at = now()
    WHERE c.id = me.id AND (c.last_seen_at IS NULL OR c.last_seen_at < now() - interval '1 minute');
    RETURN QUERY
        SELECT r.id, r.call_id, r.resolution, r.note, r.resolved_by, r.resolved_at
        FROM kyc.resolutions r
        WHERE r.counter_ref = me.id AND r.id > after_id
        ORDER BY r.id
        LIMIT greatest(1, least(max_rows, 10000));
END
$$;

-- Head office marks a call with an unknown outcome as billed or not billed.
-- The counter learns it through kyc.pull_resolutions.
CREATE OR REPLACE FUNCTION kyc.resolve(p_call uuid, p_started timestamptz, p_resolution text, p_note text)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = kyc, pg_temp AS $$
DECLARE
    c kyc.calls;
    rid bigint;
BEGIN
    IF p_resolution NOT IN ('billed', 'not_billed') THEN
        RAISE EXCEPTION USING ERRCODE = 'KY003', MESSAGE = format('resolution must be billed or not_billed, got %s', p_resolution);
    END IF;
    IF length(coalesce(p_note, '')) > 500 THEN
        RAISE EXCEPTION USING ERRCODE = 'KY003', MESSAGE = 'note is longer than 500 characters';
    END IF;
    SELECT * INTO c FROM kyc.calls WHERE call_id = p_call AND started_at = p_started;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'KY004', MESSAGE = format('no call %s', p_call);
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('kyc.counter'), c.counter_ref);
    SELECT * INTO c FROM kyc.calls WHERE call_id = p_call AND started_at = p_started AND counter_ref = c.counter_ref FOR UPDATE;
    IF c.outcome NOT IN ('unknown', 'pending') THEN
        RAISE EXCEPTION USING ERRCODE = 'KY005', MESSAGE = format('call %s is %s, not unknown: only unknown outcomes are resolved', p_call, c.outcome);
    END IF;
    UPDATE kyc.calls SET resolution = p_resolution, resolution_note = coalesce(p_note, ''),
        resolution_source = 'hq', resolved_by = session_user, resolved_at = now()
    WHERE counter_ref = c.counter_ref AND call_id = p_call AND started_at = p_started;
    IF c.resolution <> p_resolution THEN
        PERFORM kyc.add_counts(jsonb_build_array(
            jsonb_build_array(c.day, c.outlet_id, c.counter_id, c.product,
                (SELECT to_jsonb(array_agg(-v ORDER BY i)) FROM unnest(kyc.counts(c.outcome, c.resolution)) WITH ORDINALITY u(v, i))),
            jsonb_build_array(c.day, c.outlet_id, c.counter_id, c.product, to_jsonb(kyc.counts(c.outcome, p_resolution)))));
    END IF;
    INSERT INTO kyc.resolutions (counter_ref, call_id, started_at, resolution, note, resolved_by)
    VALUES (c.counter_ref, p_call, p_started, p_resolution, coalesce(p_note, ''), session_user)
    RETURNING id INTO rid;
    RETURN rid;
END
$$;

-- Recomputes the rollups for [first, last] from the calls (after a bulk
-- load, or to check them).
CREATE OR REPLACE FUNCTION kyc.rebuild_daily(first date, last date)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = kyc, pg_temp AS $$
DECLARE
    n bigint;
BEGIN
    LOCK TABLE kyc.daily_counter, kyc.daily_outlet IN EXCLUSIVE MODE;
    DELETE FROM kyc.daily_counter WHERE day BETWEEN first AND last;
    DELETE FROM kyc.daily_outlet WHERE day BETWEEN first AND last;
    INSERT INTO kyc.daily_counter
    SELECT day, outlet_id, counter_id, product, count(*),
        count(*) FILTER (WHERE outcome = 'success'), count(*) FILTER (WHERE outcome = 'rejected'),
        count(*) FILTER (WHERE outcome = 'failed'), count(*) FILTER (WHERE outcome = 'unknown'),
        count(*) FILTER (WHERE outcome = 'pending'),
        count(*) FILTER (WHERE outcome IN ('unknown', 'pending') AND resolution = ''),
        count(*) FILTER (WHERE resolution = 'billed'), count(*) FILTER (WHERE resolution = 'not_billed')
    FROM kyc.calls WHERE day BETWEEN first AND last
    GROUP BY 1, 2, 3, 4;
    GET DIAGNOSTICS n = ROW_COUNT;
    INSERT INTO kyc.daily_outlet
    SELECT day, outlet_id, product, sum(total), sum(success), sum(rejected), sum(failed), sum(unknown), sum(pending),
        sum(open), sum(res_billed), sum(res_unbilled)
    FROM kyc.daily_counter WHERE day BETWEEN first AND last
    GROUP BY 1, 2, 3;
    RETURN n;
END
$$;

-- Privileges. Functions are executable by PUBLIC unless revoked.
REVOKE ALL ON ALL TABLES IN SCHEMA kyc FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA kyc FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kyc.ingest(jsonb, timestamptz, text, text), kyc.pull_resolutions(bigint, int),
    kyc.whoami() TO kyc_counter;
GRANT SELECT ON kyc.calls, kyc.daily_counter, kyc.daily_outlet, kyc.counters, kyc.resolutions, kyc.settings,
    kyc.invoice_imports, kyc.invoice_lines TO kyc_hq_read;
GRANT EXECUTE ON FUNCTION kyc.resolve(uuid, timestamptz, text, text), kyc.maintain() TO kyc_hq_write;
GRANT INSERT, DELETE ON kyc.invoice_imports, kyc.invoice_lines TO kyc_hq_write;
GRANT USAGE ON SEQUENCE kyc.invoice_imports_id_seq TO kyc_hq_write;
GRANT UPDATE (value) ON kyc.settings TO kyc_hq_write;

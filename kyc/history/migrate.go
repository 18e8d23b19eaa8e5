package history

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"kycdesk/kyc/hqsync/outbox"
)

// migrations are applied in order, each in its own IMMEDIATE transaction
// together with its row in schema_migrations, so a process killed mid-way
// leaves the previous version intact (the WAL rolls the partial one back)
// and the next Open simply applies it again. Never edit a released
// migration; append a new one.
var migrations = []string{
	1: `
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

CREATE TABLE key_gens (
	gen         INTEGER PRIMARY KEY,
	data_check  BLOB NOT NULL,
	index_check BLOB NOT NULL,
	created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE calls (
	id            INTEGER PRIMARY KEY,
	created_at    INTEGER NOT NULL,             -- unix ms
	completed_at  INTEGER,                      -- unix ms; NULL while pending or if interrupted
	product       TEXT NOT NULL,
	cust_ref_no   TEXT NOT NULL,
	profile       TEXT NOT NULL,
	outcome       TEXT NOT NULL,                -- pending, success, rejected, failed, unknown
	error_kind    TEXT NOT NULL DEFAULT '',
	http_status   INTEGER NOT NULL DEFAULT 0,
	attempts      INTEGER NOT NULL DEFAULT 0,
	trx_id        TEXT NOT NULL DEFAULT '',
	ref_id        TEXT NOT NULL DEFAULT '',
	gateway_ts    INTEGER NOT NULL DEFAULT 0,
	duration_ms   INTEGER NOT NULL DEFAULT 0,
	nik_masked    TEXT NOT NULL DEFAULT '',
	note          TEXT NOT NULL DEFAULT '',
	owner         TEXT NOT NULL DEFAULT '',     -- lock id of the process that sent it (see owner.go)
	key_gen       INTEGER NOT NULL DEFAULT 0,   -- 0: nothing sealed
	nik_hash      BLOB,                         -- HMAC-SHA-256 blind index
	nik_enc       BLOB,
	input_enc     BLOB,
	result_enc    BLOB,
	message_enc   BLOB
) STRICT;

CREATE INDEX calls_created ON calls (created_at, id);
CREATE INDEX calls_ref     ON calls (cust_ref_no);
CREATE INDEX calls_trx     ON calls (trx_id) WHERE trx_id <> '';
CREATE INDEX calls_nik     ON calls (nik_hash) WHERE nik_hash IS NOT NULL;
CREATE INDEX calls_pending ON calls (owner) WHERE outcome = 'pending';

CREATE TABLE images (
	call_id    INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
	kind       TEXT NOT NULL,
	key_gen    INTEGER NOT NULL,
	data_enc   BLOB NOT NULL,
	expires_at INTEGER NOT NULL,
	PRIMARY KEY (call_id, kind)
) STRICT;
CREATE INDEX images_expiry ON images (expires_at);
`,
	// 2: row ids are never reused (AUTOINCREMENT: an erase or a purge of the newest
	// rows used to free their ids for the next call, and a value sealed for the old
	// row would have opened in the new one); every new row gets a random uid that its
	// sealed values are bound to; each call records the customer's consent. SQLite
	// cannot add AUTOINCREMENT to a table, so calls is rebuilt; images (whose rows
	// would go with a dropped calls table through ON DELETE CASCADE) is parked in a
	// plain table meanwhile. Copying rows with their ids sets sqlite_sequence to the
	// highest id in use.
	2: `
CREATE TABLE images_parked AS SELECT * FROM images;
DROP TABLE images;

CREATE TABLE calls_v2 (
	id               INTEGER PRIMARY KEY AUTOINCREMENT,
	created_at       INTEGER NOT NULL,
	completed_at     INTEGER,
	product          TEXT NOT NULL,
	cust_ref_no      TEXT NOT NULL,
	profile          TEXT NOT NULL,
	outcome          TEXT NOT NULL,
	error_kind       TEXT NOT NULL DEFAULT '',
	http_status      INTEGER NOT NULL DEFAULT 0,
	attempts         INTEGER NOT NULL DEFAULT 0,
	trx_id           TEXT NOT NULL DEFAULT '',
	ref_id           TEXT NOT NULL DEFAULT '',
	gateway_ts       INTEGER NOT NULL DEFAULT 0,
	duration_ms      INTEGER NOT NULL DEFAULT 0,
	nik_masked       TEXT NOT NULL DEFAULT '',
	note             TEXT NOT NULL DEFAULT '',
	owner            TEXT NOT NULL DEFAULT '',
	key_gen          INTEGER NOT NULL DEFAULT 0,
	nik_hash         BLOB,
	nik_enc          BLOB,
	input_enc        BLOB,
	result_enc       BLOB,
	message_enc      BLOB,
	row_uid          BLOB,                        -- random; sealed values are bound to it (NULL: rows from version 1, bound to id)
	consent_at       INTEGER NOT NULL DEFAULT 0,  -- unix ms the clerk confirmed the customer's consent; 0: none recorded
	consent_version  INTEGER NOT NULL DEFAULT 0,  -- the consent text's version (settings)
	consent_text_sha TEXT NOT NULL DEFAULT '',    -- SHA-256 of the exact text (consent_texts)
	consent_user     TEXT NOT NULL DEFAULT ''     -- the OS user who confirmed it
) STRICT;

INSERT INTO calls_v2 (id, created_at, completed_at, product, cust_ref_no, profile, outcome, error_kind, http_status,
	attempts, trx_id, ref_id, gateway_ts, duration_ms, nik_masked, note, owner, key_gen, nik_hash, nik_enc, input_enc,
	result_enc, message_enc)
SELECT id, created_at, completed_at, product, cust_ref_no, profile, outcome, error_kind, http_status,
	attempts, trx_id, ref_id, gateway_ts, duration_ms, nik_masked, note, owner, key_gen, nik_hash, nik_enc, input_enc,
	result_enc, message_enc FROM calls;
DROP TABLE calls;
ALTER TABLE calls_v2 RENAME TO calls;

CREATE INDEX calls_created ON calls (created_at, id);
CREATE INDEX calls_ref     ON calls (cust_ref_no);
CREATE INDEX calls_trx     ON calls (trx_id) WHERE trx_id <> '';
CREATE INDEX calls_nik     ON calls (nik_hash) WHERE nik_hash IS NOT NULL;
CREATE INDEX calls_pending ON calls (owner) WHERE outcome = 'pending';

CREATE TABLE images (
	call_id    INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
	kind       TEXT NOT NULL,
	key_gen    INTEGER NOT NULL,
	data_enc   BLOB NOT NULL,
	expires_at INTEGER NOT NULL,
	PRIMARY KEY (call_id, kind)
) STRICT;
INSERT INTO images (call_id, kind, key_gen, data_enc, expires_at)
	SELECT call_id, kind, key_gen, data_enc, expires_at FROM images_parked;
DROP TABLE images_parked;
CREATE INDEX images_expiry ON images (expires_at);

-- The exact consent texts the calls refer to (by SHA-256), so a record's consent
-- can be read back word for word however often the merchant edits the text.
CREATE TABLE consent_texts (
	sha           TEXT PRIMARY KEY,
	version       INTEGER NOT NULL,
	text          TEXT NOT NULL,
	first_used_at INTEGER NOT NULL
) STRICT;
`,
	// 3: head office. The outbox (kyc/hqsync/outbox: its tables are part of this
	// migration, so its Schema is never edited) receives every state change of a call
	// whose profile reports to head office, in the transaction that records the change;
	// hq_seq counts those changes (0: the call is not reported). The OS user and the
	// app's version are recorded with each call (head office's figures name them); a
	// call with an unknown outcome can be resolved as billed or not billed, at head
	// office (pulled back by the sender) or at the counter. The row's uid is the call's
	// id at head office, so it is indexed for the resolutions coming back.
	3: outbox.Schema + `
ALTER TABLE calls ADD COLUMN hq_seq            INTEGER NOT NULL DEFAULT 0;
ALTER TABLE calls ADD COLUMN os_user           TEXT NOT NULL DEFAULT '';
ALTER TABLE calls ADD COLUMN app_version       TEXT NOT NULL DEFAULT '';
ALTER TABLE calls ADD COLUMN resolution        TEXT NOT NULL DEFAULT '';  -- '' | billed | not_billed
ALTER TABLE calls ADD COLUMN resolution_note   TEXT NOT NULL DEFAULT '';
ALTER TABLE calls ADD COLUMN resolution_source TEXT NOT NULL DEFAULT '';  -- '' | head_office | counter
ALTER TABLE calls ADD COLUMN resolved_by       TEXT NOT NULL DEFAULT '';
ALTER TABLE calls ADD COLUMN resolved_at       INTEGER NOT NULL DEFAULT 0; -- unix ms
CREATE INDEX calls_uid ON calls (row_uid) WHERE row_uid IS NOT NULL;
`,
}

// SchemaVersion is the schema version this code writes.
func SchemaVersion() int { return len(migrations) - 1 }

// migrationHook lets the crash test stop the process inside a migration.
var migrationHook func(version int)

func migrate(ctx context.Context, db *sql.DB, now func() time.Time) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at INTEGER NOT NULL) STRICT`); err != nil {
		return fmt.Errorf("history: migrations table: %w", err)
	}
	for v := 1; v < len(migrations); v++ {
		if err := applyMigration(ctx, db, v, now); err != nil {
			return err
		}
	}
	var newest int
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&newest); err != nil {
		return err
	}
	if newest > SchemaVersion() {
		return fmt.Errorf("%w: database version %d, this program knows %d", ErrNewerSchema, newest, SchemaVersion())
	}
	return nil
}

func applyMigration(ctx context.Context, db *sql.DB, v int, now func() time.Time) error {
	tx, err := db.BeginTx(ctx, nil) // IMMEDIATE (_txlock): one migrator at a time
	if err != nil {
		return fmt.Errorf("history: migration %d: %w", v, err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	var done int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, v).Scan(&done); err != nil {
		return err
	}
	if done > 0 {
		return nil // applied, possibly by another process that got here first
	}
	if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
		return fmt.Errorf("history: migration %d: %w", v, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, v, now().UnixMilli()); err != nil {
		return err
	}
	if migrationHook != nil {
		migrationHook(v)
	}
	return tx.Commit()
}

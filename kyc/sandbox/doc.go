// Package sandbox is an offline gateway that speaks the WideKYC contract
// (see spec/widekyc-api.md): the same paths, headers, envelopes and quirks,
// backed by a registry of invented specimen people. The GUI's built-in
// "Sandbox" profile runs it in-process on a loopback port (StartLoopback);
// `kycdesk sandbox [--addr 127.0.0.1:8787]` runs it standalone (Serve); the
// client's and the CLI's tests mount it with httptest (New). It is a
// development, demonstration and training tool, never a production gateway.
//
// # Contract
//
// POST /api/passive-liveness, /api/id-recognize and /api/id-validation, with
// headers `token` and `Content-Type: application/json`. Any other path is
// 404; another method on these paths is 405 (with Allow: POST). Answers are
// the documented envelopes: {"statusCode":"SUCCESSFUL","content":{"result":
// …}} or {"statusCode":"ERROR","responseStatusDetails":[{"description":…,
// "type":"Exception"}]}. Liveness and recognize send "result" as the string
// "True"/"False"; validation sends per-field JSON booleans and an integer
// selfie_photo; a NIK is always a JSON string. Every result carries trx_id
// (18 digits: Jakarta time YYYYMMDDhhmmss plus a 4-digit sequence, unique
// and increasing), ref_id (10 digits) and timestamp (Unix milliseconds).
// With Config.IDStore (DefaultConfig sets it) both ids are unique across
// every process of the OS user and across restarts.
// Unknown request fields are ignored. cust_ref_no and nik may be sent as a
// JSON string or number (never rounded).
//
// Checks run in this order: path (404), method (405), token (401), body size
// (413 above 10 MiB), Content-Type, request body, scenario trigger, product
// state, quota, then the product itself.
//
// Bad requests get HTTP 200 with an ERROR envelope whose description says
// what to fix:
//
//	Content-Type must be application/json      Content-Type missing or not JSON
//	Invalid request body: expected a JSON object    not JSON, not an object, a field of the wrong type
//	cust_ref_no is required                    cust_ref_no missing or blank (transactionRefNo is not read)
//	selfie_image is required                   liveness without a selfie
//	id_image is required                       recognize without a card image
//	selfie_image is not valid base64           (also id_image) standard base64, padding optional, line breaks ignored
//	nik is required / nik must be 16 digits    validation
//
// # Tokens
//
// A missing or unknown `token` header gets HTTP 401 with a small JSON body
// that never echoes the token. Built-in tokens (Config.Tokens replaces them):
//
//	sandbox-demo-token     every product active, 500 billable calls per day
//	sandbox-not-activated  every call: ERROR "Product is not activated. Please Check Available Products in Manage Product Menu"
//	sandbox-not-approved   every call: ERROR "Product is not activated yet by Admin"
//	sandbox-quota-3        a quota of 3 billable calls per day, then ERROR "Quota Exceeded"
//	sandbox-no-validation  liveness and OCR work; id-validation is not activated
//
// Quota and billing: a token's quota counts billable calls per calendar day
// in Asia/Jakarta (WIB, UTC+7; resets at 00:00 WIB). Like a real gateway,
// the sandbox bills only calls it processed into a SUCCESSFUL answer:
// ERROR envelopes, 401, 404, 413, 503 and calls whose client went away
// before the answer are not billed. The answers that sbx-truncated,
// sbx-bare-success and sbx-big break are billed (the gateway did the work;
// the client could not read it, which is why it reports "outcome unknown,
// may have been billed"). Server.Usage reports today's count. Counts live
// in memory: each start of the sandbox begins afresh.
//
// # Scenario triggers
//
// A cust_ref_no that starts with a trigger, ignoring case, plays a scenario,
// so "sbx-504-0001" and "SBX-504-0002" both give a 504 while staying unique
// references; the longest trigger wins (sbx-503-once before sbx-503). The
// table is also the exported Scenarios variable:
//
//	sbx-401            HTTP 401 with a small JSON error, as for a rejected token
//	sbx-404            HTTP 404, as for a URL the gateway does not serve
//	sbx-quota          ERROR "Quota Exceeded"
//	sbx-not-activated  ERROR "Product is not activated. Please Check Available Products in Manage Product Menu"
//	sbx-not-approved   ERROR "Product is not activated yet by Admin"
//	sbx-error          ERROR "Internal validation failure" (an undocumented description)
//	sbx-500            HTTP 500 with a small JSON error
//	sbx-503            HTTP 503 with Retry-After: 1, every time
//	sbx-503-once       HTTP 503 with Retry-After: 1 for the first request with that exact cust_ref_no, then the normal answer
//	sbx-504            HTTP 504 with a small JSON error
//	sbx-slow           the normal answer after Config.SlowDelay (default 90 s); stops waiting if the client goes away
//	sbx-drop           reads the request, then closes the connection without answering
//	sbx-html           HTTP 200 with an HTML maintenance page
//	sbx-truncated      the normal answer, its JSON body cut off mid-way
//	sbx-bare-success   the normal answer with "status": success as a bare word, as in the documented validation sample
//	sbx-big            the normal answer padded to more than 1 MiB
//
// Triggers are looked at after the token and the body are accepted (so a
// request still needs a valid token and a well-formed body) and before
// product state and quota: sbx-500 gives 500 even on a not-activated token.
// The normal answers that follow sbx-503-once, sbx-slow, sbx-truncated,
// sbx-bare-success and sbx-big go through product state and quota as usual.
//
// # Specimen registry
//
// Specimens returns 25 invented people (names carry CONTOH, SAMPEL or
// PERAGA: "example", "sample", "demonstration") with valid NIKs: real
// district codes from Kepmendagri No 300.2.2-2138 Tahun 2025, birth dates
// encoded with +40 on the day for women, serials from 0001. Their card
// fields use the official region names, uppercased, so kyc/nik's
// consistency check finds nothing to flag. The last one, SITI CONTOH
// SPESIMEN, is the person on the app's sample card.
//
// ID recognize reads a specimen card the project rendered (SpecimenCard,
// kyc/photo/specimen) as the person printed on it, recognised by a
// perceptual signature that survives re-encoding and resizing; any other
// plausible image reads as the specimen chosen by a hash of its bytes.
//
// # Image rules
//
// An image is plausible when its base64 decodes to a JPEG or PNG of at
// least 100×100 and at most 50 megapixels whose brightness is not nearly
// uniform (standard deviation of luma over a 64×64 sample grid at least 6
// on a 0–255 scale). Anything else (another format, a tiny picture, a blank
// or flat-colour frame, a lens cap, bytes that are not an image) is
// implausible. The sandbox detects no faces: any real photo passes.
//
//   - Liveness: "result": "True" for a plausible selfie, "False" otherwise.
//   - Recognize: a plausible image reads as one specimen, chosen by an FNV-1a
//     hash of the decoded image bytes, so the same image always gives the
//     same person (and a re-encoded image may give another). An implausible
//     image gives "result": "False" and an empty data object.
//   - Validation selfie_photo, an integer, deterministic in the image and
//     the NIK: 80–99 for a plausible selfie (a pass at the usual threshold
//     of 75); 0–29 for an implausible one; 40–69 for AGUS SAMPEL PRASETYO
//     (NIK 3578053012750007), whose registry photo resembles nobody, to show
//     a face mismatch; 0 for a NIK that is not in the registry.
//
// # Validation
//
// A 16-digit NIK in the registry gives "nik": true and compares each
// submitted field with that person; a 16-digit NIK not in the registry
// gives "nik": false, false for every submitted field and selfie_photo 0.
// Optional fields that were not submitted (absent or blank) are not checked
// and are left out of "data" (the real gateway's behaviour here is not
// documented). Comparison ignores case, punctuation and spacing; '*' in a
// submitted value matches any one letter or digit (some OCR answers mask
// vowels). Dates compare day, month and year whatever the separator or
// zero padding. JALAN/JL, GANG/GG, NOMOR/NOMER/NO, KAMPUNG/KP, DUSUN/DSN,
// PERUMAHAN/PERUM and BLK/BLOK are the same word. An address matches when it
// is the card's street address (alamat), optionally followed by the rest of
// the card's address in card order: RT/RW (bare or labelled), kelurahan/
// desa, kecamatan, kota, provinsi; "NO. 170" does not match "NO. 17".
//
// # Latency and logging
//
// Each call waits a delay jittered uniformly in [Latency/2, 3·Latency/2]
// (DefaultConfig: 300 ms; a zero Config: none, as tests want), and stops
// waiting when the client goes away. With a Config.Logger, each request
// logs one line: method, path, status, duration and cust_ref_no; never a
// token, an image or personal data.
package sandbox

"use strict";
/*
 * Serves the Google Cloud Storage JSON API on 127.0.0.1 for Roam's tests, with the storage emulator of
 * firebase-tools loaded directly from Node (`firebase emulators:start` downloads a rules-runtime jar from
 * a host these machines cannot reach; the rules runtime and manager are never started here, and the
 * GCS API uses the emulator's admin layer, which needs no rules).
 *
 *   node gcs-emulator.cjs --firebase-tools DIR --data-dir DIR [--service-account EMAIL]
 *
 * Binds a free port and prints one line, "listening on http://127.0.0.1:PORT", when ready. Exits when
 * its standard input closes, so that a test JVM that dies never leaves it behind.
 *
 * The stock emulator deviates from GCS in ways that matter to a storage backend. Each workaround below is
 * a named quirk, put in front of the emulator's own routes; nothing else changes its behaviour:
 *
 *   CHUNKED_RESUMABLE_UPLOAD_FINALIZED_AFTER_FIRST_CHUNK  every PUT to a resumable session finalizes it,
 *       whatever its Content-Range says: an upload sent in several chunks is silently truncated to its
 *       first chunk. Replaced by a handler following the resumable protocol (308 + Range until the total
 *       size is known and reached).
 *   RESUMABLE_CHUNKS_SENT_BY_POST  Go's client library (rclone's) sends the chunks of a resumable upload
 *       with POST and "X-GUploader-No-308: yes", which asks GCS to answer a chunk that does not complete
 *       the upload with 200 and "X-Http-Status-Code-Override: 308" instead of 308. The emulator takes such
 *       a POST for the start of another upload and answers "OK". The handler above serves these POSTs too
 *       and answers them as asked.
 *   MULTIPART_PART_HEADERS_OTHER_THAN_ONE_CONTENT_TYPE  the emulator reads the first line of each part
 *       of a multipart upload as its Content-Type and the second as the end of its headers, so it refuses
 *       ("Missing content type") or misreads the parts that GCS takes from Go's client (a media part with
 *       no headers) and from the Java client (Content-Length, Content-Type and Content-Transfer-Encoding).
 *       Each part's headers are reduced to its Content-Type (application/octet-stream when it has none)
 *       before the emulator parses the body.
 *   BUCKETS_CREATED_ON_FIRST_USE  any request naming a bucket creates it, so a missing bucket is never
 *       reported, and bucket insert/get answer 501. Buckets here exist only once inserted
 *       (POST /storage/v1/b); requests naming another bucket get GCS's 404 "bucket does not exist".
 *   JSON_API_PREFIX_MISSING_ON_SOME_ROUTES  rewrite, copy and metadata update (PATCH) are routed only
 *       without the /storage/v1 prefix the client library uses, so they answer 501. The prefix is
 *       stripped before routing. (Compose stays unsupported: it answers 501.)
 *   NO_AUTHENTICATION  the emulator accepts any credentials or none. With --service-account, requests must
 *       carry the bearer token that POST /token grants to that service account for a JWT-bearer
 *       assertion (the assertion's signature is not checked, only its issuer); other accounts are refused
 *       like Google's token endpoint refuses them (400 invalid_grant), and requests without the token get
 *       GCS's 401.
 *
 * Not worked around:
 *
 *   CRC32C_NOT_VALIDATED  the crc32c that the client declares (with the last chunk of a resumable upload,
 *       in the metadata of a multipart upload) is ignored, so a mismatch is never refused as GCS refuses it
 *       (the tests check the stored crc32c).
 *   Compose answers 501 (Roam does not use it), and a request body is limited to about 130 MB.
 */
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const { createRequire } = require("module");

function argument(name, required) {
    const index = process.argv.indexOf(name);
    if (index < 0 || index + 1 >= process.argv.length) {
        if (required) {
            console.error(`missing argument ${name}`);
            process.exit(2);
        }
        return undefined;
    }
    return process.argv[index + 1];
}

const firebaseTools = path.resolve(argument("--firebase-tools", true));
const dataDirectory = path.resolve(argument("--data-dir", true));
const serviceAccount = argument("--service-account", false);
const host = "127.0.0.1";

const requireFromFirebaseTools = createRequire(path.join(firebaseTools, "package.json"));
const express = requireFromFirebaseTools("express");
const bodyParser = requireFromFirebaseTools("body-parser");
const { StorageEmulator } = requireFromFirebaseTools("./lib/emulator/storage");
const { createApp } = requireFromFirebaseTools("./lib/emulator/storage/server");
const { CloudStorageBucketMetadata, CloudStorageObjectMetadata } = requireFromFirebaseTools("./lib/emulator/storage/metadata");
const { EmulatorRegistry } = requireFromFirebaseTools("./lib/emulator/registry");
const { Emulators } = requireFromFirebaseTools("./lib/emulator/types");
const { NotFoundError } = requireFromFirebaseTools("./lib/emulator/storage/errors");
const { UploadStatus } = requireFromFirebaseTools("./lib/emulator/storage/upload");

const MAXIMUM_BODY = "130mb";

// Blobs go to this server's own directory, not the shared ${TMPDIR}/firebase/storage/blobs.
const blobsDirectory = path.join(dataDirectory, "blobs");
fs.mkdirSync(blobsDirectory, { recursive: true });
StorageEmulator.prototype.getPersistenceTmpDir = () => blobsDirectory;

/** The multipart body with each part's headers reduced to its Content-Type line, its bytes unchanged. */
function withContentTypeHeadersOnly(body, delimiter) {
    const endOfHeaders = Buffer.from("\r\n\r\n");
    const pieces = [];
    let copied = 0;
    for (let part = body.indexOf(delimiter); part >= 0; part = body.indexOf(delimiter, copied)) {
        const headersStart = part + delimiter.length;
        const headersEnd = body[headersStart] === 0x0d && body[headersStart + 1] === 0x0a
            ? headersStart : body.indexOf(endOfHeaders, headersStart);
        if (headersEnd < 0) {
            break;
        }
        const contentType = /^content-type:[ \t]*(.*)$/im.exec(body.subarray(headersStart, headersEnd).toString("latin1"));
        pieces.push(body.subarray(copied, headersStart),
            Buffer.from(`Content-Type: ${contentType ? contentType[1].trim() : "application/octet-stream"}\r\n\r\n`, "latin1"));
        copied = headersEnd === headersStart ? headersStart + 2 : headersEnd + endOfHeaders.length;
    }
    pieces.push(body.subarray(copied));
    return Buffer.concat(pieces);
}

function gcsError(response, code, message, reason) {
    response.status(code).json({ error: { code, message, errors: [{ message, domain: "global", reason }] } });
}

async function main() {
    const projectId = "roam-test";
    const emulator = new StorageEmulator({ projectId, host, port: 0, auto_download: false });
    const storageLayer = emulator.adminStorageLayer;
    const uploads = emulator.uploadService;
    const inner = await createApp(projectId, emulator);
    const app = express();

    // NO_AUTHENTICATION
    if (serviceAccount) {
        const accessToken = "roam-test-token-" + crypto.randomUUID();
        app.post("/token", bodyParser.urlencoded({ extended: false }), (request, response) => {
            const assertion = String(request.body.assertion || "");
            let issuer;
            try {
                issuer = JSON.parse(Buffer.from(assertion.split(".")[1], "base64url").toString("utf8")).iss;
            }
            catch (error) {
                issuer = undefined;
            }
            if (issuer !== serviceAccount) {
                return response.status(400).json({ error: "invalid_grant", error_description: "Invalid grant: account not found" });
            }
            return response.json({ access_token: accessToken, expires_in: 3600, token_type: "Bearer" });
        });
        app.use((request, response, next) => {
            if (request.header("authorization") !== `Bearer ${accessToken}`) {
                return response.status(401).json({ error: { code: 401, message: "Invalid Credentials",
                    errors: [{ message: "Invalid Credentials", domain: "global", reason: "authError", locationType: "header", location: "Authorization" }] } });
            }
            next();
        });
    }

    // BUCKETS_CREATED_ON_FIRST_USE: insert and get a bucket; 404 for requests naming a missing one.
    const buckets = emulator._buckets;
    app.post("/storage/v1/b", express.json(), (request, response) => {
        const name = request.body && request.body.name;
        if (!name) {
            return gcsError(response, 400, "Required parameter: name", "required");
        }
        if (buckets.has(name)) {
            return gcsError(response, 409, "Your previous request to create the named bucket succeeded and you already own it.", "conflict");
        }
        storageLayer.createBucket(name);
        return response.json(buckets.get(name));
    });
    app.get("/storage/v1/b/:bucket", (request, response) => {
        const bucket = buckets.get(request.params.bucket);
        return bucket ? response.json(bucket) : gcsError(response, 404, "The specified bucket does not exist.", "notFound");
    });
    const namedBuckets = /^\/(?:(?:upload|download)\/)?(?:storage\/v1\/)?b\/([^/?]+)(?:\/o(?:\/[^/?]+\/(?:rewriteTo|copyTo)\/b\/([^/?]+))?)?/;
    app.use((request, response, next) => {
        const match = namedBuckets.exec(request.path);
        if (match) {
            for (const bucket of [match[1], match[2]]) {
                if (bucket !== undefined && !buckets.has(decodeURIComponent(bucket))) {
                    return gcsError(response, 404, "The specified bucket does not exist.", "notFound");
                }
            }
        }
        next();
    });

    // CHUNKED_RESUMABLE_UPLOAD_FINALIZED_AFTER_FIRST_CHUNK and RESUMABLE_CHUNKS_SENT_BY_POST
    const continueResumableUpload = async (request, response, next) => {
        const uploadId = request.query.upload_id;
        if (!uploadId) {
            return next();
        }
        let upload;
        try {
            upload = uploads.getResumableUpload(String(uploadId));
        }
        catch (error) {
            if (error instanceof NotFoundError) {
                return gcsError(response, 404, "No such upload session.", "notFound");
            }
            throw error;
        }
        if (upload.status === UploadStatus.FINISHED) {
            return upload.finalObject ? response.json(upload.finalObject) : gcsError(response, 400, "The upload session is finished.", "invalid");
        }
        if (upload.status !== UploadStatus.ACTIVE) {
            return gcsError(response, 410, "The upload session was cancelled.", "gone");
        }
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const contentRange = request.header("content-range");
        let first = 0;
        let total = body.length;
        if (contentRange) {
            const range = /^bytes (?:(\d+)-(\d+)|\*)\/(\d+|\*)$/.exec(contentRange.trim());
            if (!range) {
                return gcsError(response, 400, `Malformed Content-Range: ${contentRange}`, "invalid");
            }
            first = range[1] === undefined ? upload.size : Number(range[1]);
            total = range[3] === "*" ? undefined : Number(range[3]);
            if (range[1] !== undefined && Number(range[2]) - first + 1 !== body.length) {
                return gcsError(response, 400, "Content-Range does not match the body's length.", "invalid");
            }
        }
        if (first > upload.size) {
            return gcsError(response, 400, `Chunk starts at ${first}, but ${upload.size} bytes were received.`, "invalid");
        }
        // A client resending bytes the session already has (after a lost response) sends only the rest.
        const fresh = body.subarray(Math.min(body.length, upload.size - first));
        if (fresh.length > 0) {
            uploads.continueResumableUpload(upload.id, fresh);
        }
        if (total !== undefined && upload.size > total) {
            return gcsError(response, 400, `Received ${upload.size} bytes, more than the declared ${total}.`, "invalid");
        }
        if (total === undefined || upload.size < total) {
            if (upload.size > 0) {
                response.setHeader("Range", `bytes=0-${upload.size - 1}`);
            }
            if (request.header("x-guploader-no-308") === "yes") {
                response.setHeader("X-Http-Status-Code-Override", "308");
                return response.status(200).end();
            }
            return response.status(308).end();
        }
        uploads.finalizeResumableUpload(upload.id);
        const metadata = await storageLayer.uploadObject(upload);
        upload.finalObject = new CloudStorageObjectMetadata(metadata);
        return response.json(upload.finalObject);
    };
    const rawBody = bodyParser.raw({ type: () => true, limit: MAXIMUM_BODY });
    app.put("/upload/storage/v1/b/:bucket/o", rawBody, continueResumableUpload);
    app.post("/upload/storage/v1/b/:bucket/o", (request, response, next) => request.query.upload_id ? next() : next("route"),
        rawBody, continueResumableUpload);

    // MULTIPART_PART_HEADERS_OTHER_THAN_ONE_CONTENT_TYPE
    app.post("/upload/storage/v1/b/:bucket/o", (request, response, next) => request.query.uploadType === "multipart" ? next() : next("route"),
        rawBody, (request, response, next) => {
            const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/.exec(request.header("content-type") || "");
            if (boundary && Buffer.isBuffer(request.body)) {
                request.body = withContentTypeHeadersOnly(request.body, Buffer.from(`--${boundary[1] || boundary[2]}\r\n`));
            }
            next();
        });

    // JSON_API_PREFIX_MISSING_ON_SOME_ROUTES
    app.use((request, response, next) => {
        if (request.url.startsWith("/storage/v1/b/")) {
            request.url = request.url.substring("/storage/v1".length);
        }
        next();
    });

    app.use(inner);

    const server = app.listen(0, host, () => {
        const port = server.address().port;
        // The emulator builds bucket metadata and some URLs from the registry's idea of its address.
        emulator.getInfo = () => ({ name: Emulators.STORAGE, host, port });
        EmulatorRegistry.set(Emulators.STORAGE, emulator);
        process.stdout.write(`listening on http://${host}:${port}\n`);
    });
    // Uploads of large chunks take longer than Node's default request timeout on a loaded machine.
    server.requestTimeout = 0;
    process.stdin.on("end", () => process.exit(0));
    process.stdin.on("error", () => process.exit(0));
    process.stdin.resume();
    process.on("SIGTERM", () => process.exit(0));
}

main().catch((error) => {
    console.error(error && error.stack ? error.stack : error);
    process.exit(1);
});

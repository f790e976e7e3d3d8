"""A guestbook on Flask, run by webinfra with Debian's gunicorn: `gunicorn app:app`.

It speaks the same HTTP API as webinfra's Java guestbook, so `webinfra load` works against it.
Settings come from the environment webinfra gives it (see README.md). Each request opens its own
database connection: simpler than a pool, and a dead server costs one request, never a worker.
"""
import json
import os
import re
import sys
import uuid

import MySQLdb
from flask import Flask, jsonify, redirect, render_template, request
from werkzeug.exceptions import HTTPException

HERE = os.path.dirname(os.path.abspath(__file__))
HOST = os.environ.get("WEBINFRA_HOST", "localhost")
try:
    with open(os.path.join(HERE, "VERSION")) as f:
        VERSION = f.read().strip()
except OSError:
    VERSION = "unknown"


def servers(name):
    """host:port,host:port in preference order -> [(host, port)]."""
    pairs = [item.strip().rpartition(":") for item in os.environ.get(name, "").split(",")]
    return [(host.strip("[]"), int(port)) for host, _, port in pairs if host]


WRITE = servers("WEBINFRA_DB_WRITE")
# Reads fall back to the write servers: a page from the primary beats a 503 when the replica is down.
READ = servers("WEBINFRA_DB_READ")
READ += [s for s in WRITE if s not in READ]
KEY = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
# Errors after which nothing was committed and another server (or a second try) may do better:
# Galera not ready (1047), shutdown (1053), deadlock/certification conflict (1213), killed (1927),
# and the client's "cannot connect" / "gone away" / "lost connection" (2002-2013, 2055).
RETRY = {1047, 1053, 1213, 1927, 2002, 2003, 2005, 2006, 2013, 2055}

app = Flask(__name__)
MAX_BODY = 16 * 1024  # an entry is well under 2 KiB, even as JSON
app.config["MAX_CONTENT_LENGTH"] = MAX_BODY  # Werkzeug enforces it on forms; JSON is read below
app.json.sort_keys = False


def log(msg):
    print(f"guestbook[{HOST}]: {msg}", file=sys.stderr, flush=True)


class Unavailable(Exception):
    """No database could do it; answered 503."""


def connect(host, port, timeout, io_timeout):
    with open(os.environ.get("WEBINFRA_DB_PASSWORD_FILE", "")) as f:  # read per connect: rotation just works
        password = f.readline().rstrip("\r\n")
    return MySQLdb.connect(
        host=host, port=port, user=os.environ.get("WEBINFRA_DB_USER", "webinfra_app"),
        password=password, database=os.environ.get("WEBINFRA_DB_NAME", "webinfra"),
        charset="utf8mb4", autocommit=True, connect_timeout=timeout,
        read_timeout=io_timeout, write_timeout=io_timeout,  # a frozen server must not hang a worker
        init_command="SET time_zone = '+00:00'")  # created_at comes back as UTC


def with_db(targets, work, timeout=2, io_timeout=5, quiet=False):
    """work(conn) on the first server that can do it, in order; a conflict is tried twice.

    Logs one line when it had to skip a server; when none could, the caller logs the reasons.
    """
    failures, i, conflicts = [], 0, 0
    while i < len(targets):
        host, port = targets[i]
        try:
            conn = connect(host, port, timeout, io_timeout)
        except (MySQLdb.Error, OSError) as e:  # OSError: the password file is missing
            failures.append(f"{host}:{port}: {e}")
            i += 1
            continue
        try:
            result = work(conn)
            if failures and not quiet:
                log(f"db: used {host}:{port} after: " + "; ".join(failures))
            return result
        except MySQLdb.Error as e:
            code = e.args[0] if e.args else 0
            if code not in RETRY:
                raise
            failures.append(f"{host}:{port}: {e}")
            if code == 1213 and not conflicts:
                conflicts += 1  # rolled back whole: the same server again, once
            else:
                i += 1
        finally:
            try:
                conn.close()
            except MySQLdb.Error:
                pass
    raise Unavailable("no database answered: " + ("; ".join(failures) or "none configured"))


SCHEMA = [
    """CREATE TABLE IF NOT EXISTS entries (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  author VARCHAR(64) NOT NULL,
  message VARCHAR(500) NOT NULL,
  served_by VARCHAR(64) NOT NULL,
  created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci""",
    """CREATE TABLE IF NOT EXISTS entry_keys (
  idem_key VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  entry_id BIGINT NOT NULL,
  status SMALLINT NOT NULL,
  gtid VARCHAR(64) NOT NULL DEFAULT '',
  created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB""",
]
schema_ready = False


def create_schema(conn):
    global schema_ready
    with conn.cursor() as cur:
        for ddl in SCHEMA:
            try:
                cur.execute(ddl)  # IF NOT EXISTS: another server doing it too is harmless
            except MySQLdb.Error as e:
                if e.args[0] != 1050:  # "already exists": a race the other server won
                    raise
    schema_ready = True


def ensure_schema(startup=False):
    """At startup, and lazily until it works: no database may answer yet when a worker starts."""
    if not schema_ready:
        try:
            with_db(WRITE, create_schema)
        except (Unavailable, MySQLdb.Error) as e:
            if startup:  # later, the request that needed it logs its own failure
                log(f"schema not created yet: {e}")


COLUMNS = "SELECT id, author, message, served_by, created_at FROM entries"


def as_json(row):
    return {"id": row[0], "author": row[1], "message": row[2], "served_by": row[3],
            "created_at": row[4].strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"}


def query(sql, args=()):
    ensure_schema()
    def work(conn):
        with conn.cursor() as cur:
            cur.execute(sql, args)
            return [as_json(r) for r in cur.fetchall()]
    return with_db(READ, work)


def first_answer(cur, key):
    """The stored answer to a key already used: (entry, status), else None."""
    cur.execute("SELECT k.status, e.id, e.author, e.message, e.served_by, e.created_at FROM entry_keys k"
                " JOIN entries e ON e.id = k.entry_id WHERE k.idem_key = %s", (key,))
    row = cur.fetchone()
    return (as_json(row[1:]), row[0]) if row else None


def add(author, message, key, status):
    """Stores an entry (and its key, in the same transaction): (entry, status, replayed)."""
    ensure_schema()
    def work(conn):
        with conn.cursor() as cur:
            if key and (first := first_answer(cur, key)):
                return first + (True,)
            committing = False
            try:
                cur.execute("START TRANSACTION")
                cur.execute("INSERT INTO entries (author, message, served_by) VALUES (%s, %s, %s)",
                            (author, message, HOST))
                entry_id = cur.lastrowid
                if key:  # waits on a concurrent write of the same key, then 1062 if that committed
                    cur.execute("INSERT INTO entry_keys (idem_key, entry_id, status) VALUES (%s, %s, %s)",
                                (key, entry_id, status))
                committing = True
                cur.execute("COMMIT")
            except MySQLdb.Error as e:
                code = e.args[0] if e.args else 0
                if key and code in (1062, 1213):  # the key is taken (1213: lost a Galera conflict)
                    conn.rollback()
                    if first := first_answer(cur, key):
                        return first + (True,)
                if not key and committing and code in (2006, 2013):
                    # Lost during COMMIT: it may have happened; without a key, a retry could store it twice.
                    raise Unavailable(f"write outcome unknown: {e}") from e
                raise
            cur.execute(COLUMNS + " WHERE id = %s", (entry_id,))
            return as_json(cur.fetchone()), status, False
    return with_db(WRITE, work)


def error(status, msg):
    return jsonify(error=msg, status=status), status


@app.after_request
def stamp(resp):
    resp.headers["X-App-Host"] = HOST
    resp.headers["X-App-Version"] = VERSION
    return resp


@app.errorhandler(Exception)
def failed(e):
    if isinstance(e, HTTPException):
        resp = error(e.code, e.description if e.code != 404 else f"no such page: {request.path}")
        return resp + ({"Allow": ", ".join(e.valid_methods)},) if e.code == 405 else resp
    if isinstance(e, (Unavailable, MySQLdb.Error)):
        log(f"{request.method} {request.path}: database unavailable: {e}")
        if request.path == "/" and request.method in ("GET", "HEAD"):
            return render_template("index.html", host=HOST, entries=[], key=uuid.uuid4().hex,
                                   notice="The guestbook's database is not available right now."), 503
        return error(503, "the database is not available; try again shortly")
    log(f"{request.method} {request.path}: unexpected {type(e).__name__}: {e}")  # the client gets no trace
    return error(500, f"internal error on {HOST}")


health_ok = None  # the last answer: health logs when it changes, not twice a second per balancer


@app.get("/health")
def health():
    global health_ok
    def ping(conn):
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
        if not schema_ready:
            try:
                create_schema(conn)
            except MySQLdb.Error as e:  # the database answers: that is what health reports
                log(f"schema not created yet: {e}")
    try:
        # Short timeouts: load balancers check twice a second and want an answer now.
        with_db(WRITE, ping, timeout=1, io_timeout=1, quiet=True)
        if health_ok is False:
            log("health: ok again")
        health_ok = True
        return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}
    except (Unavailable, MySQLdb.Error) as e:
        if health_ok is not False:
            log(f"health: failing: {e}")
        health_ok = False
        return error(503, "no write database answers")


@app.get("/")
def page():
    entries = query(COLUMNS + " ORDER BY id DESC LIMIT 20")
    return render_template("index.html", host=HOST, entries=entries, key=uuid.uuid4().hex, notice=None)


@app.get("/api/entries")
def list_entries():
    return jsonify(query(COLUMNS + " ORDER BY id DESC LIMIT 20"))


@app.get("/api/entries/<int:entry_id>")
def one_entry(entry_id):
    found = query(COLUMNS + " WHERE id = %s", (entry_id,)) if entry_id < 2**63 else []
    return jsonify(found[0]) if found else error(404, f"entry {entry_id} does not exist")


@app.post("/entries")
def post_entry():
    # The key may come as a header (API), a query parameter (the form's action, seen by HAProxy) or a
    # form field; all that are given must agree.
    form = request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data")
    given = {v for v in (request.headers.get("Idempotency-Key"), request.args.get("idempotency_key"),
                         request.form.get("idempotency_key") if form else None) if v is not None}
    if len(given) > 1:
        return error(400, "the idempotency key is given twice, with different values")
    # Without the client's key, the load balancer's (a write it may send again to another server).
    key = given.pop() if given else request.headers.get("X-Load-Balancer-Key")
    if key is not None and not KEY.fullmatch(key):
        return error(400, "the idempotency key must be 1 to 64 characters of A-Z a-z 0-9 _ . : -")
    if form:
        fields = request.form
    elif request.mimetype == "application/json":
        body = request.stream.read(MAX_BODY + 1)  # bounded, even when chunked
        if len(body) > MAX_BODY:
            return error(413, f"body too large: at most {MAX_BODY} bytes")
        try:
            fields = json.loads(body)
        except ValueError:
            return error(400, "body is not valid JSON")
        if not isinstance(fields, dict):
            return error(400, "body must be a JSON object with fields author and message")
    else:
        return error(415, "content type must be application/json or application/x-www-form-urlencoded")
    values = {}
    for name, limit in (("author", 64), ("message", 500)):
        v = fields.get(name)
        v = v.strip() if isinstance(v, str) else ""
        if not 1 <= len(v) <= limit:  # characters, as VARCHAR(n) counts them
            return error(400, f"field {name} is required: 1 to {limit} characters")
        try:
            v.encode("utf-8")  # a lone surrogate from JSON "\ud800" cannot be stored
        except UnicodeEncodeError:
            return error(400, f"field {name} is not valid text")
        values[name] = v
    entry, status, replayed = add(values["author"], values["message"], key, 303 if form else 201)
    # The first answer's status decides, so a repeat answers exactly as the first write did.
    resp = redirect("/", 303) if status == 303 else (jsonify(entry), status)
    resp = app.make_response(resp)
    if replayed:
        resp.headers["Idempotent-Replayed"] = "true"
    return resp


ensure_schema(startup=True)  # each worker, at startup; never fatal

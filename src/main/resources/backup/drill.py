#!/usr/bin/env python3
"""A restore drill, as a BackupPolicy's drill CronJob runs it: the newest dump under
s3://BACKUP_BUCKET/BACKUP_PREFIX, its SHA-256 checked against its checksum object, restored with
pg_restore into a scratch database on the server of DATABASE_URL, the DRILL_CHECKS queries run
there (a JSON list of {"query": ..., "min": n}: each query's single number must be at least n),
then the scratch database dropped, whatever happened. The result goes to
<prefix>drills/<time>.json; a failed drill exits 1.

A dump is data, not a script: pg_restore runs no psql meta-commands (a plain SQL dump fed to psql
could run `\\!` shell commands). The checks come from Git, so they run as a throwaway role that may
only read the scratch database, in read-only transactions with a statement timeout; a check that
is a psql meta-command is refused. DATABASE_URL's user needs CREATEDB and CREATEROLE."""
import datetime
import gzip
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

import boto3

CHECK_TIMEOUT = "300s"


def psql(url, *args, env=None):
    return subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", *args, url], capture_output=True, text=True,
                          check=True, env=env)


def with_database(url, name, user=None):
    """The URL for another database of the same server; as `user` when given, without a password."""
    parts = urllib.parse.urlparse(url)._replace(path="/" + name)
    if user is not None:
        host = f"[{parts.hostname}]" if parts.hostname and ":" in parts.hostname else (parts.hostname or "")
        parts = parts._replace(netloc=f"{user}@{host}" + (f":{parts.port}" if parts.port else ""))
    return urllib.parse.urlunparse(parts)


def newest_dump(s3, bucket, prefix):
    dumps = [o for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
             for o in page.get("Contents", []) if o["Key"].endswith(".dump.gz")]
    if not dumps:
        raise RuntimeError(f"no dump under s3://{bucket}/{prefix}")
    return max(dumps, key=lambda o: (o["LastModified"], o["Key"]))["Key"]


def refused_check(check):
    query = check.get("query") if isinstance(check, dict) else None
    if not isinstance(query, str) or not query.strip():
        return f"check {json.dumps(check)} has no query"
    if query.lstrip().startswith("\\"):
        return f"check '{query}' is a psql meta-command, not SQL"
    if not isinstance(check.get("min"), (int, float)) or isinstance(check.get("min"), bool):
        return f"check '{query}' has no numeric min"
    return None


def grant_reading(url, scratch, reader, password):
    psql(url, "-c", f"CREATE ROLE \"{reader}\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '{password}'")
    psql(with_database(url, scratch), "-c", f"""
        REVOKE TEMPORARY ON DATABASE "{scratch}" FROM PUBLIC;
        DO $$ DECLARE s text; BEGIN
          FOR s IN SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
          LOOP
            EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC', s);
            EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', s, '{reader}');
            EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I', s, '{reader}');
          END LOOP;
        END $$""")


def run_checks(url, scratch, reader, password, checks):
    env = dict(os.environ, PGPASSWORD=password,
               PGOPTIONS=f"-c default_transaction_read_only=on -c statement_timeout={CHECK_TIMEOUT}")
    results = []
    for check in checks:
        output = psql(with_database(url, scratch, reader), "-t", "-A", "-c", check["query"], env=env).stdout.strip()
        try:
            value = float(output)
        except ValueError:
            raise RuntimeError(f"check '{check['query']}' did not return one number") from None
        results.append({"query": check["query"], "value": value, "min": check["min"], "passed": value >= check["min"]})
    return results


def restore_and_check(url, scratch, archive, checks):
    reader, password = scratch + "_reader", secrets.token_hex(24)
    psql(url, "-c", f'CREATE DATABASE "{scratch}"')
    try:
        subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                        "--dbname", with_database(url, scratch), archive], capture_output=True, text=True, check=True)
        grant_reading(url, scratch, reader, password)
        return run_checks(url, scratch, reader, password, checks)
    finally:
        psql(url, "-c", f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        psql(url, "-c", f'DROP ROLE IF EXISTS "{reader}"')


def fetch(s3, bucket, key, folder):
    """The dump, its checksum checked, unpacked to a pg_restore archive; the archive's path."""
    packed, archive = os.path.join(folder, "dump.gz"), os.path.join(folder, "dump.archive")
    s3.download_file(bucket, key, packed)
    digest = hashlib.sha256()
    with open(packed, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    recorded = s3.get_object(Bucket=bucket, Key=key + ".sha256")["Body"].read().decode().split()[0]
    if recorded != digest.hexdigest():
        raise RuntimeError(f"{key} has SHA-256 {digest.hexdigest()}, its checksum object says {recorded}")
    with gzip.open(packed, "rb") as source, open(archive, "wb") as target:
        shutil.copyfileobj(source, target)
    return archive


def main():
    bucket, prefix, url = os.environ["BACKUP_BUCKET"], os.environ["BACKUP_PREFIX"], os.environ["DATABASE_URL"]
    checks = json.loads(os.environ.get("DRILL_CHECKS", "[]"))
    now = datetime.datetime.now(datetime.timezone.utc)
    stamp = now.strftime("%Y-%m-%dT%H-%M-%SZ")
    s3 = boto3.client("s3")
    result = {"time": now.isoformat(), "passed": False}
    try:
        refused = [p for p in map(refused_check, checks) if p]
        if refused:
            raise RuntimeError("; ".join(refused))
        key = newest_dump(s3, bucket, prefix)
        result["dump"] = key
        with tempfile.TemporaryDirectory() as folder:
            archive = fetch(s3, bucket, key, folder)
            result["checks"] = restore_and_check(url, "restore_drill_" + stamp.replace("-", "_").lower(), archive, checks)
        result["passed"] = all(c["passed"] for c in result["checks"])
    except subprocess.CalledProcessError as e:
        # the command line holds the database URL and its password: only the program's name is said
        result["error"] = f"{e.cmd[0]} failed: {e.stderr or ''}"
    except (RuntimeError, OSError) as e:
        result["error"] = str(e)
    s3.put_object(Bucket=bucket, Key=f"{prefix}drills/{stamp}.json", Body=json.dumps(result, indent=2).encode())
    print(json.dumps(result))
    if not result["passed"]:
        sys.exit(1)


if __name__ == "__main__":
    main()

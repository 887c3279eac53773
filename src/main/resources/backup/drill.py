#!/usr/bin/env python3
"""A restore drill, as a BackupPolicy's drill CronJob runs it: the newest dump under
s3://BACKUP_BUCKET/BACKUP_PREFIX, its SHA-256 checked against its checksum object, restored into a
scratch database on the server of DATABASE_URL, the DRILL_CHECKS queries run there (a JSON list of
{"query": ..., "min": n}: each query's single number must be at least n), then the scratch database
dropped, whatever happened. The result goes to <prefix>drills/<time>.json; a failed drill exits 1."""
import datetime
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

import boto3


def psql(url, *args):
    return subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", *args, url], capture_output=True, text=True,
                          check=True)


def with_database(url, name):
    return urllib.parse.urlunparse(urllib.parse.urlparse(url)._replace(path="/" + name))


def newest_dump(s3, bucket, prefix):
    dumps = [o for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
             for o in page.get("Contents", []) if o["Key"].endswith(".sql.gz")]
    if not dumps:
        raise RuntimeError(f"no dump under s3://{bucket}/{prefix}")
    return max(dumps, key=lambda o: (o["LastModified"], o["Key"]))["Key"]


def restore_and_check(url, scratch, dump_path, checks):
    psql(url, "-c", f'CREATE DATABASE "{scratch}"')
    try:
        command = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", with_database(url, scratch)]
        restore = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        with gzip.open(dump_path, "rb") as sql:
            shutil.copyfileobj(sql, restore.stdin)  # decompressed as it streams; a subprocess would get the raw gzip
        restore.stdin.close()
        errors = restore.stderr.read()
        if restore.wait() != 0:
            raise subprocess.CalledProcessError(restore.returncode, command, stderr=errors)
        results = []
        for check in checks:
            value = float(psql(with_database(url, scratch), "-t", "-A", "-c", check["query"]).stdout.strip())
            results.append({"query": check["query"], "value": value, "min": check["min"], "passed": value >= check["min"]})
        return results
    finally:
        psql(url, "-c", f'DROP DATABASE IF EXISTS "{scratch}"')


def main():
    bucket, prefix, url = os.environ["BACKUP_BUCKET"], os.environ["BACKUP_PREFIX"], os.environ["DATABASE_URL"]
    checks = json.loads(os.environ.get("DRILL_CHECKS", "[]"))
    now = datetime.datetime.now(datetime.timezone.utc)
    stamp = now.strftime("%Y-%m-%dT%H-%M-%SZ")
    s3 = boto3.client("s3")
    result = {"time": now.isoformat(), "passed": False}
    try:
        key = newest_dump(s3, bucket, prefix)
        result["dump"] = key
        with tempfile.TemporaryDirectory() as scratch_dir:
            path = os.path.join(scratch_dir, "dump.sql.gz")
            s3.download_file(bucket, key, path)
            digest = hashlib.sha256()
            with open(path, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    digest.update(chunk)
            recorded = s3.get_object(Bucket=bucket, Key=key + ".sha256")["Body"].read().decode().split()[0]
            if recorded != digest.hexdigest():
                raise RuntimeError(f"{key} has SHA-256 {digest.hexdigest()}, its checksum object says {recorded}")
            result["checks"] = restore_and_check(url, "restore_drill_" + stamp.replace("-", "_").lower(), path, checks)
        result["passed"] = all(c["passed"] for c in result["checks"])
    except subprocess.CalledProcessError as e:
        # the command line holds the database URL and its password: only the program's name is said
        stderr = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
        result["error"] = f"{e.cmd[0]} failed: {stderr}"
    except RuntimeError as e:
        result["error"] = str(e)
    s3.put_object(Bucket=bucket, Key=f"{prefix}drills/{stamp}.json", Body=json.dumps(result, indent=2).encode())
    print(json.dumps(result))
    if not result["passed"]:
        sys.exit(1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""One backup, as a BackupPolicy's CronJob takes it: pg_dump of DATABASE_URL in PostgreSQL's custom
archive format (restored by pg_restore, which runs no psql meta-commands), gzip, upload to
s3://BACKUP_BUCKET/BACKUP_PREFIX<time>.dump.gz, and the dump's SHA-256 beside it in <key>.sha256
(the format of sha256sum). pg_dump leaves the archive uncompressed so that the gzip stream around
it tells a whole upload from a cut-off one. The dump is streamed to a scratch file, never held in
memory; the database URL, which holds the password, is never printed."""
import datetime
import gzip
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

import boto3


def main():
    bucket, prefix = os.environ["BACKUP_BUCKET"], os.environ["BACKUP_PREFIX"]
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H-%M-%SZ")
    key = f"{prefix}{stamp}.dump.gz"
    with tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "dump.gz")
        with gzip.open(path, "wb") as out:
            dump = subprocess.Popen(["pg_dump", "--format=custom", "--compress=0", "--no-owner", "--no-privileges",
                                     os.environ["DATABASE_URL"]],
                                    stdout=subprocess.PIPE)
            shutil.copyfileobj(dump.stdout, out)
            if dump.wait() != 0:
                sys.exit(f"pg_dump failed with exit code {dump.returncode}; nothing uploaded")
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        s3 = boto3.client("s3")
        s3.upload_file(path, bucket, key)
        s3.put_object(Bucket=bucket, Key=key + ".sha256",
                      Body=f"{digest.hexdigest()}  {os.path.basename(key)}\n".encode())
        print(f"s3://{bucket}/{key}: {os.path.getsize(path)} bytes, sha256 {digest.hexdigest()}")


if __name__ == "__main__":
    main()

#!/bin/sh
# Creates the bucket jobs read segments from and write results to. Run once at stack start by the
# setup-bucket service (minio/mc image); an existing bucket and its objects are left as they are.
#
# No AbortIncompleteMultipartUpload lifecycle rule, unlike the README's advice for AWS S3: MinIO
# removes multipart uploads left unfinished by itself (after 24 h by default, api stale_uploads_expiry).
set -eu

endpoint="${S3_ENDPOINT:-http://minio:9000}"
bucket="${CONCAT_BUCKET:-concat}"
attempts="${SETUP_ATTEMPTS:-30}"

try=1
until mc alias set stack "$endpoint" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null; do
  if [ "$try" -ge "$attempts" ]; then
    echo "gave up reaching MinIO at $endpoint after $attempts tries" >&2
    exit 1
  fi
  echo "try $try/$attempts: MinIO at $endpoint not ready yet; again in 2s"
  try=$((try + 1))
  sleep 2
done
mc mb --ignore-existing "stack/$bucket"

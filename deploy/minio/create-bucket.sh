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

# The workers' user: objects in this bucket only (read segments and covers, write outputs, abort
# their multipart uploads), nothing in any other bucket and no administration. Re-running updates it.
worker_key="${CONCAT_WORKER_ACCESS_KEY:?set CONCAT_WORKER_ACCESS_KEY}"
worker_secret="${CONCAT_WORKER_SECRET_KEY:?set CONCAT_WORKER_SECRET_KEY}"
policy=/tmp/concat-worker-policy.json
cat > "$policy" <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
     "Resource": ["arn:aws:s3:::$bucket"]},
    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload",
       "s3:ListMultipartUploadParts"],
     "Resource": ["arn:aws:s3:::$bucket/*"]}
  ]
}
POLICY
mc admin user add stack "$worker_key" "$worker_secret"
mc admin policy create stack concat-worker "$policy"
# Attaching a policy the user already has is an error; a rerun finds it attached.
mc admin policy attach stack concat-worker --user "$worker_key" 2>/dev/null \
  || mc admin user info stack "$worker_key" | grep -q concat-worker

package dev.concat.app.config;

import dev.concat.contract.OutputObject;
import dev.concat.contract.rules.OutputObjectRules;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The operator's defaults for how outputs are stored; a request's {@code outputObject} fields win
 * over them, and its tags and metadata are merged over these key by key.
 */
public final class OutputObjectOptions {
  @Option(
      names = "--output-cache-control",
      paramLabel = "VALUE",
      description =
          "Cache-Control of every output, e.g. 'public, max-age=86400'. Env CONCAT_OUTPUT_CACHE_CONTROL; "
              + "default: none.")
  private String cacheControl;

  @Option(
      names = "--output-content-disposition",
      paramLabel = "VALUE",
      description =
          "Content-Disposition of every output. Env CONCAT_OUTPUT_CONTENT_DISPOSITION; default: none.")
  private String contentDisposition;

  @Option(
      names = "--output-storage-class",
      paramLabel = "CLASS",
      description =
          "S3 storage class of outputs, e.g. STANDARD_IA. Env CONCAT_OUTPUT_STORAGE_CLASS; default: the "
              + "bucket's (STANDARD).")
  private String storageClass;

  @Option(
      names = "--output-encryption",
      paramLabel = "AES256|aws:kms",
      description =
          "Server-side encryption of outputs: AES256 (SSE-S3) or aws:kms (SSE-KMS). "
              + "Env CONCAT_OUTPUT_ENCRYPTION; default: the bucket's.")
  private String encryption;

  @Option(
      names = "--output-kms-key-id",
      paramLabel = "KEY",
      description =
          "KMS key id, ARN or alias for aws:kms. Env CONCAT_OUTPUT_KMS_KEY_ID; default: the bucket's key.")
  private String kmsKeyId;

  @Option(
      names = "--output-tags",
      paramLabel = "KEY=VALUE",
      split = ",",
      description =
          "Object tags of every output, comma-separated. Env CONCAT_OUTPUT_TAGS; default: none.")
  private Map<String, String> tags;

  @Option(
      names = "--output-metadata",
      paramLabel = "NAME=VALUE",
      split = ",",
      description =
          "User metadata (x-amz-meta-NAME) of every output, comma-separated. Env CONCAT_OUTPUT_METADATA; "
              + "default: none.")
  private Map<String, String> metadata;

  @Option(
      names = "--s3-expected-bucket-owner",
      paramLabel = "ACCOUNT",
      description =
          "AWS account id that must own output buckets (AWS refuses the write otherwise). "
              + "Env S3_EXPECTED_BUCKET_OWNER; default: not checked.")
  private String expectedBucketOwner;

  /** The defaults, checked with the rules a request's own values follow. */
  public OutputObject defaults() {
    var defaults =
        new OutputObject(
            cacheControl,
            contentDisposition,
            storageClass,
            encryption,
            kmsKeyId,
            tags == null ? null : Map.copyOf(tags),
            metadata == null ? null : Map.copyOf(metadata),
            expectedBucketOwner);
    List<String> problems = OutputObjectRules.problems(defaults, "output default ");
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return defaults;
  }
}

package dev.concat.app.config;

import picocli.CommandLine.Option;

/** How to reach the S3 API. The defaults are the dev stack's, so `concat dev` needs no settings. */
public final class S3Options {
  public static final String DEV_ENDPOINT = "http://127.0.0.1:9000";
  public static final String AWS = "aws";

  @Option(
      names = "--s3-endpoint",
      paramLabel = "URL",
      defaultValue = DEV_ENDPOINT,
      description =
          "S3 API endpoint, or 'aws' for AWS S3 itself. Env S3_ENDPOINT; default: ${DEFAULT-VALUE} (the dev stack).")
  private String endpoint;

  @Option(
      names = "--s3-region",
      paramLabel = "REGION",
      description =
          "S3 region (R2 takes 'auto'). Env S3_REGION; default: AWS_REGION, else AWS_DEFAULT_REGION, "
              + "else the region of the AWS profile (AWS_PROFILE or default), else us-east-1.")
  private String region;

  @Option(
      names = "--s3-path-style",
      paramLabel = "true|false",
      arity = "1",
      description =
          "Path-style bucket addressing. Env S3_PATH_STYLE; default: true for a custom endpoint, false for AWS.")
  private Boolean pathStyle;

  @Option(
      names = "--s3-checksums",
      paramLabel = "when-required|when-supported",
      description =
          "Request checksums: 'when-required' sends them only where the S3 API requires them (Cloudflare R2 "
              + "and some S3-compatible stores reject the AWS SDK's default ones); 'when-supported' is the SDK's default. "
              + "Env S3_CHECKSUMS; default: when-required for a custom endpoint, when-supported for AWS.")
  private String checksums;

  public S3Options() {}

  /** For code that builds settings directly, such as the embedded stack. */
  public S3Options(String endpoint, String region, Boolean pathStyle) {
    this.endpoint = endpoint;
    this.region = region;
    this.pathStyle = pathStyle;
  }

  public String endpoint() {
    return endpoint;
  }

  /** The region given by flag or S3_REGION, or null to take the AWS environment's. */
  public String region() {
    return region;
  }

  public Boolean pathStyle() {
    return pathStyle;
  }

  /** {@code when-required}, {@code when-supported}, or null for the endpoint's default. */
  public String checksums() {
    return checksums;
  }
}

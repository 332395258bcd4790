package dev.concat.app.s3;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * The signing region when neither {@code --s3-region} nor {@code S3_REGION} names one, found the
 * way the AWS CLI and SDKs find it: {@code AWS_REGION}, {@code AWS_DEFAULT_REGION}, then the {@code
 * region} of the profile ({@code AWS_PROFILE}, else {@code default}) in {@code AWS_CONFIG_FILE} or
 * {@code ~/.aws/config}.
 */
final class AwsRegion {
  static final String FALLBACK = "us-east-1";

  static String resolve(Map<String, String> environment) {
    for (String variable : new String[] {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
      String value = environment.get(variable);
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    return profileRegion(environment).orElse(FALLBACK);
  }

  private static Optional<String> profileRegion(Map<String, String> environment) {
    String file = environment.get("AWS_CONFIG_FILE");
    Path config =
        file != null && !file.isBlank()
            ? Path.of(file)
            : Path.of(System.getProperty("user.home"), ".aws", "config");
    if (!Files.isReadable(config)) {
      return Optional.empty();
    }
    String profile = environment.getOrDefault("AWS_PROFILE", "default");
    return ProfileFile.builder()
        .content(config)
        .type(ProfileFile.Type.CONFIGURATION)
        .build()
        .profile(profile.isBlank() ? "default" : profile.strip())
        .flatMap(p -> p.property("region"))
        .filter(region -> !region.isBlank());
  }

  private AwsRegion() {}
}

package dev.concat.app.it;

import dev.concat.activities.testing.Command;
import java.nio.file.Path;
import java.util.List;

/**
 * Sample frames per channel as libsndfile (through libmpg123, honouring the LAME tag's delay and
 * padding) decodes a file: a decoder the product does not use, so a join that lasts as long as its
 * segments by FFmpeg's count but not by this one is caught. Needs python3 with soundfile ({@code
 * .ci/run} installs it).
 */
final class LibsndfileDecoder {
  private static final String COUNT_FRAMES =
      "import soundfile, sys\n"
          + "print(sum(len(block) for block in soundfile.blocks(sys.argv[1], blocksize=1 << 16)))\n";

  private LibsndfileDecoder() {}

  static long samples(Path file) {
    return Long.parseLong(
        Command.stdout(List.of("python3", "-c", COUNT_FRAMES, file.toString())).strip());
  }

  static long samples(List<Path> files) {
    return files.stream().mapToLong(LibsndfileDecoder::samples).sum();
  }
}

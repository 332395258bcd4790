package dev.concat.activities.ffmpeg;

import dev.concat.contract.audio.Encoding;

/**
 * The channels the first loudness pass meters the join in, and how its reading becomes the
 * output's. A join of mono segments encoded to stereo is metered as the mono it is: FFmpeg's upmix
 * (swresample's matrix) puts each sample times √½ into both channels, so the two channels' energies
 * add up to the mono's one, and the integrated loudness and loudness range are the mono's (to float
 * rounding: within 1e-5 in FirstPassLayoutTest); only the true peak is √½, 3.01 dB, lower. The pass
 * then decodes, pipes and meters half the samples: on set A (40 minutes of mono to stereo) its
 * meter took 2.8 s of CPU in stereo, 1.5 s in mono.
 *
 * @param metered the encoding the pass conforms the join to
 * @param peakOffsetDb what the output's true peak lies above the metered one
 */
record FirstPassLayout(Encoding metered, double peakOffsetDb) {
  /** 20 log10(√½): each channel of FFmpeg's stereo from mono carries the mono sample times √½. */
  static final double MONO_TO_STEREO_PEAK_DB = 20 * Math.log10(Math.sqrt(0.5));

  /**
   * @param sourceChannels the joined stream's channels before it is conformed; 0 when its segments
   *     do not share one count
   */
  static FirstPassLayout of(int sourceChannels, Encoding output) {
    if (sourceChannels == 1 && output.channels() == 2) {
      return new FirstPassLayout(
          new Encoding(output.bitrateKbps(), output.sampleRate(), 1), MONO_TO_STEREO_PEAK_DB);
    }
    return new FirstPassLayout(output, 0);
  }

  /** The output's loudness, from the metered layout's. */
  LoudnessSummary asOutput(LoudnessSummary metered) {
    return new LoudnessSummary(
        metered.integratedLufs(), metered.truePeakDb() + peakOffsetDb, metered.loudnessRangeLu());
  }
}

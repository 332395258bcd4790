package dev.concat.activities.chunk;

/**
 * How chunk encoders use LAME's bit reservoir, which lets a frame borrow bytes that earlier frames
 * left unused.
 */
public enum BitReservoir {
  /**
   * Off in every encoder: no frame borrows, so seams need nothing, but a frame with a transient
   * cannot take more bytes than its own (measured on struck notes at 96 kb/s: the 1st-percentile
   * frame SNR 3 dB lower than one pass with the reservoir).
   */
  OFF,
  /**
   * On, as in one pass; the bytes a chunk's first frame borrows from its dropped pre-roll are
   * carried into the previous chunk's unused tail ({@link ReservoirCarry}). Where that tail is too
   * short, the chunk is encoded again with the reservoir off.
   */
  CARRIED
}

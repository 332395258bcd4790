package dev.concat.contract;

/**
 * @param segments how many segments are on local disk
 * @param bytes their total size
 * @param seconds wall time of this phase, summed over the attempts on this host
 */
public record DownloadResult(int segments, long bytes, double seconds) {}

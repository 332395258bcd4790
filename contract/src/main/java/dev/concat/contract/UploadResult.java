package dev.concat.contract;

/**
 * @param bytes bytes written to the output key
 * @param seconds wall time of the upload
 */
public record UploadResult(long bytes, double seconds) {}

package dev.concat.contract.audio;

/**
 * A chapter: it starts where segment {@code firstSegment} starts and runs to the next chapter's
 * start, or to the end. One chapter per segment is a list with one entry for each.
 *
 * @param firstSegment index of the segment the chapter starts with
 * @param title the chapter's title
 */
public record Chapter(Integer firstSegment, String title) {}

// Bounds that keep hostile or mistaken expressions from exhausting memory or time.

/** Longest list `range()`, `*` repetition or similar may build. */
export const MAX_SEQUENCE_LENGTH = 1_000_000;
/** Longest string repetition or padding may build. */
export const MAX_STRING_LENGTH = 16 * 1024 * 1024;

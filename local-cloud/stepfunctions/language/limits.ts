/**
 * Bounds of the ASL language layer. Each one either comes from AWS's documentation (cited) or,
 * where AWS documents none, is chosen so that no input can make this layer allocate without
 * bound or run for long.
 */

/** https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html (States.ArrayRange) */
export const ARRAY_RANGE_MAX_ITEMS = 1000;

/**
 * States.Base64Encode, States.Base64Decode and States.Hash accept at most 10,000 characters of
 * input (same page).
 */
export const ENCODE_INPUT_MAX_CHARS = 10_000;

/** "You can nest up to 10 intrinsic functions within a field" (same page). */
export const INTRINSIC_MAX_NESTING = 10;

/**
 * The largest JSON an intrinsic may produce. AWS documents no per-intrinsic limit, but a state's
 * payload cannot exceed 256 KiB (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html),
 * so a larger intermediate value could never be used: refusing it early stops e.g. States.Format
 * or States.Array from multiplying a small input into megabytes.
 */
export const INTRINSIC_MAX_RESULT_BYTES = 256 * 1024;

/**
 * Our own bound on the text of one path or filter (AWS documents none): the parser is linear, but
 * a cached parse of an unbounded string would be unbounded memory.
 */
export const PATH_MAX_CHARS = 4096;

/** Parsed paths kept in memory; definitions hold a bounded set of distinct paths. */
export const PATH_CACHE_MAX_ENTRIES = 10_000;

/**
 * Our own cap on the nodes one path evaluation may visit or return (AWS documents none). Input is
 * at most 256 KiB, but stacked recursive descents (`$..*..*`) multiply its node count by its depth.
 */
export const PATH_MAX_NODES = 100_000;

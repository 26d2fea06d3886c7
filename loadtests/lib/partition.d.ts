/**
 * The contiguous slice of `users` that instance `instanceIndex` of `instanceCount` owns. Slices
 * are balanced (sizes differ by at most one) and together cover every user exactly once.
 * @template T
 * @param {ReadonlyArray<T>} users
 * @param {number} instanceIndex Zero-based.
 * @param {number} instanceCount
 * @returns {T[]}
 */
export function partitionUsers<T>(users: ReadonlyArray<T>, instanceIndex: number, instanceCount: number): T[];
/**
 * The index range `[start, end)` of the users instance `instanceIndex` of `instanceCount` owns;
 * for k6's SharedArray, which is read by index rather than sliced.
 * @param {number} userCount
 * @param {number} instanceIndex Zero-based.
 * @param {number} instanceCount
 * @returns {{ start: number, end: number }}
 */
export function partitionRange(userCount: number, instanceIndex: number, instanceCount: number): {
    start: number;
    end: number;
};
/**
 * Which instance of a distributed run this is, from k6's execution segment options
 * (`exec.test.options.executionSegment`, e.g. `1/4:2/4`, and optionally
 * `executionSegmentSequence`, e.g. `0,1/4,2/4,3/4,1`). Without a segment this is the only
 * instance. Without a sequence the segments are assumed to be equal, which is how k6-operator
 * splits a TestRun.
 * @param {string | undefined | null} segment
 * @param {string | undefined | null} [sequence]
 * @returns {{ index: number, count: number }}
 */
export function instanceFromSegment(segment: string | undefined | null, sequence?: string | undefined | null): {
    index: number;
    count: number;
};
/**
 * The index of the user for a numbered slot (a VU number or an iteration number) within a
 * range, wrapping around, so consecutive slots use different users.
 * @param {{ start: number, end: number }} range
 * @param {number} slot Zero-based.
 * @returns {number}
 */
export function userIndexForSlot(range: {
    start: number;
    end: number;
}, slot: number): number;

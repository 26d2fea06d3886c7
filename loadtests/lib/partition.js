// Spreading test users over k6 instances and virtual users. Pure, ES2017.
//
// Cognito limits each user to 10 requests per second of sign-in class operations whatever the
// account quota, so a test must spread its load over many users. In a distributed run
// (k6-operator, `--execution-segment`) every instance must take its own range of users, or two
// instances would drive the same users and hit that per-user limit long before the quota.

/**
 * The contiguous slice of `users` that instance `instanceIndex` of `instanceCount` owns. Slices
 * are balanced (sizes differ by at most one) and together cover every user exactly once.
 * @template T
 * @param {ReadonlyArray<T>} users
 * @param {number} instanceIndex Zero-based.
 * @param {number} instanceCount
 * @returns {T[]}
 */
export function partitionUsers(users, instanceIndex, instanceCount) {
  var range = partitionRange(users.length, instanceIndex, instanceCount);
  return users.slice(range.start, range.end);
}

/**
 * The index range `[start, end)` of the users instance `instanceIndex` of `instanceCount` owns;
 * for k6's SharedArray, which is read by index rather than sliced.
 * @param {number} userCount
 * @param {number} instanceIndex Zero-based.
 * @param {number} instanceCount
 * @returns {{ start: number, end: number }}
 */
export function partitionRange(userCount, instanceIndex, instanceCount) {
  if (!(instanceCount >= 1) || Math.floor(instanceCount) !== instanceCount) {
    throw new Error('instance count must be a positive integer, got ' + instanceCount);
  }
  if (!(instanceIndex >= 0) || instanceIndex >= instanceCount || Math.floor(instanceIndex) !== instanceIndex) {
    throw new Error('instance index must be an integer in [0, ' + instanceCount + '), got ' + instanceIndex);
  }
  return {
    start: Math.floor((instanceIndex * userCount) / instanceCount),
    end: Math.floor(((instanceIndex + 1) * userCount) / instanceCount),
  };
}

/**
 * @param {string} text `1/4`, `0.25` or `0`
 * @returns {number}
 */
function parseFraction(text) {
  var value = String(text).trim();
  var slash = value.indexOf('/');
  var result = slash >= 0 ? Number(value.slice(0, slash)) / Number(value.slice(slash + 1)) : Number(value);
  if (!isFinite(result) || result < 0 || result > 1) throw new Error('bad execution segment fraction "' + text + '"');
  return result;
}

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
export function instanceFromSegment(segment, sequence) {
  if (!segment || segment === '0:1') return { index: 0, count: 1 };
  var parts = String(segment).split(':');
  if (parts.length !== 2) throw new Error('bad execution segment "' + segment + '"');
  var from = parseFraction(parts[0]);
  var to = parseFraction(parts[1]);
  if (!(to > from)) throw new Error('bad execution segment "' + segment + '"');
  if (sequence) {
    var points = String(sequence).split(',').map(parseFraction);
    for (var i = 0; i + 1 < points.length; i++) {
      if (Math.abs(points[i] - from) < 1e-9 && Math.abs(points[i + 1] - to) < 1e-9) {
        return { index: i, count: points.length - 1 };
      }
    }
    throw new Error('execution segment "' + segment + '" is not in sequence "' + sequence + '"');
  }
  var count = Math.round(1 / (to - from));
  return { index: Math.round(from * count), count: count };
}

/**
 * The index of the user for a numbered slot (a VU number or an iteration number) within a
 * range, wrapping around, so consecutive slots use different users.
 * @param {{ start: number, end: number }} range
 * @param {number} slot Zero-based.
 * @returns {number}
 */
export function userIndexForSlot(range, slot) {
  var size = range.end - range.start;
  if (!(size > 0)) throw new Error('no users for this instance: seed at least as many users as instances');
  return range.start + (((slot % size) + size) % size);
}

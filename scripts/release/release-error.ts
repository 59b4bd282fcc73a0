/** A release input that is wrong (tag, version, changelog): one line naming the file and line. */
export class ReleaseError extends Error {
  override readonly name = 'ReleaseError';
}

// Writing the length into a recorded WebM file.
//
// MediaRecorder streams WebM as it records, so it never goes back to write the recording's
// Duration: ffmpeg then reports the length as unknown, and Hark refuses such a file as having
// "no length". The length is a single element in the file's Segment > Info header, near the
// start; this adds it there. Anything unexpected leaves the file exactly as it was.

const ID = {
  SEGMENT: 0x18538067,
  INFO: 0x1549a966,
  TIMECODE_SCALE: 0x2ad7b1,
  DURATION: 0x4489,
  SEEK_HEAD: 0x114d9b74,
  CLUSTER: 0x1f43b675,
};

// The header elements come first; a recorder's Info sits within the first few hundred bytes.
const HEAD_BYTES = 64 * 1024;

/** An EBML variable-length number at pos: { length, value, unknown } or null. */
function readVint(bytes, pos, keepMarker) {
  const first = bytes[pos];
  if (first === undefined || first === 0) return null;
  let length = 1;
  while (!(first & (0x80 >> (length - 1)))) length += 1;
  if (pos + length > bytes.length) return null;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === (0xff >> length);
  for (let i = 1; i < length; i += 1) {
    value = value * 256 + bytes[pos + i];
    if (bytes[pos + i] !== 0xff) allOnes = false;
  }
  return { length, value, unknown: !keepMarker && allOnes };
}

/** One element's header at pos: { id, start, dataStart, size (null when unknown), end }. */
function readElement(bytes, pos) {
  const id = readVint(bytes, pos, true);
  if (!id) return null;
  const size = readVint(bytes, pos + id.length, false);
  if (!size) return null;
  const dataStart = pos + id.length + size.length;
  const known = !size.unknown;
  return {
    id: id.value,
    start: pos,
    dataStart,
    sizeLength: size.length,
    size: known ? size.value : null,
    end: known ? dataStart + size.value : null,
  };
}

/** Size as an EBML number of the given byte length, or null when it does not fit. */
function encodeSize(value, length) {
  if (value >= 2 ** (7 * length) - 1) return null;
  const out = new Uint8Array(length);
  let rest = value;
  for (let i = length - 1; i >= 0; i -= 1) {
    out[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  out[0] |= 0x80 >> (length - 1);
  return out;
}

function encodeSizeMinimal(value) {
  for (let length = 1; length <= 8; length += 1) {
    const encoded = encodeSize(value, length);
    if (encoded) return encoded;
  }
  return null;
}

function readUint(bytes, from, to) {
  let value = 0;
  for (let i = from; i < to; i += 1) value = value * 256 + bytes[i];
  return value;
}

/** The children of a known-size element (or up to the first unknown-size child). */
function children(bytes, from, to) {
  const found = [];
  let pos = from;
  while (pos < to) {
    const el = readElement(bytes, pos);
    if (!el) break;
    found.push(el);
    if (el.end === null) break;
    pos = el.end;
  }
  return found;
}

/**
 * The head bytes with a Duration added to Segment > Info, or null when the file already has one
 * or is not laid out as expected.
 */
export function patchHead(bytes, durationMs) {
  const top = children(bytes, 0, bytes.length);
  const segment = top.find((el) => el.id === ID.SEGMENT);
  if (!segment) return null;
  const segmentEnd = segment.end === null ? bytes.length : Math.min(segment.end, bytes.length);
  const parts = children(bytes, segment.dataStart, segmentEnd);
  // A SeekHead points at byte positions that inserting would shift; such files are not ours to fix.
  if (parts.some((el) => el.id === ID.SEEK_HEAD)) return null;
  const info = parts.find((el) => el.id === ID.INFO);
  if (!info || info.end === null || info.end > bytes.length) return null;

  const fields = children(bytes, info.dataStart, info.end);
  if (fields.some((el) => el.id === ID.DURATION)) return null;
  const scaleField = fields.find((el) => el.id === ID.TIMECODE_SCALE);
  const scale = scaleField ? readUint(bytes, scaleField.dataStart, scaleField.end) : 1000000;
  if (!scale) return null;

  // Duration: ID 0x4489, size 8, a big-endian float64 in TimecodeScale units (nanoseconds / scale).
  const duration = new Uint8Array(11);
  duration.set([0x44, 0x89, 0x88]);
  new DataView(duration.buffer).setFloat64(3, (durationMs * 1e6) / scale);

  const infoSize = info.size + duration.length;
  const infoSizeBytes = encodeSize(infoSize, info.sizeLength) || encodeSizeMinimal(infoSize);
  if (!infoSizeBytes) return null;
  const grow = duration.length + infoSizeBytes.length - info.sizeLength;

  // A Segment of known size grows by as much; recorders write "unknown", which stays as it is.
  let segmentSizeBytes = null;
  if (segment.size !== null) {
    segmentSizeBytes = encodeSize(segment.size + grow, segment.sizeLength);
    if (!segmentSizeBytes) return null;
  }

  const idLength = info.dataStart - info.sizeLength - info.start;
  const out = new Uint8Array(bytes.length + grow);
  let at = 0;
  const put = (chunk) => {
    out.set(chunk, at);
    at += chunk.length;
  };
  if (segmentSizeBytes) {
    const sizeAt = segment.dataStart - segment.sizeLength;
    put(bytes.subarray(0, sizeAt));
    put(segmentSizeBytes);
    put(bytes.subarray(segment.dataStart, info.start + idLength));
  } else {
    put(bytes.subarray(0, info.start + idLength));
  }
  put(infoSizeBytes);
  put(bytes.subarray(info.dataStart, info.end));
  put(duration);
  put(bytes.subarray(info.end));
  return out;
}

/** The recording with its length written in; the recording unchanged if that cannot be done. */
export async function withDuration(blob, durationMs) {
  if (!(durationMs > 0) || !/webm/i.test(blob.type)) return blob;
  try {
    const headLength = Math.min(blob.size, HEAD_BYTES);
    const head = new Uint8Array(await blob.slice(0, headLength).arrayBuffer());
    const patched = patchHead(head, durationMs);
    return patched ? new Blob([patched, blob.slice(headLength)], { type: blob.type }) : blob;
  } catch {
    return blob;
  }
}

import { DataType, TimeUnit, tableFromIPC, type Data, type Vector } from "apache-arrow";
import type { JsonValue } from "../lib/json";
import { isRecord } from "../lib/json";
import { parseQueryResult, type QueryResult } from "./result";

// Decodes the Arrow IPC stream of POST /api/artifacts/{id}/data (Accept:
// application/vnd.apache.arrow.stream) into the same QueryResult the JSON answer gives: the
// server's JSON rules (backend/plotwise/sql/arrow_json.py) are repeated here value for value, so
// the sandbox's records do not depend on which answer the server chose.

/** Media type the client asks for, and the server answers with. */
export const ARROW_STREAM = "application/vnd.apache.arrow.stream";

/** Schema metadata key holding the result's other fields as JSON. */
const METADATA_KEY = "plotwise";

const PER_SECOND: Record<TimeUnit, bigint> = {
  [TimeUnit.SECOND]: 1n,
  [TimeUnit.MILLISECOND]: 1_000n,
  [TimeUnit.MICROSECOND]: 1_000_000n,
  [TimeUnit.NANOSECOND]: 1_000_000_000n,
};

/**
 * Python's `isoformat` fraction: none when zero, 9 digits when nanoseconds are set, else 6.
 * `fraction` counts units of `unit` below one second (0 <= fraction < 1 s).
 */
function isoFraction(fraction: bigint, unit: TimeUnit): string {
  if (fraction === 0n) return "";
  const nanos = fraction * (1_000_000_000n / PER_SECOND[unit]);
  if (nanos % 1000n !== 0n) return `.${nanos.toString().padStart(9, "0")}`;
  return `.${(nanos / 1000n).toString().padStart(6, "0")}`;
}

/** Splits a count of `unit`s into whole seconds (floored) and the rest. */
function splitSeconds(value: bigint, unit: TimeUnit): [bigint, bigint] {
  const perSecond = PER_SECOND[unit];
  let seconds = value / perSecond;
  let rest = value % perSecond;
  if (rest < 0n) {
    seconds -= 1n;
    rest += perSecond;
  }
  return [seconds, rest];
}

/** `2013-01-01T05:00:00[.ffffff][+00:00]` from a count of `unit`s since the epoch. */
function timestampText(value: bigint, unit: TimeUnit, zoned: boolean): string {
  const [seconds, rest] = splitSeconds(value, unit);
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${base}${isoFraction(rest, unit)}${zoned ? "+00:00" : ""}`;
}

/** `05:00:00[.ffffff]` from a count of `unit`s since midnight. */
function timeText(value: bigint, unit: TimeUnit): string {
  const [seconds, rest] = splitSeconds(value, unit);
  const base = new Date(Number(seconds) * 1000).toISOString().slice(11, 19);
  return `${base}${isoFraction(rest, unit)}`;
}

/** A 128-bit two's complement integer from four little-endian 32-bit words. */
function int128(words: Uint32Array): bigint {
  let value = 0n;
  for (let i = words.length - 1; i >= 0; i--) value = (value << 32n) | BigInt(words[i] ?? 0);
  const bits = BigInt(words.length * 32);
  return value >> (bits - 1n) ? value - (1n << bits) : value;
}

/** A DECIMAL as the server's JSON has it: an integer for scale 0, else the nearest double. */
function decimalNumber(words: Uint32Array, scale: number): number {
  const unscaled = int128(words);
  if (scale === 0) return Number(unscaled);
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, "0");
  const text = `${unscaled < 0n ? "-" : ""}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  // Parsing the decimal text rounds once, as Python's float(Decimal) does.
  return Number(text);
}

/** One chunk's values, JSON-safe; null where the validity bitmap says so. */
function chunkValues(data: Data, type: DataType): JsonValue[] {
  const out: JsonValue[] = new Array<JsonValue>(data.length).fill(null);
  const values: ArrayLike<number | bigint> = data.values;
  for (let i = 0; i < data.length; i++) {
    if (!data.getValid(i)) continue;
    if (DataType.isDecimal(type)) {
      out[i] = decimalNumber((data.values as Uint32Array).subarray(4 * i, 4 * i + 4), type.scale);
    } else if (DataType.isTimestamp(type)) {
      out[i] = timestampText(BigInt(values[i] ?? 0), type.unit, type.timezone !== null && type.timezone !== "");
    } else if (DataType.isTime(type)) {
      out[i] = timeText(BigInt(values[i] ?? 0), type.unit);
    } else if (DataType.isDate(type)) {
      // DATE arrives as days (date32); 86,400,000 ms per day.
      out[i] = new Date(Number(values[i]) * 86_400_000).toISOString().slice(0, 10);
    } else if (DataType.isInt(type)) {
      out[i] = Number(values[i]);
    } else if (DataType.isFloat(type)) {
      const value = Number(values[i]);
      out[i] = Number.isFinite(value) ? value : null;
    }
  }
  return out;
}

/**
 * One column's values, JSON-safe, in row order.
 *
 * Throws an Error for types the server never sends as Arrow (it answers JSON for those).
 */
export function columnValues(vector: Vector): JsonValue[] {
  const type = vector.type;
  if (DataType.isUtf8(type) || DataType.isBool(type)) {
    return Array.from(vector, (value: string | boolean | null) => value ?? null);
  }
  if (DataType.isNull(type)) return new Array<JsonValue>(vector.length).fill(null);
  const known = DataType.isDecimal(type) || DataType.isTimestamp(type) || DataType.isTime(type);
  if (!known && !DataType.isDate(type) && !DataType.isInt(type) && !DataType.isFloat(type)) {
    throw new Error(`unsupported Arrow column type ${String(type)}`);
  }
  return vector.data.flatMap((data) => chunkValues(data, type));
}

/**
 * Reads an Arrow IPC stream from the data endpoint into a QueryResult.
 * Returns null when it is not a stream with Plotwise's metadata, or a column cannot be read.
 */
export function decodeArrowResult(bytes: Uint8Array): QueryResult | null {
  try {
    const table = tableFromIPC(bytes);
    const meta: unknown = JSON.parse(table.schema.metadata.get(METADATA_KEY) ?? "null");
    if (!isRecord(meta)) return null;
    const columns = table.schema.fields.map((_, i) => {
      const vector = table.getChildAt(i);
      return vector === null ? [] : columnValues(vector);
    });
    const rows: JsonValue[][] = Array.from({ length: table.numRows }, (_, r) => columns.map((column) => column[r] ?? null));
    return parseQueryResult({ ...meta, rows });
  } catch {
    return null;
  }
}

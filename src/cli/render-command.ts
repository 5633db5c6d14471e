import { readFile } from "node:fs/promises";
import { decisionRecordSchema, type DecisionRecord } from "../domain/decision-record.js";
import { DocumentError, ValidationError } from "../domain/errors.js";
import {
  renderProformaMarkdown,
  renderProformaText,
  renderRecordJson,
} from "../import/render/render-proforma.js";
import type { CliIo } from "./cli-io.js";
import { describeError } from "./report-error.js";

export const RENDER_FORMATS = ["text", "markdown", "json"] as const;
export type RenderFormat = (typeof RENDER_FORMATS)[number];

const renderers: Record<RenderFormat, (record: DecisionRecord) => string> = {
  text: renderProformaText,
  markdown: renderProformaMarkdown,
  json: renderRecordJson,
};

/** `resolved render FILE --as text|markdown|json`: FILE holds a record, an array of them, or JSON Lines. */
export async function renderCommand(file: string, options: { as: string }, io: CliIo): Promise<number> {
  try {
    if (!(RENDER_FORMATS as readonly string[]).includes(options.as)) {
      throw new ValidationError(
        `"${options.as}" is not a format; use one of ${RENDER_FORMATS.join(", ")}`,
        "--as",
      );
    }
    const text = (file === "-" ? await io.readStdin() : await readInput(file)).toString("utf8");
    const records = readRecords(text);
    const render = renderers[options.as as RenderFormat];
    io.stdout(records.map(render).join(options.as === "json" ? "" : "\n\f\n"));
    return 0;
  } catch (error) {
    io.stderr(describeError(error, file === "-" ? "<stdin>" : file) + "\n");
    return 1;
  }
}

async function readInput(file: string): Promise<Buffer> {
  return readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new DocumentError(
      error.code === "ENOENT" ? "no such file" : `cannot read the file (${error.code})`,
    );
  });
}

/** Accepts one JSON record, a JSON array of records, or JSON Lines (what `resolved parse --json` prints). */
export function readRecords(text: string): DecisionRecord[] {
  if (text.trim() === "") throw new DocumentError("the file is empty (expected a JSON decision record)");
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch {
    return text
      .split("\n")
      .map((line, i) => ({ line, number: i + 1 }))
      .filter(({ line }) => line.trim() !== "")
      .map(({ line, number }) => {
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch (error) {
          throw new DocumentError(`not JSON: ${(error as Error).message}`, number);
        }
        return validRecord(value, number, "");
      });
  }
  return Array.isArray(whole)
    ? whole.map((value, i) => validRecord(value, undefined, `record ${i + 1}: `))
    : [validRecord(whole, undefined, "")];
}

function validRecord(value: unknown, line: number | undefined, prefix: string): DecisionRecord {
  const result = decisionRecordSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.length > 0 ? `field ${issue.path.join(".")}: ` : "";
  throw new DocumentError(`${prefix}not a decision record: ${path}${issue.message}`, line);
}

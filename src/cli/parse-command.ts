import { readFile } from "node:fs/promises";
import type { DecisionRecord } from "../domain/decision-record.js";
import { DocumentError } from "../domain/errors.js";
import { listDocumentFiles } from "../import/list-document-files.js";
import { parseDocument } from "../import/parse-document.js";
import type { CliIo } from "./cli-io.js";
import { describeError } from "./report-error.js";

export interface ParseOptions {
  json?: boolean;
}

/**
 * `resolved parse FILE...`: every good file yields its records on stdout (one line per decision, `FILE#PART`
 * when it holds several; `source.part` in the JSON), in input order, and every
 * bad one its error line on stderr; one bad file never costs the others. Exit 1 if any failed.
 */
export async function parseCommand(paths: string[], options: ParseOptions, io: CliIo): Promise<number> {
  const files = await listDocumentFiles(paths);
  let failed = 0;
  for (const file of files) {
    try {
      const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
        throw new DocumentError(
          error.code === "ENOENT" ? "no such file" : `cannot read the file (${error.code ?? error.message})`,
        );
      });
      const { decisions } = await parseDocument(bytes, file);
      for (const { record, warnings } of decisions) {
        for (const warning of warnings) {
          io.stderr(
            `${file}${warning.line !== undefined ? `:${warning.line}` : ""}: warning: ${warning.message}\n`,
          );
        }
        const where = decisions.length > 1 ? `${file}#${record.source?.part ?? 1}` : file;
        io.stdout(options.json ? JSON.stringify(record) + "\n" : summary(where, record) + "\n");
      }
    } catch (error) {
      failed++;
      io.stderr(describeError(error, file) + "\n");
    }
  }
  if (files.length === 0) {
    io.stderr("no documents found (give files, or folders holding .txt, .pdf, .docx or .html files)\n");
    return 1;
  }
  return failed > 0 ? 1 : 0;
}

function summary(file: string, record: DecisionRecord): string {
  const callIn = record.callIn.deadline
    ? `call-in until ${record.callIn.deadline}`
    : record.subjectToCallIn === false || record.callIn.text !== ""
      ? "not subject to call-in"
      : "call-in not stated";
  const outcome = record.outcomes.map((o) => o.kind).join("+");
  const id = record.recordId ? ` ${record.recordId}` : "";
  return `${file}:${id} ${record.body} ${record.meetingDate} "${record.title}" ${outcome}, published ${record.publishedOn}, ${callIn}`;
}

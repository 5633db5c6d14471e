import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Database } from "../../storage/database.js";
import { addMembership } from "../people/memberships.js";
import { createPerson } from "../people/people.js";

/**
 * The example councillors and officers (examples/people.json, invented like the example records) with their
 * Cabinet memberships: added with the example records so that the councillors pages and "Members of Cabinet
 * on <date>" have something to show. Their names match the example records' (Councillor Margaret Aldridge
 * declares an interest in one).
 */

export const EXAMPLE_PEOPLE_FILE = fileURLToPath(new URL("../../../examples/people.json", import.meta.url));

interface ExamplePerson {
  name: string;
  role: string;
  ward?: string;
  party?: string;
  portfolio?: string;
  jobTitle?: string;
  memberships?: Array<{ body: string; role: string; from: string; to?: string }>;
}

/** Adds the people in `file` to the council, each through the people services (checked and audited). */
export async function addExamplePeople(
  database: Database,
  councilId: number,
  options: { actor: string; file?: string },
): Promise<number> {
  const { people } = JSON.parse(await readFile(options.file ?? EXAMPLE_PEOPLE_FILE, "utf8")) as {
    people: ExamplePerson[];
  };
  for (const example of people) {
    const { memberships = [], ...details } = example;
    const { id } = await createPerson(database, councilId, details, options.actor);
    for (const membership of memberships) {
      await addMembership(database, id, membership, options.actor, { councilId });
    }
  }
  return people.length;
}

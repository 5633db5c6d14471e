import { z } from "zod";
import { ValidationError } from "./domain/errors.js";

/**
 * Configuration, read once from the environment at start-up and validated; every key is documented
 * in the README. `sensitive` keys are never logged or printed.
 */
const configSchema = z.object({
  databaseUrl: z
    .string()
    .regex(/^postgres(?:ql)?:\/\/\S+$/, "must be a postgres:// URL")
    .optional(),
  dataDir: z.string().min(1).default("data"),
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  host: z.string().min(1).default("localhost"),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  defaultCouncil: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be a council slug such as stockton-on-tees")
    .default("stockton-on-tees"),
  /**
   * The key that signs session cookies (at least 32 characters). Unset: the server makes one and keeps it in
   * the database, shared by every process. Set it to rotate the key (which signs everyone out).
   */
  sessionSecret: z.string().min(32, "must be at least 32 characters").optional(),
  /**
   * Behind a reverse proxy that terminates HTTPS: trust its X-Forwarded-* headers, so the client's address (for
   * the sign-in limits) and the scheme (for Secure cookies) are the real ones.
   */
  trustProxy: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  /** Load the example records into an empty register on `serve`. */
  seedExamples: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
});

export type Config = z.infer<typeof configSchema>;

const ENV_NAMES: Record<keyof Config, string> = {
  databaseUrl: "DATABASE_URL",
  dataDir: "RESOLVED_DATA_DIR",
  port: "PORT",
  host: "HOST",
  logLevel: "LOG_LEVEL",
  defaultCouncil: "RESOLVED_COUNCIL",
  seedExamples: "RESOLVED_SEED_EXAMPLES",
  sessionSecret: "RESOLVED_SESSION_SECRET",
  trustProxy: "RESOLVED_TRUST_PROXY",
};

export const SENSITIVE_CONFIG_KEYS: ReadonlySet<keyof Config> = new Set(["databaseUrl", "sessionSecret"]);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = Object.fromEntries(
    Object.entries(ENV_NAMES)
      .map(([key, name]) => [key, env[name]?.trim() || undefined])
      .filter(([, value]) => value !== undefined),
  );
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = ENV_NAMES[issue.path[0] as keyof Config] ?? String(issue.path[0]);
  // Never echo the value: DATABASE_URL may hold a password.
  throw new ValidationError(`${issue.message} (environment variable)`, name);
}

/** The configuration as it may be shown in logs: secrets replaced. */
export function describeConfig(config: Config): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key,
      SENSITIVE_CONFIG_KEYS.has(key as keyof Config) && value !== undefined ? "[redacted]" : value,
    ]),
  );
}

import { z } from "zod";
import { parseBackupSchedule, type BackupSchedule } from "./domain/backup-schedule.js";
import { ValidationError } from "./domain/errors.js";

/** An http(s) URL; plain http only on this machine (a developer's provider, a test), as Entra ID allows too. */
function webUrl(message: string) {
  return z.string().refine((value) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return false;
    }
    return url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname));
  }, message);
}

export function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** The path the provider sends people back to (src/web/sign-in/single-sign-on-routes.ts). */
export const OIDC_CALLBACK_PATH = "/sign-in/sso/callback";

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
  /**
   * Single sign-on with OpenID Connect (Microsoft Entra ID, or any provider): the issuer, whose discovery
   * document is at ISSUER/.well-known/openid-configuration. All four oidc* settings or none.
   */
  oidcIssuer: webUrl(
    "must be the provider's https:// issuer URL, e.g. https://login.microsoftonline.com/{tenant-id}/v2.0",
  )
    .refine(
      (value) =>
        !/^https:\/\/login\.microsoftonline\.com\/(?:common|organizations|consumers)(?:\/|$)/i.test(value),
      // Those issuers accept every organisation's users: only the council's own tenant will do.
      "must name your Entra ID tenant (https://login.microsoftonline.com/{tenant-id}/v2.0), not common, organizations or consumers",
    )
    .optional(),
  oidcClientId: z.string().max(200, "must be at most 200 characters").optional(),
  oidcClientSecret: z.string().optional(),
  /** Where the provider sends people back: this site's address + /sign-in/sso/callback, as registered there. */
  oidcRedirectUrl: webUrl(`must be this site's https:// address followed by ${OIDC_CALLBACK_PATH}`)
    .refine(
      (value) => !URL.canParse(value) || new URL(value).pathname === OIDC_CALLBACK_PATH,
      `must end in ${OIDC_CALLBACK_PATH}, e.g. https://decisions.example.gov.uk${OIDC_CALLBACK_PATH}`,
    )
    .optional(),
  /** Where `resolved backup` and scheduled backups write (created if missing). */
  backupDir: z.string().min(1).default("backups"),
  /** How many backups rotation keeps in backupDir (the newest). */
  backupKeep: z.coerce
    .number({ error: "must be a whole number of backups to keep, at least 1" })
    .int("must be a whole number of backups to keep, at least 1")
    .min(1, "must keep at least 1 backup")
    .max(10_000, "must be at most 10000")
    .default(14),
  /**
   * When `resolved serve` takes backups itself: times of day in UK time, "02:30" or "02:30,14:30"; unset or
   * "off": never (take them with `resolved backup` from cron or a systemd timer instead).
   */
  backupSchedule: z
    .string()
    .optional()
    .transform((value, context): BackupSchedule | undefined => {
      if (value === undefined) return undefined;
      try {
        return parseBackupSchedule(value);
      } catch (error) {
        context.addIssue({ code: "custom", message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** The sign-in page's button. */
  oidcButtonLabel: z.string().max(60, "must be at most 60 characters").default("Sign in with single sign-on"),
  /**
   * Which claim gives the email address that is matched to an account. `email` (the default) only with
   * `email_verified: true` (or Entra ID's `xms_edov: true`); `preferred_username` trusts Entra ID's user
   * principal name, which only the tenant's administrators set (see the README).
   */
  oidcEmailClaim: z
    .enum(["email", "preferred_username"], { error: "must be email or preferred_username" })
    .default("email"),
});

/** The settings single sign-on needs, all set or none (a half-configured provider is a mistake). */
const OIDC_REQUIRED = ["oidcIssuer", "oidcClientId", "oidcClientSecret", "oidcRedirectUrl"] as const;

const checkedConfigSchema = configSchema.superRefine((config, context) => {
  const missing = OIDC_REQUIRED.filter((key) => config[key] === undefined);
  if (missing.length === 0 || missing.length === OIDC_REQUIRED.length) return;
  context.addIssue({
    code: "custom",
    path: [missing[0]!],
    message:
      `single sign-on needs ${OIDC_REQUIRED.map((key) => ENV_NAMES[key]).join(", ")} all set (or none); ` +
      `missing: ${missing.map((key) => ENV_NAMES[key]).join(", ")}`,
  });
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
  oidcIssuer: "RESOLVED_OIDC_ISSUER",
  oidcClientId: "RESOLVED_OIDC_CLIENT_ID",
  oidcClientSecret: "RESOLVED_OIDC_CLIENT_SECRET",
  oidcRedirectUrl: "RESOLVED_OIDC_REDIRECT_URL",
  oidcButtonLabel: "RESOLVED_OIDC_BUTTON_LABEL",
  oidcEmailClaim: "RESOLVED_OIDC_EMAIL_CLAIM",
  backupDir: "RESOLVED_BACKUP_DIR",
  backupKeep: "RESOLVED_BACKUP_KEEP",
  backupSchedule: "RESOLVED_BACKUP_SCHEDULE",
};

export const SENSITIVE_CONFIG_KEYS: ReadonlySet<keyof Config> = new Set([
  "databaseUrl",
  "sessionSecret",
  "oidcClientSecret",
]);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = Object.fromEntries(
    Object.entries(ENV_NAMES)
      .map(([key, name]) => [key, env[name]?.trim() || undefined])
      .filter(([, value]) => value !== undefined),
  );
  const result = checkedConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = ENV_NAMES[issue.path[0] as keyof Config] ?? String(issue.path[0]);
  // Never echo the value: DATABASE_URL may hold a password, RESOLVED_OIDC_CLIENT_SECRET is one.
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

import { request } from "node:http";

/**
 * Plain HTTP requests to a bench server on 127.0.0.1 (one connection each), and signing in through the
 * sign-in form as a person would: the session cookie it gives is what the signed-in loads send.
 */

export interface Answer {
  status: number;
  body: string;
  /** The last cookie set, as `name=value`. */
  cookie?: string;
}

export function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<Answer> {
  const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
  const allHeaders = {
    ...(payload !== undefined && typeof body !== "string" && { "content-type": "application/json" }),
    ...headers,
  };
  return new Promise((resolveSend, reject) => {
    const req = request(
      { host: "127.0.0.1", port, path, method, headers: allHeaders, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const set = [res.headers["set-cookie"] ?? []].flat().at(-1);
          resolveSend({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString(),
            ...(set && { cookie: set.split(";", 1)[0] }),
          });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

export function sendForm(port: number, path: string, cookie: string, fields: Record<string, string>) {
  return send(
    port,
    "POST",
    path,
    { cookie, "content-type": "application/x-www-form-urlencoded" },
    new URLSearchParams(fields).toString(),
  );
}

export async function fetchWithCookie(
  port: number,
  path: string,
  cookie: string,
): Promise<{ status: number; body: Buffer }> {
  const answer = await send(port, "GET", path, { cookie }, undefined);
  return { status: answer.status, body: Buffer.from(answer.body) };
}

/** Signs in with the form (CSRF token and all); the session cookie. */
export async function signIn(port: number, email: string, password: string): Promise<string> {
  const page = await send(port, "GET", "/sign-in", {}, undefined);
  const first = page.cookie ?? "";
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
  const answer = await sendForm(port, "/sign-in", first, { _csrf: csrf, email, password });
  if (answer.status !== 303 || !answer.cookie) throw new Error(`bench: signing in answered ${answer.status}`);
  return answer.cookie;
}

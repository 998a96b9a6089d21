// One therapist's workflow through openapi-fetch typed by openapi-typescript, both unchanged.
// Run by clients/run against a live server: API_URL, API_USERNAME, API_PASSWORD.
import { randomUUID } from "node:crypto";
import createClient from "openapi-fetch";
import type { paths } from "./generated/openapi-typescript/schema.js";

function check(condition: boolean, what: string): asserts condition {
  if (!condition) {
    console.error(`typescript workflow FAILED: ${what}`);
    process.exit(1);
  }
  console.log(`  ok: ${what}`);
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const api = createClient<paths>({ baseUrl: env("API_URL") });

const signedIn = await api.POST("/api/v1/auth/token/", {
  body: { username: env("API_USERNAME"), password: env("API_PASSWORD") },
});
check(signedIn.data !== undefined, "signed in for a token");
const token = signedIn.data.token;
api.use({
  onRequest({ request }) {
    request.headers.set("Authorization", `Bearer ${token}`);
    return request;
  },
});

const stretches = await api.GET("/api/v1/exercises/", {
  params: { query: { category: "stretch", search: "hamstring", condition_safe: "sciatica" } },
});
check(stretches.data !== undefined && stretches.data.results.length >= 3, "found 3 hamstring stretches");
check(stretches.data.results.every((exercise) => exercise.category === "stretch"), "the filter held");

const first = stretches.data.results[0]!;
const spanish = await api.GET("/api/v1/exercises/{id}/", {
  params: { path: { id: first.id }, header: { "Accept-Language": "es" } },
});
check(
  spanish.data !== undefined &&
    spanish.response.headers.get("Content-Language") === "es" &&
    spanish.data.name !== first.name &&
    spanish.data.untranslated_fields.length === 0,
  `read one exercise in Spanish: ${spanish.data?.name}`,
);

const patientKey = randomUUID();
const patientBody = {
  given_name: "Zoë",
  family_name: "TypeScript-Client",
  date_of_birth: "1970-03-02",
  identifier: `TS-${patientKey.slice(0, 8)}`,
  conditions: ["sciatica"],
};
const created = await api.POST("/api/v1/patients/", {
  body: patientBody,
  params: { header: { "Idempotency-Key": patientKey } },
});
check(created.response.status === 201 && created.data !== undefined, "created a patient with sciatica");
const patient = created.data;
check(patient.conditions.join() === "sciatica", "the patient has the condition");

const draft = await api.POST("/api/v1/prescriptions/", {
  body: {
    patient: patient.id,
    notes: "Ease the pull at the back of your thighs.",
    items: stretches.data.results.slice(0, 3).map((exercise) => ({ exercise: exercise.id })),
  },
  params: { header: { "Idempotency-Key": randomUUID() } },
});
check(draft.data !== undefined, "created a draft");
const prescription = draft.data;
const etag = draft.response.headers.get("ETag");
check(etag !== null && prescription.items.length === 3, "the draft has 3 exercises and an ETag");
console.log(`  warnings: ${JSON.stringify(prescription.warnings.map((warning) => warning.code))}`);

const path = { id: prescription.id };
// Issuing requires If-Match (the typed client will not compile without it): one that names no
// version answers 428, one that is stale 412 (the tag covers the warnings too).
const unnamed = await api.POST("/api/v1/prescriptions/{id}/issue/", {
  params: { path, header: { "If-Match": "*" } },
});
check(
  unnamed.response.status === 428 && unnamed.error?.errors[0]?.code === "precondition_required",
  "issuing without naming the version read is refused (428)",
);
const stale = await api.POST("/api/v1/prescriptions/{id}/issue/", {
  params: { path, header: { "If-Match": '"rx0-0"' } },
});
check(stale.response.status === 412 && stale.error?.type === "client_error", "a stale If-Match is refused");
const issued = await api.POST("/api/v1/prescriptions/{id}/issue/", {
  params: { path, header: { "If-Match": etag } },
});
check(issued.data?.status === "issued", "issued with If-Match");
const issuedEtag = issued.response.headers.get("ETag");
check(issuedEtag !== null, "the issued prescription has a new ETag");

const handout = await api.GET("/api/v1/prescriptions/{id}/handout/", {
  params: { path },
  parseAs: "arrayBuffer",
});
check(
  handout.data !== undefined && new TextDecoder().decode(handout.data.slice(0, 5)) === "%PDF-",
  "downloaded the handout PDF",
);

const revision = await api.POST("/api/v1/prescriptions/{id}/revise/", {
  params: { path, header: { "If-Match": issuedEtag, "Idempotency-Key": randomUUID() } },
});
check(revision.response.status === 201 && revision.data?.version === 2, "revised: version 2");

const retry = await api.POST("/api/v1/patients/", {
  body: patientBody,
  params: { header: { "Idempotency-Key": patientKey } },
});
check(
  retry.response.status === 201 &&
    retry.data?.id === patient.id &&
    retry.response.headers.get("Location") === created.response.headers.get("Location"),
  "a retried create with the same Idempotency-Key answered the same patient",
);
console.log("typescript workflow passed");

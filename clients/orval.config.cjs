// orval, as a front-end team would run it: split mode (schemas in their own files) and one file,
// with the documented request headers (If-Match, Idempotency-Key, ...) as typed parameters.
const input = { target: process.env.SCHEMA_FILE ?? "generated/schema.json" };

module.exports = {
  split: {
    input,
    output: {
      mode: "split",
      target: "generated/orval-split/api.ts",
      schemas: "generated/orval-split/model",
      client: "fetch",
      headers: true,
    },
  },
  single: {
    input,
    output: {
      mode: "single",
      target: "generated/orval-single/api.ts",
      client: "fetch",
      headers: true,
    },
  },
};

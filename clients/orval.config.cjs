// orval, as a front-end team would run it: split mode (schemas in their own files) and one file.
const input = { target: process.env.SCHEMA_FILE ?? "generated/schema.json" };

module.exports = {
  split: {
    input,
    output: {
      mode: "split",
      target: "generated/orval-split/api.ts",
      schemas: "generated/orval-split/model",
      client: "fetch",
    },
  },
  single: {
    input,
    output: { mode: "single", target: "generated/orval-single/api.ts", client: "fetch" },
  },
};

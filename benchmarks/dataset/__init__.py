"""A clinic-network-sized data set for benchmarks: generated clinics, staff, exercises, patients,
prescriptions and items, loaded in bulk. Run it as `python -m benchmarks generate-dataset` or,
under benchmarks.settings, `manage.py generate_dataset`; both call `generate.generate()`.

At --scale 1: 50 clinics (one about twelve times the median), 5,000 generated exercises (on top of
the default catalogue), 100,000 patients, 500,000 prescriptions, 3,000,000 items.

How it loads: on PostgreSQL, COPY through psycopg 3 into the big tables after dropping their
non-primary-key indexes, unique constraints and foreign keys, which are recreated from their
exact definitions afterwards (then ANALYZE). On SQLite (small scales only), executemany. No
model is saved through the ORM for the bulk rows, so no signal, audit entry or save() logic runs;
Patient.search_text is computed with the same function Patient.save() uses.

Re-running: the data is deterministic for a given --seed and --scale. A re-run truncates the
patient, prescription and item tables, deletes the generated exercises, and loads everything
again; generated clinics and users are kept and reused. It refuses to run (and changes nothing)
when the database holds patients or prescriptions of any clinic it did not generate.

The modules: `plan` (sizes, names, the time line), `words` (the text the rows are made of),
one row builder per table family (`clinics`, `exercises`, `patients`, `prescriptions`, `items`),
`writers` (COPY or executemany, with a progress bar), `postgres` (indexes dropped and recreated
around the load) and `generate` (the run, in one transaction).

Every random choice comes from one `random.Random(seed)`, drawn in a fixed order: the builders
run one after the other, each consuming its rows before the next starts.
"""

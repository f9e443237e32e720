-- A person's department grants (hub.security.users[].departments, web.Grants) are checked in SQL against the
-- record's source.system (record.adapter) and department.code, which until now lived only inside the body.
-- RecordStore writes the column with every version; the records stored before are filled from their body here.
-- H2 cannot read JSON text in SQL, so the code is taken from the canonical JSON (CanonicalJson: compact, the
-- department object's first member is its code) with a regular expression; the PostgreSQL twin parses the JSON.
ALTER TABLE record ADD COLUMN department_code VARCHAR(200);
UPDATE record SET department_code = REGEXP_SUBSTR(body, '"department":\{"code":"([^"\\]*)"', 1, 1, NULL, 1);
CREATE INDEX record_by_department ON record (department_code, version_seq);

-- A person's department grants (hub.security.users[].departments, web.Grants) are checked in SQL against the
-- record's source.system (record.adapter) and department.code, which until now lived only inside the body.
-- RecordStore writes the column with every version; the records stored before are filled from their body here.
-- The H2 twin (db/vendor/h2) reads the body with a regular expression, as H2 cannot read JSON text in SQL.
ALTER TABLE record ADD COLUMN department_code VARCHAR(200);
UPDATE record SET department_code = CAST(body AS jsonb) -> 'department' ->> 'code';
CREATE INDEX record_by_department ON record (department_code, version_seq);
